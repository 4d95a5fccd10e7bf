// The engine with real RTP over UDP on 127.0.0.1, in real time: two phones
// (RtpTransport + G.711 in the test thread) call a room whose legs are
// RtpTransports too; the engine runs on its own worker thread at the media
// clock. What each phone hears is checked on the signal.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/transport/rtp_transport.hpp"
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
  const RoomId room = engine.create_room(rc);

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
  engine.start();
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

}  // namespace
}  // namespace libconf::engine
