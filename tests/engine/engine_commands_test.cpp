// Commands as a host sees them: refused at call time when they cannot be
// done (a full room, a full queue), applied in order across workers, at most
// a budget per tick; the events a host waits for are never lost; rooms go to
// the worker with the fewest legs.
#include <gtest/gtest.h>

#include "engine/engine_fixture.hpp"
#include "libconf/audio/level.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

int count_kind(const std::vector<Event>& events, EventKind kind) {
  return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.kind == kind; }));
}

TEST(EngineCommands, AFullRoomRefusesAJoinAtCallTime) {
  Bench b;
  const RoomId r = b.room(16000, 2);
  b.join(r, {});
  b.join(r, {});
  LegConfig lc;
  lc.transport = std::make_unique<scenario::FileTransport>(b.codecs.create("PCMU", {}).value(),
                                                           b.codecs.create("PCMU", {}).value(),
                                                           std::span<const std::int16_t>{}, 0,
                                                           std::span<std::int16_t>{}, 0, 20);
  std::string why;
  EXPECT_EQ(b.engine->add_leg(r, std::move(lc), &why).error(), errc::capacity_exceeded);
  EXPECT_EQ(why, "room 'r' is full (max_legs 2)");
  b.run(3);
  EXPECT_EQ(count_kind(b.events, EventKind::command_failed), 0);
}

TEST(EngineCommands, AMoveIntoAFullRoomIsRefusedAndTheLegStaysWhereItWas) {
  Bench b(2);
  const RoomId main = b.room(8000);
  const RoomId full = b.room(8000, 1);
  const LegId talker = b.join(main, test::sine(500, -20, 8000, 8000 * 4), "PCMU", 8000, 4.0, plain());
  const LegId listener = b.join(main, {}, "PCMU", 8000, 4.0);
  b.join(full, {});
  b.run(50);
  EXPECT_EQ(b.engine->move_leg(talker, full).error(), errc::capacity_exceeded);
  EXPECT_EQ(b.engine->room_of(talker), main);
  b.run(100);
  EXPECT_EQ(b.count(EventKind::leg_left, talker), 0);
  EXPECT_EQ(count_kind(b.events, EventKind::command_failed), 0);
  EXPECT_NEAR(test::tone_level_dbfs(b.heard(listener, 2.5, 3.0), 500, 8000), -20, 1.0);  // still heard
  // Room is made by a leg leaving: the same move is accepted then.
  ASSERT_TRUE(b.engine->remove_leg(b.phones.rbegin()->first));
  ASSERT_TRUE(b.engine->move_leg(talker, full));
  b.run(2);
  EXPECT_EQ(b.count(EventKind::leg_moved, talker), 1);
}

// A leg moved to a room on a worker that ticks before the leg's old worker:
// commands made right after the move find the leg in its new room.
TEST(EngineCommands, CommandsAfterAMoveFollowTheLegAcrossWorkers) {
  Bench b(2);
  const RoomId on_first = b.room(8000);   // worker 0: fewest legs
  const RoomId on_second = b.room(8000);  // worker 1
  b.join(on_first, {});                   // so that the next room lands on worker 1...
  const LegId mover = b.join(on_second, {}, "PCMU", 8000, 4.0, plain());
  b.run(5);
  ASSERT_TRUE(b.engine->move_leg(mover, on_first));  // ...and the move goes 1 -> 0
  ASSERT_TRUE(b.engine->set_mix_state(mover, {.muted = true}));
  ASSERT_TRUE(b.engine->update_leg(mover, {.direction = MediaDirection::sendonly}));
  b.run(3);
  EXPECT_EQ(b.count(EventKind::leg_moved, mover), 1);
  EXPECT_EQ(b.count(EventKind::mix_state_changed, mover), 1);
  EXPECT_EQ(b.count(EventKind::leg_updated, mover), 1);
  EXPECT_EQ(count_kind(b.events, EventKind::command_failed), 0);
  const auto moved = std::find_if(b.events.begin(), b.events.end(),
                                  [&](const Event& e) { return e.kind == EventKind::leg_moved; });
  const auto muted = std::find_if(b.events.begin(), b.events.end(),
                                  [&](const Event& e) { return e.kind == EventKind::mix_state_changed; });
  EXPECT_LT(moved - b.events.begin(), muted - b.events.begin());
}

TEST(EngineCommands, AWorkerAppliesAtMostItsBudgetPerTick) {
  EngineConfig c;
  c.commands_per_tick = 4;
  Bench b(1, c);
  const RoomId r = b.room(8000);
  const LegId a = b.join(r, {});
  b.run(1);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(b.engine->set_mix_state(a, {.talk_gain_db = static_cast<float>(i)}));
  b.run(1);
  EXPECT_EQ(b.count(EventKind::mix_state_changed, a), 4);
  EXPECT_GE(b.engine->health().workers[0].budget_deferred_ticks, 1u);
  b.run(2);
  EXPECT_EQ(b.count(EventKind::mix_state_changed, a), 10);
}

