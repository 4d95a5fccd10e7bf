#include "libconf/engine/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/engine_fixture.hpp"
#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/capture_transport.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

TEST(Engine, MixMinusThroughCodecsEndToEnd) {
  // Levels are measured once the jitter buffer has settled (it starts at
  // 60 ms and walks down to its 20 ms minimum in the first second, dropping a
  // frame each step, which a steady test tone shows as a phase jump).
  Bench b;
  const RoomId r = b.room();
  const LegId a = b.join(r, test::sine(440, -20, 8000, 8000 * 6), "PCMU", 8000, 6.0, plain());
  const LegId c = b.join(r, test::sine(1000, -20, 16000, 16000 * 6), "opus", 16000, 6.0, plain());
  const LegId l = b.join(r, {}, "PCMA", 8000, 6.0, plain());
  b.run(300);
  // Nobody hears themselves; everybody hears the others at their level (±1 dB
  // through two codecs, a resampler and the jitter buffer).
  EXPECT_LT(test::tone_level_dbfs(b.heard(a, 3, 5.5), 440, 8000), -45);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(a, 3, 5.5), 1000, 8000), -20, 1.0);
  EXPECT_LT(test::tone_level_dbfs(b.heard(c, 3, 5.5), 1000, 16000), -45);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(c, 3, 5.5), 440, 16000), -20, 1.0);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(l, 3, 5.5), 440, 8000), -20, 1.0);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(l, 3, 5.5), 1000, 8000), -20, 1.0);
  EXPECT_EQ(b.count(EventKind::leg_joined, a), 1);
}

TEST(Engine, TicksAllocateNothingAfterWarmUp) {
  Bench b;
  const RoomId r = b.room(16000);
  for (int i = 0; i < 4; ++i) b.join(r, test::speech_like(-20 - 3 * i, 8000, 8000 * 6, i + 1), "PCMU", 8000, 6);
  for (int i = 0; i < 3; ++i) b.join(r, test::speech_like(-24 - 3 * i, 16000, 16000 * 6, i + 11), "opus", 16000, 6);
  for (int i = 0; i < 10; ++i) b.join(r, {}, i % 2 ? "PCMA" : "opus", i % 2 ? 8000 : 16000, 6);
  b.run(50);  // joins applied, buffers warm
  b.events.reserve(100000);
  test::AllocationScope scope;
  for (int i = 0; i < 150; ++i) b.engine->tick().value();
  EXPECT_EQ(scope.count(), 0u);
}

TEST(Engine, SharedOutputIsEncodedOncePerCodecAndByteIdentical) {
  auto log = std::make_shared<test::CaptureLog>();
  Bench b;
  const RoomId r = b.room(16000);
  b.join(r, test::sine(440, -20, 8000, 32000), "PCMU", 8000, 4.0, plain());
  std::vector<LegId> listeners;
  for (int i = 0; i < 12; ++i) {
    LegConfig lc;
    lc.codec = i % 2 ? "PCMU" : "opus";
    lc.transport = std::make_unique<test::CaptureTransport>(log);
    listeners.push_back(*b.engine->add_leg(r, std::move(lc)));
  }
  b.run(20);
  log->sent.clear();
  log->tick = 1;
  b.run(1);
  ASSERT_EQ(log->sent.size(), 12u);
  std::set<const std::uint8_t*> buffers;
  std::map<std::size_t, std::vector<std::uint8_t>> by_size;
  for (auto& s : log->sent) buffers.insert(s.data);
  // Two codecs, two encodes: every PCMU listener got the very same buffer, and
  // every opus listener the same (other) buffer.
  EXPECT_EQ(buffers.size(), 2u);
  for (std::size_t i = 0; i < log->sent.size(); ++i)
    for (std::size_t j = 0; j < log->sent.size(); ++j)
      if (log->sent[i].data == log->sent[j].data) {
        EXPECT_EQ(log->sent[i].bytes, log->sent[j].bytes);
      }
}

