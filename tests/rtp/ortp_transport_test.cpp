#include "libconf/rtp/ortp_transport.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "libconf/transport/rtp_transport.hpp"
#include "support/clock.hpp"

namespace libconf::rtp {

namespace {

using transport::DtmfEvent;
using transport::ReceivedPacket;
using transport::RtpConfig;

struct Sink final : transport::PacketSink {
  void on_packet(const ReceivedPacket& p) noexcept override {
    payloads.emplace_back(p.payload.begin(), p.payload.end());
    headers.push_back(p);
  }
  void on_dtmf(const DtmfEvent& e) noexcept override { dtmf.push_back(e); }
  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<ReceivedPacket> headers;
  std::vector<DtmfEvent> dtmf;
};

template <class T, class Pred>
bool poll_until(T& t, Sink& sink, Pred pred) {
  for (int i = 0; i < 2000; ++i) {
    t.poll(sink, test::steady_us());
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i);
  return v;
}

}  // namespace

// oRTP on one side, the permissive RtpTransport on the other: both speak
// plain RTP, so audio and RFC 4733 digits cross in both directions.
TEST(OrtpTransport, InteroperatesWithRtpTransport) {
  RtpConfig c;
  c.payload_type = 0;
  auto o = OrtpTransport::open(c);
  ASSERT_TRUE(o);
  auto r = transport::RtpTransport::open(c);
  ASSERT_TRUE(r);
  (*o)->set_remote("127.0.0.1", (*r)->local_port());
  (*r)->set_remote("127.0.0.1", (*o)->local_port());
  Sink at_r, at_o;
  for (int i = 0; i < 10; ++i) (*o)->send({bytes(160, static_cast<std::uint8_t>(i)), 160, i == 0});
  ASSERT_TRUE(poll_until(**r, at_r, [&] { return at_r.payloads.size() == 10; }));
  EXPECT_EQ(at_r.payloads[3], bytes(160, 3));
  EXPECT_EQ(at_r.headers[0].ssrc, (*o)->ssrc());
  for (int i = 0; i < 10; ++i) (*r)->send({bytes(160, static_cast<std::uint8_t>(i + 50)), 160, false});
  ASSERT_TRUE(poll_until(**o, at_o, [&] { return at_o.payloads.size() == 10; }));
  EXPECT_EQ(at_o.payloads[9], bytes(160, 59));
  EXPECT_EQ(static_cast<std::uint16_t>(at_o.headers[9].sequence - at_o.headers[0].sequence), 9);

  // Digits: paced by send(), one start and one end each on the other side.
  (*o)->send_dtmf({'4', false, 60, 0});
  (*r)->send_dtmf({'#', false, 60, 0});
  for (int i = 0; i < 10; ++i) {
    (*o)->send({bytes(160, 0), 160, false});
    (*r)->send({bytes(160, 0), 160, false});
  }
  ASSERT_TRUE(poll_until(**r, at_r, [&] { return at_r.dtmf.size() == 2; }));
  ASSERT_TRUE(poll_until(**o, at_o, [&] { return at_o.dtmf.size() == 2; }));
  EXPECT_EQ(at_r.dtmf[0].digit, '4');
  EXPECT_TRUE(at_r.dtmf[1].end);
  EXPECT_EQ(at_r.dtmf[1].duration_ms, 60u);
  EXPECT_EQ(at_o.dtmf[0].digit, '#');
  EXPECT_TRUE(at_o.dtmf[1].end);
  EXPECT_EQ((*o)->stats().packets_sent, 20u);  // 10 audio, then 2 updates + 3 ends + 5 audio
}

TEST(OrtpTransport, SrtpThroughTheModifierHookAndTamperedPacketsAreDropped) {
  const auto k1 = transport::generate_srtp_keys(transport::SrtpProfile::aes_cm_128_hmac_sha1_80);
  const auto k2 = transport::generate_srtp_keys(transport::SrtpProfile::aes_cm_128_hmac_sha1_80);
  RtpConfig co, cr;
  co.srtp_send = k1;
  co.srtp_recv = k2;
  cr.srtp_send = k2;
  cr.srtp_recv = k1;
  auto o = OrtpTransport::open(co);
  auto r = transport::RtpTransport::open(cr);
  ASSERT_TRUE(o && r);
  (*o)->set_remote("127.0.0.1", (*r)->local_port());
  (*r)->set_remote("127.0.0.1", (*o)->local_port());
  Sink at_r, at_o;
  for (int i = 0; i < 5; ++i) (*o)->send({bytes(160, 1), 160, false});
  ASSERT_TRUE(poll_until(**r, at_r, [&] { return at_r.payloads.size() == 5; }))
      << (*r)->stats().authentication_failed_dropped << " " << (*r)->stats().malformed_dropped << " "
      << (*r)->stats().truncated_dropped << " " << (*o)->stats().send_errors << " " << (*o)->stats().packets_sent;
  EXPECT_EQ(at_r.payloads[0], bytes(160, 1));
  for (int i = 0; i < 5; ++i) (*r)->send({bytes(160, 2), 160, false});
  ASSERT_TRUE(poll_until(**o, at_o, [&] { return at_o.payloads.size() == 5; }));
  EXPECT_EQ(at_o.payloads[4], bytes(160, 2));

  // A wrong-key sender: counted, never delivered.
  RtpConfig cx;
  cx.srtp_send = transport::generate_srtp_keys(transport::SrtpProfile::aes_cm_128_hmac_sha1_80);
  auto x = transport::RtpTransport::open(cx);
  ASSERT_TRUE(x);
  (*x)->set_remote("127.0.0.1", (*o)->local_port());
  for (int i = 0; i < 3; ++i) (*x)->send({bytes(160, 3), 160, false});
  ASSERT_TRUE(poll_until(**o, at_o, [&] { return (*o)->stats().authentication_failed_dropped == 3; }))
      << (*o)->stats().authentication_failed_dropped << " " << (*o)->stats().replayed_dropped << " "
      << (*o)->stats().malformed_dropped << " " << (*x)->stats().packets_sent;
  EXPECT_EQ(at_o.payloads.size(), 5u);
}

TEST(OrtpTransport, ConfigErrorsNameTheBadValue) {
  RtpConfig c;
  c.payload_type = 300;
  try {
    (void)OrtpTransport::open(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("300"), std::string::npos);
  }
}

}  // namespace libconf::rtp
