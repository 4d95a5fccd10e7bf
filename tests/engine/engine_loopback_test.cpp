// Issue 10's trap, kept closed: LoopbackTransport with an Engine on its
// default virtual clock. Transports take time from the engine (poll's now),
// so arrivals and the jitter buffer's play-out run on one clock.
#include <gtest/gtest.h>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/transport/loopback_transport.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

// The far end of a loopback pair: a G.711 phone.
struct Phone final : transport::PacketSink {
  Phone() {
    auto codecs = codec::CodecRegistry::with_builtin_codecs();
    encoder = codecs.create("PCMU", {}).value();
    decoder = codecs.create("PCMU", {}).value();
  }
  void on_packet(const transport::ReceivedPacket& p) noexcept override {
    std::array<std::int16_t, 160> pcm{};
    if (auto n = decoder->decode(p.payload, pcm); n) heard.insert(heard.end(), pcm.begin(), pcm.begin() + *n);
  }
  void on_dtmf(const transport::DtmfEvent&) noexcept override {}
  void say(std::span<const std::int16_t> frame, bool first) {
    std::array<std::uint8_t, 160> bytes{};
    const auto n = encoder->encode(frame, bytes).value();
    end->send({std::span<const std::uint8_t>(bytes.data(), n), 160, first});
  }
  std::unique_ptr<transport::LoopbackTransport> end;
  std::unique_ptr<codec::Codec> encoder, decoder;
  std::vector<std::int16_t> heard;
};

TEST(EngineLoopback, DefaultVirtualClockDecodesEveryFrame) {
  Engine engine;  // its own VirtualClock: tick() advances it
  RoomConfig rc;
  rc.sample_rate_hz = 8000;
  const RoomId room = engine.create_room(rc).value();
  Phone alice, bob;
  std::vector<LegId> legs;
  for (Phone* p : {&alice, &bob}) {
    auto [bridge_end, phone_end] = transport::make_loopback_pair();
    p->end = std::move(phone_end);
    LegConfig lc;
    lc.processing.agc = false;
    lc.processing.talker_detection = false;  // a steady tone is not speech
    lc.transport = std::move(bridge_end);
    legs.push_back(engine.add_leg(room, std::move(lc)).value());
  }
  const auto tone = test::sine(440, -20, 8000, 8000 * 3);
  const std::array<std::int16_t, 160> silence{};
  for (std::size_t t = 0; t < 150; ++t) {
    const std::int64_t now = engine.clock().now_us();
    alice.say(std::span(tone).subspan(t * 160, 160), t == 0);
    bob.say(silence, t == 0);
    engine.tick().value();
    alice.end->poll(alice, now);
    bob.end->poll(bob, now);
  }
  const LegStats a = engine.leg_stats(legs[0]).value();
  EXPECT_GE(a.frames_in, 140u);  // all but the jitter buffer's start-up
  EXPECT_EQ(a.jitter_late, 0u);
  EXPECT_GE(a.jitter_delay_ms, 20);
  EXPECT_LE(a.jitter_delay_ms, 100);
  ASSERT_GE(bob.heard.size(), 8000u * 2);
  EXPECT_NEAR(audio::rms_dbfs(std::span<const std::int16_t>(bob.heard).last(8000)), -20, 1.0);
}

}  // namespace
}  // namespace libconf::engine
