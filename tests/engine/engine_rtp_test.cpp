// The engine with real RTP over UDP on 127.0.0.1, in real time: two phones
// (RtpTransport + G.711 in the test thread) call a room whose legs are
// RtpTransports too; the engine runs on its own worker thread at the media
// clock. What each phone hears is checked on the signal.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/transport/rtp_transport.hpp"
#include "libconf/transport/srtp.hpp"
#include "support/clock.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

using transport::RtpConfig;
using transport::RtpTransport;

std::unique_ptr<RtpTransport> open_rtp() {
  RtpConfig c;
  c.payload_type = 0;
  c.clock_rate_hz = 8000;
  return RtpTransport::open(c).value();
}

// A phone: sends its signal frame by frame, decodes what it receives.
struct Phone final : transport::PacketSink {
  explicit Phone(std::vector<std::int16_t> say) : signal(std::move(say)), rtp(open_rtp()) {
    auto codecs = codec::CodecRegistry::with_builtin_codecs();
    encoder = codecs.create("PCMU", {}).value();
    decoder = codecs.create("PCMU", {}).value();
  }
  void on_packet(const transport::ReceivedPacket& p) noexcept override {
    std::array<std::int16_t, 160> pcm{};
    if (auto n = decoder->decode(p.payload, pcm); n) heard.insert(heard.end(), pcm.begin(), pcm.begin() + *n);
  }
  void on_dtmf(const transport::DtmfEvent&) noexcept override {}
  void send_frame(std::size_t index) {
    std::array<std::int16_t, 160> pcm{};
    if ((index + 1) * 160 <= signal.size()) std::copy_n(signal.begin() + index * 160, 160, pcm.begin());
    std::array<std::uint8_t, 160> bytes{};
    const auto n = encoder->encode(pcm, bytes).value();
    rtp->send({std::span<const std::uint8_t>(bytes.data(), n), 160, index == 0});
  }
  std::vector<std::int16_t> signal, heard;
  std::unique_ptr<RtpTransport> rtp;
  std::unique_ptr<codec::Codec> encoder, decoder;
};

TEST(EngineRtp, TwoPhonesOverUdpInRealTime) {
  EngineConfig ec;
  ec.clock = std::make_shared<MonotonicClock>();
  Engine engine(std::move(ec));
  RoomConfig rc;
  rc.sample_rate_hz = 8000;
  const RoomId room = engine.create_room(rc).value();

  Phone alice(test::sine(440, -20, 8000, 8000 * 2)), bob({});
  std::vector<LegId> legs;
  for (Phone* phone : {&alice, &bob}) {
    auto bridge_side = open_rtp();
    bridge_side->set_remote("127.0.0.1", phone->rtp->local_port());
    phone->rtp->set_remote("127.0.0.1", bridge_side->local_port());
    LegConfig lc;
    lc.codec = "PCMU";
    lc.processing.agc = false;
    lc.processing.talker_detection = false;  // a steady tone is not speech
    lc.transport = std::move(bridge_side);
    legs.push_back(engine.add_leg(room, std::move(lc)).value());
  }
  ASSERT_TRUE(engine.start());
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t frame = 0; frame < 100; ++frame) {  // 2 s at 20 ms
    std::this_thread::sleep_until(start + std::chrono::milliseconds(20 * frame));
    alice.send_frame(frame);
    bob.send_frame(frame);
    alice.rtp->poll(alice, test::steady_us());
    bob.rtp->poll(bob, test::steady_us());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  alice.rtp->poll(alice, test::steady_us());
  bob.rtp->poll(bob, test::steady_us());
  engine.stop();

  ASSERT_GT(bob.heard.size(), 8000u);  // at least 1 s came back
  const auto tail = std::span<const std::int16_t>(bob.heard).subspan(bob.heard.size() - 6400, 6400);
  // RMS over the tail: real-time scheduling makes the jitter buffer adapt,
  // and a dropped or stretched frame is a phase jump that a single-bin
  // measurement would count as lost level.
  EXPECT_NEAR(audio::rms_dbfs(tail), -20, 1.0);
  EXPECT_GT(test::tone_level_dbfs(tail, 440, 8000), -24);  // and it is Alice's 440 Hz
  ASSERT_GT(alice.heard.size(), 8000u);
  EXPECT_LT(test::tone_level_dbfs(std::span<const std::int16_t>(alice.heard).subspan(alice.heard.size() - 6400, 6400),
                                  440, 8000),
            -45);  // nobody hears themselves
  const LegStats a = engine.leg_stats(legs[0]).value();
  EXPECT_GT(a.frames_in, 80u);
  EXPECT_EQ(a.decode_errors, 0u);
  // The RTP transport's own statistics reach the engine's leg statistics.
  EXPECT_GT(a.network.packets_received, 80u);
  EXPECT_GT(a.network.packets_sent, 80u);
  EXPECT_EQ(a.network.malformed_dropped, 0u);
}