TEST(Engine, MuteAndLeaveAlwaysEndTalking) {
  Bench b;
  const RoomId r = b.room();
  const LegId a = b.join(r, test::speech_like(-20, 8000, 32000, 1), "PCMU", 8000, 4.0, speech());
  const LegId c = b.join(r, test::speech_like(-20, 8000, 32000, 2), "PCMU", 8000, 4.0, speech());
  const LegId quiet = b.join(r, {}, "PCMU");
  b.run(30);
  ASSERT_GE(b.count(EventKind::talking_started, a), 1);
  EXPECT_EQ(b.count(EventKind::talking_started, quiet), 0);
  const int starts = b.count(EventKind::talking_started, a);
  // Mute at a moment A is talking: the stop follows at once.
  while (!b.engine->leg_stats(a)->talking) b.run(1);
  ASSERT_TRUE(b.engine->set_mix_state(a, {.muted = true}));
  b.run(1);
  EXPECT_EQ(b.count(EventKind::talking_stopped, a), b.count(EventKind::talking_started, a));
  EXPECT_FALSE(b.engine->leg_stats(a)->talking);
  while (!b.engine->leg_stats(c)->talking) b.run(1);
  ASSERT_TRUE(b.engine->remove_leg(c));
  b.run(1);
  EXPECT_EQ(b.count(EventKind::talking_stopped, c), b.count(EventKind::talking_started, c));
  EXPECT_EQ(b.count(EventKind::leg_left, c), 1);
  // The muted leg stays silent for the others.
  b.run(40);
  EXPECT_EQ(b.count(EventKind::talking_started, a), starts);
  EXPECT_EQ(b.count(EventKind::talking_started, a), b.count(EventKind::talking_stopped, a));
}

TEST(Engine, MovingBetweenWorkersLosesAtMostOneFrame) {
  Bench b(2);
  const RoomId r1 = b.room(16000);
  const RoomId r2 = b.room(16000);
  const LegId a = b.join(r1, test::sine(600, -20, 8000, 8000 * 4), "PCMU", 8000, 4.0, plain());
  const LegId l1 = b.join(r1, {}, "PCMU");
  const LegId l2 = b.join(r2, {}, "PCMU");
  b.run(100);  // 2 s
  ASSERT_TRUE(b.engine->move_leg(a, r2));
  b.run(50);
  EXPECT_EQ(b.count(EventKind::leg_moved, a), 1);
  EXPECT_EQ(b.engine->room_of(a), r2);
  // Frame by frame, the tone is heard in room 1, then in room 2; count the
  // 20 ms frames between 1.5 s and 2.9 s in which neither listener hears it.
  int gaps = 0;
  for (int f = 75; f < 145; ++f) {
    const double t0 = f * 0.02, t1 = t0 + 0.02;
    const bool heard = test::tone_level_dbfs(b.heard(l1, t0, t1), 600, 8000) > -30 ||
                       test::tone_level_dbfs(b.heard(l2, t0, t1), 600, 8000) > -30;
    gaps += heard ? 0 : 1;
  }
  EXPECT_LE(gaps, 1);
  EXPECT_GT(test::tone_level_dbfs(b.heard(l2, 2.5, 2.9), 600, 8000), -21);
  EXPECT_LT(test::tone_level_dbfs(b.heard(l1, 2.5, 2.9), 600, 8000), -60);
}

