// RtpTransport::prepare_update / apply_update: what a re-INVITE changes in a
// running transport (remote address, payload formats, SRTP keys), prepared
// on the host's thread and applied between two polls without allocating.
#include "libconf/transport/rtp_transport.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/alloc_counter.hpp"
#include "support/clock.hpp"
#include "transport/collecting_sink.hpp"

namespace libconf::transport {
namespace {

using testing::CollectingSink;

std::unique_ptr<RtpTransport> open_rtp(RtpConfig c = {}) { return RtpTransport::open(c).value(); }

template <class Pred>
bool poll_until(RtpTransport& t, PacketSink& sink, Pred pred) {
  for (int i = 0; i < 2000; ++i) {
    t.poll(sink, test::steady_us());
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

std::vector<std::uint8_t> bytes(std::uint8_t v) { return std::vector<std::uint8_t>(160, v); }

// Prepares on this thread, applies and checks the apply allocates nothing.
void update(RtpTransport& t, const TransportUpdate& u) {
  std::string why;
  auto prepared = t.prepare_update(u, &why);
  ASSERT_TRUE(prepared) << why;
  libconf::test::AllocationScope scope;
  t.apply_update(**prepared);
  EXPECT_EQ(scope.count(), 0u);
}

TEST(RtpTransportUpdate, NewRemoteAddressRedirectsTheStream) {
  auto a = open_rtp(), b = open_rtp(), c = open_rtp();
  a->set_remote("127.0.0.1", b->local_port());
  CollectingSink at_b, at_c;
  a->send({bytes(1), 160, true});
  ASSERT_TRUE(poll_until(*b, at_b, [&] { return at_b.packets.size() == 1; }));
  update(*a, {.remote = RemoteEndpoint{"127.0.0.1", c->local_port(), 0}});
  a->send({bytes(2), 160, false});
  ASSERT_TRUE(poll_until(*c, at_c, [&] { return at_c.packets.size() == 1; }));
  EXPECT_EQ(at_c.packets[0].payload, bytes(2));
  // Sequence numbers continue across the change.
  EXPECT_EQ(static_cast<std::uint16_t>(at_b.packets[0].header.sequence + 1), at_c.packets[0].header.sequence);
  EXPECT_EQ(a->remote_port(), c->local_port());
  b->poll(at_b, test::steady_us());
  EXPECT_EQ(at_b.packets.size(), 1u);
}

// The peer moved (re-INVITE with a new address): packets still in flight
// from its old address must not latch the stream back to it.
TEST(RtpTransportUpdate, InFlightPacketsFromTheOldAddressDoNotLatchBack) {
  auto bridge = open_rtp(), old_phone = open_rtp(), new_phone = open_rtp();
  old_phone->set_remote("127.0.0.1", bridge->local_port());
  new_phone->set_remote("127.0.0.1", bridge->local_port());
  bridge->set_remote("127.0.0.1", old_phone->local_port());
  CollectingSink sink;
  old_phone->send({bytes(1), 160, true});
  ASSERT_TRUE(poll_until(*bridge, sink, [&] { return sink.packets.size() == 1; }));
  ASSERT_TRUE(bridge->latched());
  old_phone->send({bytes(2), 160, false});  // in flight while the re-INVITE is handled
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  update(*bridge, {.remote = RemoteEndpoint{"127.0.0.1", new_phone->local_port(), 0}});
  ASSERT_TRUE(poll_until(*bridge, sink, [&] { return bridge->stats().foreign_source_dropped == 1; }));
  new_phone->send({bytes(3), 160, false});
  ASSERT_TRUE(poll_until(*bridge, sink, [&] { return sink.packets.size() == 2; }));
  EXPECT_EQ(sink.packets[1].payload, bytes(3));
  EXPECT_EQ(bridge->remote_port(), new_phone->local_port());
}

TEST(RtpTransportUpdate, NewPayloadFormatIsSentAndOnlyAcceptedAfterTheReceiverUpdates) {
  auto a = open_rtp(), b = open_rtp();
  a->set_remote("127.0.0.1", b->local_port());
  CollectingSink sink;
  const PayloadFormat opus{111, 48000, 101, 8000};
  update(*a, {.payload = opus});
  a->send({bytes(3), 960, false});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return b->stats().wrong_payload_type_dropped == 1; }));
  EXPECT_TRUE(sink.packets.empty());
  update(*b, {.payload = opus});
  a->send({bytes(4), 960, false});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return sink.packets.size() == 1; }));
  EXPECT_EQ(sink.packets[0].header.payload_type, 111);
  // telephone-event at 8 kHz beside opus at 48 kHz: a 100 ms digit is 800
  // units of the event clock, read back as 100 ms.
  a->send_dtmf({'7', false, 100, 0});
  for (int i = 0; i < 12; ++i) a->send({bytes(5), 960, false});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return sink.dtmf.size() >= 2; }));
  EXPECT_EQ(sink.dtmf[0].digit, '7');
  EXPECT_TRUE(sink.dtmf[1].end);
  EXPECT_EQ(sink.dtmf[1].duration_ms, 100u);
}

TEST(RtpTransportUpdate, RekeyingBothSidesKeepsTheCallAndOneSideAloneIsCaught) {
  const auto k1 = generate_srtp_keys(SrtpProfile::aes_cm_128_hmac_sha1_80);
  const auto k2 = generate_srtp_keys(SrtpProfile::aead_aes_128_gcm);
  RtpConfig ca, cb;
  ca.srtp_send = k1;
  cb.srtp_recv = k1;
  auto a = open_rtp(ca), b = open_rtp(cb);
  a->set_remote("127.0.0.1", b->local_port());
  CollectingSink sink;
  a->send({bytes(1), 160, true});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return sink.packets.size() == 1; }));
  update(*a, {.srtp_send = k2});  // the sender moved on, the receiver not yet
  a->send({bytes(2), 160, false});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return b->stats().authentication_failed_dropped == 1; }));
  update(*b, {.srtp_recv = k2});
  a->send({bytes(3), 160, false});
  ASSERT_TRUE(poll_until(*b, sink, [&] { return sink.packets.size() == 2; }));
  EXPECT_EQ(sink.packets[1].payload, bytes(3));
}

TEST(RtpTransportUpdate, BadUpdatesNameTheFieldAndChangeNothing) {
  auto a = open_rtp();
  std::string why;
  auto r = a->prepare_update({.remote = RemoteEndpoint{"not-an-address", 4000, 0}}, &why);
  EXPECT_EQ(r.error(), errc::invalid_argument);
  EXPECT_EQ(why, "remote.address 'not-an-address' is not a numeric IP address");
  r = a->prepare_update({.payload = PayloadFormat{72, 8000, 101, 0}}, &why);
  EXPECT_EQ(r.error(), errc::invalid_argument);
  EXPECT_NE(why.find("payload.payload_type 72"), std::string::npos) << why;
  SrtpKeys short_key;
  short_key.key_salt.assign(5, 1);
  r = a->prepare_update({.srtp_send = short_key}, &why);
  EXPECT_EQ(r.error(), errc::invalid_argument);
  EXPECT_EQ(why, "srtp_send: 5 key bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
  EXPECT_EQ(a->remote_port(), 0);
}

}  // namespace
}  // namespace libconf::transport