// A phone that can change its codec, its address and its SRTP keys the way a
// SIP phone does after a re-INVITE. It speaks a 440 Hz tone (or silence).
struct AgilePhone final : transport::PacketSink {
  AgilePhone(bool speaks, const transport::SrtpKeys& send, const transport::SrtpKeys& recv) : speaks(speaks) {
    rtp = open(send, recv);
    set_codec("PCMU", 0, 8000);
  }
  static std::unique_ptr<RtpTransport> open(const transport::SrtpKeys& send, const transport::SrtpKeys& recv) {
    RtpConfig c;
    c.srtp_send = send;
    c.srtp_recv = recv;
    return RtpTransport::open(c).value();
  }
  void set_codec(const std::string& name, int pt, int rate) {
    auto codecs = codec::CodecRegistry::with_builtin_codecs();
    codec::CodecParams p;
    p.sample_rate_hz = rate;
    encoder = codecs.create(name, p).value();
    decoder = codecs.create(name, p).value();
    frame = static_cast<std::size_t>(rate / 50);
    rtp_frame = static_cast<std::uint32_t>(encoder->rtp_clock_rate_hz() / 50);
    this->rate = rate;
    update(transport::TransportUpdate{.payload = transport::PayloadFormat{pt, encoder->rtp_clock_rate_hz(), 101, 0}});
  }
  void update(const transport::TransportUpdate& u) {
    std::string why;
    auto prepared = rtp->prepare_update(u, &why);
    ASSERT_TRUE(prepared) << why;
    rtp->apply_update(**prepared);
  }
  void on_packet(const transport::ReceivedPacket& p) noexcept override {
    std::array<std::int16_t, 960> pcm{};
    auto n = decoder->decode(p.payload, std::span(pcm).first(frame));
    if (!n) return;
    // What it hears, always at 8 kHz for the checks (opus at 48 kHz: every 6th sample
    // of a band-limited signal; enough for a 440 Hz level).
    const std::size_t step = static_cast<std::size_t>(rate / 8000);
    for (std::size_t i = 0; i < *n; i += step) heard.push_back(pcm[i]);
  }
  void on_dtmf(const transport::DtmfEvent&) noexcept override {}
  void send_frame() {
    std::array<std::int16_t, 960> pcm{};
    for (std::size_t i = 0; speaks && i < frame; ++i)
      pcm[i] = static_cast<std::int16_t>(3277 * std::sqrt(2.0) * std::sin(2 * M_PI * 440 * phase++ / rate));
    std::array<std::uint8_t, codec::kMaxEncodedFrameBytes> bytes{};
    const auto n = encoder->encode(std::span(pcm).first(frame), bytes).value();
    rtp->send({std::span<const std::uint8_t>(bytes.data(), n), rtp_frame, false});
  }
  bool speaks;
  std::unique_ptr<RtpTransport> rtp;
  std::unique_ptr<codec::Codec> encoder, decoder;
  std::size_t frame = 160;
  std::uint32_t rtp_frame = 160;
  int rate = 8000;
  double phase = 0;
  std::vector<std::int16_t> heard;
};