TEST(Engine, WhisperAndListenInAcrossTheEngine) {
  Bench b;
  const RoomId r = b.room();
  const LegId talker = b.join(r, test::sine(440, -20, 8000, 48000), "PCMU", 8000, 6.0, plain());
  const LegId coach = b.join(r, test::sine(1300, -20, 8000, 48000), "PCMU", 8000, 6.0, plain());
  const LegId target = b.join(r, {}, "PCMU", 8000, 6.0);
  const LegId other = b.join(r, {}, "PCMU", 8000, 6.0);
  ASSERT_TRUE(b.engine->set_mix_state(coach, {.listen_only = true}));
  ASSERT_TRUE(b.engine->add_whisper(coach, target));
  b.run(300);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(target, 3, 5.5), 1300, 8000), -20, 1.0);
  EXPECT_LT(test::tone_level_dbfs(b.heard(other, 3, 5.5), 1300, 8000), -60);
  EXPECT_LT(test::tone_level_dbfs(b.heard(talker, 3, 5.5), 1300, 8000), -60);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(coach, 3, 5.5), 440, 8000), -20, 1.0);  // listens in
}

TEST(Engine, BadRequestsAreErrorsNotCrashes) {
  Bench b;
  const RoomId r = b.room();
  LegConfig lc;
  EXPECT_EQ(b.engine->add_leg(r, std::move(lc)).error(), errc::invalid_argument);  // no transport
  LegConfig bad;
  bad.codec = "G729";
  bad.transport = std::make_unique<test::CaptureTransport>(std::make_shared<test::CaptureLog>());
  EXPECT_EQ(b.engine->add_leg(r, std::move(bad)).error(), errc::unknown_codec);
  EXPECT_EQ(b.engine->remove_leg(12345).error(), errc::not_found);
  EXPECT_EQ(b.engine->move_leg(12345, r).error(), errc::not_found);
  EXPECT_EQ(b.engine->close_room(999).error(), errc::not_found);
  RoomConfig rc;
  rc.sample_rate_hz = 11025;
  std::string why;
  EXPECT_EQ(b.engine->create_room(rc, &why).error(), errc::unsupported_sample_rate);
  EXPECT_EQ(why, "RoomConfig '': sample_rate_hz 11025 is not 8000/16000/24000/32000/48000");
}

TEST(Engine, ClosingARoomEndsEveryLeg) {
  Bench b;
  const RoomId r = b.room();
  const LegId a = b.join(r, test::speech_like(-20, 8000, 32000, 3), "PCMU", 8000, 4.0, speech());
  b.run(10);
  while (!b.engine->leg_stats(a)->talking) b.run(1);
  ASSERT_TRUE(b.engine->close_room(r));
  b.run(1);
  EXPECT_EQ(b.count(EventKind::talking_stopped, a), 1);
  EXPECT_EQ(b.count(EventKind::leg_left, a), 1);
  EXPECT_TRUE(std::any_of(b.events.begin(), b.events.end(), [&](auto& e) { return e.kind == EventKind::room_closed; }));
}

PromptPtr tone_prompt(double freq, double seconds, int rate = 16000) {
  return std::make_shared<const Prompt>(
      Prompt{test::sine(freq, -20, rate, static_cast<std::size_t>(seconds * rate)), rate});
}

TEST(Engine, PromptIntoTheRoomIsHeardByAllThenEnds) {
  Bench b;
  const RoomId r = b.room();
  const LegId a = b.join(r, {}, "PCMU", 8000, 4.0, plain());
  const LegId c = b.join(r, {}, "opus", 16000, 4.0, plain());
  b.run(50);
  auto id = b.engine->play(r, tone_prompt(500, 1.0, 44100));  // any rate: converted off the media thread
  ASSERT_TRUE(id);
  b.run(100);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(a, 1.2, 1.9), 500, 8000), -20, 1.0);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(c, 1.2, 1.9), 500, 16000), -20, 1.0);
  EXPECT_LT(test::tone_level_dbfs(b.heard(a, 2.3, 3.0), 500, 8000), -60);  // ended after 1 s
  auto done = std::find_if(b.events.begin(), b.events.end(), [](auto& e) { return e.kind == EventKind::playback_done; });
  ASSERT_NE(done, b.events.end());
  EXPECT_EQ(done->other_leg, *id);
  EXPECT_EQ(done->value, 0);
  EXPECT_NEAR(static_cast<double>(done->time_us) / 1e6, 2.0, 0.05);
  EXPECT_EQ(b.engine->stop_playback(*id).error(), errc::not_found);  // forgotten once done
}

