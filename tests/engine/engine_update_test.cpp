// Engine::update_leg on the virtual clock: hold and unhold with the
// semantics of engine.hpp's MediaDirection, and a worker that applies
// updates without allocating.
#include <gtest/gtest.h>

#include "engine/engine_fixture.hpp"
#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

TEST(EngineUpdate, HoldAndUnholdFollowTheDirection) {
  Bench b;
  const RoomId r = b.room(8000);
  const LegId a = b.join(r, test::sine(600, -20, 8000, 8000 * 6), "PCMU", 8000, 6.0, plain());
  b.join(r, test::sine(900, -20, 8000, 8000 * 6), "PCMU", 8000, 6.0, plain());
  const LegId l = b.join(r, {}, "PCMU", 8000, 6.0, plain());
  auto level = [&](LegId who, double from, double to, double hz) { return test::tone_level_dbfs(b.heard(who, from, to), hz, 8000); };
  b.run(50);  // 0-1 s: sendrecv
  // 1-2 s: the peer put the call on hold (offered sendonly, we answer recvonly).
  ASSERT_TRUE(b.engine->update_leg(a, {.direction = MediaDirection::recvonly}));
  b.run(50);
  // 2-3 s: we put the leg on hold (sendonly: it hears the room, is not heard).
  ASSERT_TRUE(b.engine->update_leg(a, {.direction = MediaDirection::sendonly}));
  b.run(50);
  // 3-4 s: inactive; 4-6 s: back to sendrecv.
  ASSERT_TRUE(b.engine->update_leg(a, {.direction = MediaDirection::inactive}));
  b.run(50);
  ASSERT_TRUE(b.engine->update_leg(a, {.direction = MediaDirection::sendrecv}));
  b.run(100);

  constexpr double kA = 600, kC = 900;
  EXPECT_NEAR(level(l, 0.5, 0.95, kA), -20, 1.0);  // a heard
  EXPECT_NEAR(level(a, 0.5, 0.95, kC), -20, 1.0);  // a hears c
  EXPECT_LT(level(l, 1.1, 1.95, kA), -60);         // recvonly: a not heard...
  EXPECT_LT(level(a, 1.1, 1.95, kC), -60);         // ...and hears nothing
  EXPECT_NEAR(level(l, 1.1, 1.95, kC), -20, 1.0);  // the others carry on
  EXPECT_LT(level(l, 2.1, 2.95, kA), -60);         // sendonly: a not heard...
  EXPECT_NEAR(level(a, 2.2, 2.95, kC), -20, 1.0);  // ...but hears c
  EXPECT_LT(level(l, 3.1, 3.95, kA), -60);         // inactive
  EXPECT_LT(level(a, 3.1, 3.95, kC), -60);
  EXPECT_NEAR(level(l, 4.5, 5.9, kA), -20, 1.5);   // unheld: heard again
  EXPECT_NEAR(level(a, 4.5, 5.9, kC), -20, 1.5);
  std::vector<std::int32_t> directions;
  for (const Event& e : b.events)
    if (e.kind == EventKind::leg_updated && e.leg == a) directions.push_back(e.value);
  EXPECT_EQ(directions, (std::vector<std::int32_t>{2, 1, 3, 0}));
}

TEST(EngineUpdate, UpdatesAreAppliedWithoutAllocatingOnTheWorker) {
  Bench b;
  const RoomId r = b.room(16000);
  std::vector<LegId> legs;
  for (int i = 0; i < 3; ++i)
    legs.push_back(b.join(r, test::speech_like(-22, 8000, 8000 * 6, static_cast<unsigned>(i + 1)), "PCMU", 8000, 6));
  legs.push_back(b.join(r, test::speech_like(-22, 16000, 16000 * 6, 9), "opus", 16000, 6));
  b.run(20);
  // Warm-up: every codec the updates use has had its shared streams built once.
  const char* codecs[] = {"PCMA", "PCMU", "opus"};
  for (const char* name : codecs) {
    ASSERT_TRUE(b.engine->update_leg(legs[0], {.codec = LegCodec{name}}));
    b.run(2);
  }
  b.events.reserve(100000);
  std::size_t allocations = 0;
  for (int i = 0; i < 60; ++i) {
    LegUpdate u;
    if (i % 3 == 0) u.codec = LegCodec{codecs[(i / 3) % 3]};
    u.direction = static_cast<MediaDirection>(i % 4);
    ASSERT_TRUE(b.engine->update_leg(legs[static_cast<std::size_t>(i) % legs.size()], u));  // allocates, here
    test::AllocationScope scope;
    b.engine->tick().value();  // applies it: no allocation
    allocations += scope.count();
    std::array<Event, 64> buf;
    while (b.engine->poll_events(buf) > 0) {
    }
  }
  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(b.engine->health().workers[0].critical_events_dropped, 0u);
}

}  // namespace
}  // namespace libconf::engine