// re-INVITEs on a live call, over real RTP/SRTP on UDP and the real-time
// engine: the caller moves to another address, switches PCMU -> opus/48000,
// rekeys SRTP, goes on hold and comes back. The listener hears the caller
// in every phase but hold.
TEST(EngineRtp, UpdateLegMidCallAddressCodecKeysAndHold) {
  using transport::SrtpProfile;
  auto keys = [] { return transport::generate_srtp_keys(SrtpProfile::aes_cm_128_hmac_sha1_80); };
  EngineConfig ec;
  ec.clock = std::make_shared<MonotonicClock>();
  Engine engine(std::move(ec));
  RoomConfig rc;
  rc.sample_rate_hz = 16000;
  const RoomId room = engine.create_room(rc).value();

  auto caller_key = keys(), bridge_key = keys();
  AgilePhone alice(true, caller_key, bridge_key), bob(false, caller_key, bridge_key);
  std::vector<LegId> legs;
  for (AgilePhone* phone : {&alice, &bob}) {
    RtpConfig c;
    c.srtp_send = bridge_key;
    c.srtp_recv = caller_key;
    auto bridge_side = RtpTransport::open(c).value();
    bridge_side->set_remote("127.0.0.1", phone->rtp->local_port());
    phone->rtp->set_remote("127.0.0.1", bridge_side->local_port());
    LegConfig lc;
    lc.processing.agc = false;
    lc.processing.talker_detection = false;  // a steady tone is not speech
    lc.transport = std::move(bridge_side);
    legs.push_back(engine.add_leg(room, std::move(lc)).value());
  }
  const LegId a = legs[0];
  ASSERT_TRUE(engine.start());
  const auto start = std::chrono::steady_clock::now();
  std::size_t frame = 0;
  auto run = [&](double seconds) {
    const std::size_t until = frame + static_cast<std::size_t>(seconds * 50);
    for (; frame < until; ++frame) {
      std::this_thread::sleep_until(start + std::chrono::milliseconds(20 * frame));
      alice.send_frame();
      bob.send_frame();
      alice.rtp->poll(alice, test::steady_us());
      bob.rtp->poll(bob, test::steady_us());
    }
  };
  // What Bob hears over the last 0.5 s of a phase: its RMS level, and that
  // it is Alice's 440 Hz (a single-bin level, lowered by the phase jumps of
  // a jitter buffer adapting in real time, hence the looser bound).
  struct Heard {
    double rms_dbfs, tone_dbfs;
  };
  auto bob_hears = [&] {
    const std::size_t n = std::min<std::size_t>(bob.heard.size(), 4000);
    const auto tail = std::span<const std::int16_t>(bob.heard).last(n);
    return Heard{audio::rms_dbfs(tail), test::tone_level_dbfs(tail, 440, 8000)};
  };
  std::string why;
  run(1.5);
  const Heard plain = bob_hears();

  // 1. Alice's phone moves to a new address (new socket, same keys).
  auto moved = AgilePhone::open(caller_key, bridge_key);
  moved->set_remote("127.0.0.1", alice.rtp->remote_port());
  ASSERT_TRUE(engine.update_leg(a, {.transport = transport::TransportUpdate{
                                        .remote = transport::RemoteEndpoint{"127.0.0.1", moved->local_port(), 0}}},
                                &why))
      << why;
  alice.rtp = std::move(moved);
  alice.set_codec("PCMU", 0, 8000);
  run(1.5);
  const Heard after_move = bob_hears();

  // 2. PCMU -> opus/48000 (payload type 111), both ends.
  ASSERT_TRUE(engine.update_leg(a, {.codec = LegCodec{"opus", 48000},
                                    .transport = transport::TransportUpdate{
                                        .payload = transport::PayloadFormat{111, 48000, 101, 0}}},
                                &why))
      << why;
  alice.set_codec("opus", 111, 48000);
  run(1.5);
  const Heard after_codec = bob_hears();
  const LegStats opus_stats = engine.leg_stats(a).value();

  // 3. New SRTP keys in both directions.
  auto caller_key2 = keys(), bridge_key2 = keys();
  ASSERT_TRUE(engine.update_leg(a, {.transport = transport::TransportUpdate{.srtp_send = bridge_key2,
                                                                            .srtp_recv = caller_key2}},
                                &why))
      << why;
  alice.update({.srtp_send = caller_key2, .srtp_recv = bridge_key2});
  run(1.5);
  const Heard after_rekey = bob_hears();

  // 4. Alice holds the call (offers sendonly; the bridge answers recvonly).
  ASSERT_TRUE(engine.update_leg(a, {.direction = MediaDirection::recvonly}));
  const std::size_t alice_heard_before_hold = alice.heard.size();
  run(1.5);
  const Heard on_hold = bob_hears();
  const std::size_t alice_heard_on_hold = alice.heard.size() - alice_heard_before_hold;

  // 5. And takes it back.
  ASSERT_TRUE(engine.update_leg(a, {.direction = MediaDirection::sendrecv}));
  run(1.5);
  const Heard unheld = bob_hears();
  engine.stop();

  for (const Heard& h : {plain, after_move, after_codec, after_rekey, unheld}) {
    EXPECT_NEAR(h.rms_dbfs, -20, 1.5);  // through opus at 48 kHz and back to 8 kHz, too
    EXPECT_GT(h.tone_dbfs, -27);
  }
  EXPECT_LT(on_hold.rms_dbfs, -50);
  EXPECT_LT(alice_heard_on_hold, 800u);  // at most the packets in flight at the switch
  EXPECT_GT(opus_stats.frames_in, 40u);
  const LegStats s = engine.leg_stats(a).value();
  EXPECT_EQ(s.decode_errors, 0u);
  EXPECT_LT(s.network.authentication_failed_dropped, 20u);  // the packets in flight at the rekey
}

}  // namespace
}  // namespace libconf::engine