TEST(Engine, PromptToOneLegAndMusicOnHoldUntilStopped) {
  Bench b;
  const RoomId r = b.room();
  const LegId waiting = b.join(r, {}, "PCMU", 8000, 4.0, plain());
  const LegId other = b.join(r, {}, "PCMU", 8000, 4.0, plain());
  b.run(5);
  PlayOptions o;
  o.to_leg = waiting;
  o.loop = true;
  auto moh = b.engine->play(r, tone_prompt(700, 0.3), o);  // 0.3 s, looped
  ASSERT_TRUE(moh);
  b.run(100);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(waiting, 1.0, 1.9), 700, 8000), -20, 1.5);  // loop seams cost a little
  EXPECT_LT(test::tone_level_dbfs(b.heard(other, 0.2, 1.9), 700, 8000), -60);
  ASSERT_TRUE(b.engine->stop_playback(*moh));
  b.run(50);
  EXPECT_LT(test::tone_level_dbfs(b.heard(waiting, 2.3, 3.0), 700, 8000), -60);
  EXPECT_EQ(std::count_if(b.events.begin(), b.events.end(),
                          [&](auto& e) { return e.kind == EventKind::playback_done && e.value == 1; }),
            1);
  // A prompt for a leg of another room, or an empty prompt, is refused.
  const RoomId r2 = b.room();
  o.loop = false;
  EXPECT_EQ(b.engine->play(r2, tone_prompt(700, 0.3), o).error(), errc::not_found);
  EXPECT_EQ(b.engine->play(r, std::make_shared<const Prompt>()).error(), errc::invalid_argument);
}

struct BufferRecorder final : RoomRecorder {
  explicit BufferRecorder(std::size_t capacity) { mix.reserve(capacity); }
  void on_frame(RoomId, std::int64_t, std::span<const std::int16_t> m) noexcept override {
    if (mix.size() + m.size() <= mix.capacity()) mix.insert(mix.end(), m.begin(), m.end());
  }
  void on_track(RoomId, LegId leg, std::int64_t, std::span<const std::int16_t>) noexcept override {
    if (leg < tracks.size()) ++tracks[leg];
  }
  std::vector<std::int16_t> mix;
  std::array<int, 16> tracks{};
};

TEST(Engine, RecordingGetsTheMixAndEveryTrackWithoutAllocating) {
  Bench b;
  const RoomId r = b.room();
  const LegId a = b.join(r, test::sine(440, -20, 8000, 8000 * 6), "PCMU", 8000, 6.0, plain());
  const LegId c = b.join(r, {}, "PCMU", 8000, 6.0, plain());
  auto rec = std::make_shared<BufferRecorder>(16000 * 10);
  ASSERT_TRUE(b.engine->start_recording(r, rec));
  EXPECT_TRUE(b.engine->start_recording(r, rec));  // queued; the worker refuses the second one
  b.run(100);
  {
    test::AllocationScope scope;
    for (int i = 0; i < 100; ++i) b.engine->tick().value();
    EXPECT_EQ(scope.count(), 0u);
  }
  ASSERT_TRUE(b.engine->stop_recording(r));
  b.run(1);
  EXPECT_EQ(rec->mix.size(), 200u * 320u);
  EXPECT_NEAR(test::tone_level_dbfs(std::span(rec->mix).subspan(16000 * 2, 16000 * 2), 440, 16000), -20, 1.0);
  EXPECT_EQ(rec->tracks[a], 200);
  EXPECT_EQ(rec->tracks[c], 200);
  EXPECT_EQ(std::count_if(b.events.begin(), b.events.end(),
                          [](auto& e) { return e.kind == EventKind::command_failed && e.error == errc::already_exists; }),
            1);
}

}  // namespace
}  // namespace libconf::engine