// A host that stops polling fills the event queue with talking/DTMF events:
// those are counted and dropped, commands are refused at call time once
// their outcome would not fit, and no playback_done or outcome is ever lost.
TEST(EngineCommands, EventsAHostWaitsForAreNeverDropped) {
  EngineConfig c;
  c.event_queue = 64;
  Bench b(1, c);
  const RoomId r = b.room(8000);
  std::vector<LegId> legs;
  for (int i = 0; i < 6; ++i)
    legs.push_back(b.join(r, test::speech_like(-20, 8000, 8000 * 8, static_cast<unsigned>(i + 1)), "PCMU", 8000, 8.0,
                          speech()));
  auto prompt = std::make_shared<const Prompt>(Prompt{test::sine(700, -20, 8000, 800), 8000});  // 0.1 s
  std::vector<PlaybackId> plays;
  int refused = 0;
  std::vector<Event> events;
  std::array<Event, 16> buf;
  for (int t = 0; t < 300; ++t) {
    // Poll rarely: the queue runs full between polls.
    if (t % 50 == 49)
      for (std::size_t n; (n = b.engine->poll_events(buf)) > 0;) events.insert(events.end(), buf.begin(), buf.begin() + n);
    PlayOptions o;
    o.to_leg = legs[static_cast<std::size_t>(t) % legs.size()];
    if (auto id = b.engine->play(r, prompt, o)) plays.push_back(*id);
    else ++refused;
    b.engine->tick().value();
  }
  for (int i = 0; i < 10; ++i) {
    b.engine->tick().value();
    for (std::size_t n; (n = b.engine->poll_events(buf)) > 0;) events.insert(events.end(), buf.begin(), buf.begin() + n);
  }
  const WorkerHealth h = b.engine->health().workers[0];
  EXPECT_GT(refused, 0);
  EXPECT_GT(plays.size(), 10u);
  EXPECT_EQ(h.critical_events_dropped, 0u);
  // Every accepted playback started and ended exactly once.
  for (PlaybackId id : plays) {
    int started = 0, done = 0;
    for (const Event& e : events) {
      if (e.other_leg != id) continue;
      started += e.kind == EventKind::playback_started;
      done += e.kind == EventKind::playback_done;
    }
    EXPECT_EQ(started, 1) << id;
    EXPECT_EQ(done, 1) << id;
  }
}

TEST(EngineCommands, RoomsArePlacedByLegCountNotRoomCount) {
  Bench b(2);
  const RoomId big = b.room(8000);
  for (int i = 0; i < 6; ++i) b.join(big, {});
  // Six one-leg lobbies, as a service makes for every call: they go to the
  // worker without the big room until it carries as many legs.
  for (int i = 0; i < 6; ++i) b.join(b.room(8000), {});
  b.run(1);
  const EngineHealth h = b.engine->health();
  ASSERT_EQ(h.workers.size(), 2u);
  EXPECT_EQ(h.workers[0].legs, 6u);
  EXPECT_EQ(h.workers[1].legs, 6u);
  EXPECT_EQ(h.workers[0].rooms, 1u);
  EXPECT_EQ(h.workers[1].rooms, 6u);
}

TEST(EngineCommands, HealthReportsTicksAndTickTimes) {
  Bench b;
  const RoomId r = b.room(16000);
  for (int i = 0; i < 4; ++i) b.join(r, test::speech_like(-20, 16000, 16000 * 3, static_cast<unsigned>(i + 1)), "opus", 16000, 3.0);
  b.run(100);
  const WorkerHealth h = b.engine->health().workers[0];
  EXPECT_EQ(h.ticks, 100u);
  EXPECT_EQ(h.legs, 4u);
  EXPECT_GT(h.tick_p50_us, 0);
  EXPECT_LE(h.tick_p50_us, h.tick_p99_us);
  EXPECT_LE(h.tick_p99_us, h.tick_max_us);
  EXPECT_GT(h.load, 0.0);
  EXPECT_EQ(h.late_ticks, 0u);  // a virtual clock is never late
  EXPECT_EQ(h.events_dropped, 0u);
  EXPECT_GT(h.commands_applied, 4u);
}

TEST(EngineCommands, RunTimeCallsReturnErrorsInsteadOfThrowing) {
  Bench b;
  std::string why;
  RoomConfig rc;
  rc.name = "big";
  rc.max_legs = 0;
  EXPECT_EQ(b.engine->create_room(rc, &why).error(), errc::invalid_argument);
  EXPECT_EQ(why, "RoomConfig 'big': max_legs 0 is not in 1..65000");
  rc.max_legs = 4;
  rc.top_n = 100;
  EXPECT_EQ(b.engine->create_room(rc, &why).error(), errc::invalid_argument);
  EXPECT_EQ(why, "RoomConfig 'big': top_n 100 is not in 1..64");
  EXPECT_EQ(b.engine->start().error(), errc::invalid_state);  // a virtual clock is ticked, not started
  const RoomId r = b.room(8000);
  const LegId a = b.join(r, {});
  EXPECT_EQ(b.engine->update_leg(a, {.codec = LegCodec{"G729"}}, &why).error(), errc::unknown_codec);
  EXPECT_EQ(b.engine->update_leg(a, {.transport = transport::TransportUpdate{.remote = transport::RemoteEndpoint{"1.2.3.4", 5}}}, &why).error(),
            errc::not_supported);  // a file phone has no address
  EXPECT_EQ(b.engine->update_leg(999, {}).error(), errc::not_found);
}

// Issue 10: one convention for "no such id" across the engine and the mixer.
TEST(EngineIds, NoIdIsTheLargestValueOfItsTypeAsInTheMixer) {
  static_assert(kNoLeg == mix::kInvalidLeg);
  static_assert(kNoRoom == std::numeric_limits<RoomId>::max() && kNoPlayback == std::numeric_limits<PlaybackId>::max());
  Bench b;
  const RoomId r = b.room(8000);
  const LegId a = b.join(r, {});
  EXPECT_NE(r, kNoRoom);
  EXPECT_NE(a, kNoLeg);
  EXPECT_EQ(b.engine->room_of(a + 1000), kNoRoom);
  b.run(1);
  const auto created = std::find_if(b.events.begin(), b.events.end(),
                                    [](const Event& e) { return e.kind == EventKind::room_created; });
  ASSERT_NE(created, b.events.end());
  EXPECT_EQ(created->leg, kNoLeg);  // a room event names no leg
}

}  // namespace
}  // namespace libconf::engine
