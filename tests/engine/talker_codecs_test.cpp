// Talker detection through the whole engine for every codec at every rate it
// runs at (decode, DTMF guard, AGC, talker detection), and the per-leg way to
// force a steady source into the mix.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/scenario/file_transport.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

struct Phone {
  std::vector<std::int16_t> input, heard;
};

struct Call {
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>(0);
  std::unique_ptr<Engine> engine;
  codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();
  std::vector<std::unique_ptr<Phone>> phones;
  std::vector<Event> events;
  RoomId room = kNoRoom;

  explicit Call(int room_rate) {
    EngineConfig c;
    c.clock = clock;
    engine = std::make_unique<Engine>(std::move(c));
    RoomConfig rc;
    rc.name = "r";
    rc.sample_rate_hz = room_rate;
    room = engine->create_room(rc).value();
  }
  LegId join(const std::string& codec, int rate, std::vector<std::int16_t> input, LegProcessing processing = {}) {
    auto phone = std::make_unique<Phone>();
    phone->input = std::move(input);
    phone->heard.assign(static_cast<std::size_t>(rate) * 4, 0);
    codec::CodecParams p;
    p.sample_rate_hz = rate;
    p.ptime_ms = 20;
    LegConfig lc;
    lc.codec = codec;
    lc.codec_rate_hz = rate;
    lc.processing = processing;
    lc.transport = std::make_unique<scenario::FileTransport>(std::move(*codecs.create(codec, p)),
                                                              std::move(*codecs.create(codec, p)), phone->input,
                                                              clock->now_us(), phone->heard, 0, 20);
    auto id = engine->add_leg(room, std::move(lc));
    EXPECT_TRUE(id) << codec << " at " << rate;
    phones.push_back(std::move(phone));
    return id ? *id : kNoLeg;
  }
  void run(int ticks) {
    std::array<Event, 256> buf;
    for (int i = 0; i < ticks; ++i) {
      engine->tick().value();
      for (std::size_t n; (n = engine->poll_events(buf)) > 0;) events.insert(events.end(), buf.begin(), buf.begin() + n);
    }
  }
  int count(EventKind kind, LegId leg) const {
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.kind == kind && e.leg == leg; }));
  }
};

struct CodecRate {
  const char* codec;
  int rate;
};

TEST(TalkerThroughTheEngine, EveryCodecAtEveryRateIsDetectedTalking) {
  // L16 at 48 kHz was never detected: its 1920-byte packets were dropped as
  // oversized by the jitter buffer's 1500-byte slots.
  const CodecRate cases[] = {{"PCMU", 8000}, {"PCMA", 8000},  {"L16", 8000},   {"L16", 16000},
                             {"L16", 24000}, {"L16", 32000},  {"L16", 48000},  {"opus", 8000},
                             {"opus", 16000}, {"opus", 24000}, {"opus", 48000}};
  for (int room_rate : {16000, 48000})
    for (const auto& c : cases) {
      Call call(room_rate);
      const LegId talker = call.join(c.codec, c.rate, test::speech_like(-26.0, c.rate, static_cast<std::size_t>(c.rate) * 3, 4));
      const LegId quiet = call.join("PCMU", 8000, {});
      call.run(150);
      EXPECT_GE(call.count(EventKind::talking_started, talker), 1) << c.codec << " at " << c.rate << " in " << room_rate;
      EXPECT_EQ(call.count(EventKind::talking_started, quiet), 0);
      const auto stats = call.engine->leg_stats(talker);
      ASSERT_TRUE(stats);
      EXPECT_GE(stats->frames_in, 100u) << c.codec << " at " << c.rate;
      // The listener hears the talker (after 1 s, at a speech level).
      const auto& heard = call.phones[1]->heard;
      EXPECT_GT(audio::rms_dbfs(std::span(heard).subspan(8000, 8000)), -40.0) << c.codec << " at " << c.rate;
    }
}

TEST(TalkerThroughTheEngine, ASteadyToneIsMixedOnlyWhenForced) {
  // A sine at -20 dBFS is line noise to talker detection (a held caller's
  // music must not take the floor)...
  Call call(16000);
  const LegId tone = call.join("L16", 16000, test::sine(440.0, -20.0, 16000, 16000 * 3));
  const LegId ear = call.join("PCMU", 8000, {});
  call.run(150);
  EXPECT_EQ(call.count(EventKind::talking_started, tone), 0);
  EXPECT_LT(audio::rms_dbfs(std::span(call.phones[1]->heard).subspan(8000, 8000)), -60.0);
  // ...and always_talking puts it into the mix from the first frame.
  Call forced(16000);
  LegProcessing p;
  p.always_talking = true;
  const LegId music = forced.join("L16", 16000, test::sine(440.0, -20.0, 16000, 16000 * 3), p);
  (void)forced.join("PCMU", 8000, {});
  forced.run(150);
  EXPECT_EQ(forced.count(EventKind::talking_started, music), 1);
  EXPECT_NEAR(audio::rms_dbfs(std::span(forced.phones[1]->heard).subspan(8000, 8000)), -20.0, 3.0);
  // Muting it ends its talk like any talker's.
  ASSERT_TRUE(forced.engine->set_mix_state(music, mix::LegMixState{.muted = true}));
  forced.run(5);
  EXPECT_EQ(forced.count(EventKind::talking_stopped, music), 1);
  (void)ear;
}

}  // namespace
}  // namespace libconf::engine
