// Service-level tests for what a story phone cannot do or show: RFC 4733
// digits (FileTransport sends in-band only), text names set by a moderator,
// operator requests, and the room-recording API's checks and limits.
#include <gtest/gtest.h>

#include "libconf/service/conference_service.hpp"
#include "service/service_bench.hpp"
#include "support/alloc_counter.hpp"

namespace libconf::test {
namespace {

// A telephone-event (RFC 4733) digit as the engine reports it: dtmf_started
// with value 1 (RFC 4733; 0 would be in-band), then dtmf_ended with the
// duration in ms. The service acts on the end.
void rfc4733_digit(ServiceBench& b, engine::LegId leg, char digit) {
  engine::Event ev[2];
  ev[0].kind = engine::EventKind::dtmf_started;
  ev[0].digit = digit;
  ev[0].leg = leg;
  ev[0].value = 1;
  ev[1] = ev[0];
  ev[1].kind = engine::EventKind::dtmf_ended;
  ev[1].value = 120;
  b.svc->on_engine_events(ev);
}

TEST(ServiceKeys, Rfc4733DigitTogglesMuteInTheRoom) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  const engine::LegId leg = b.svc->call(a)->leg;
  rfc4733_digit(b, leg, '1');
  EXPECT_TRUE(b.svc->call(a)->muted);
  EXPECT_TRUE(b.has<service::event::KeyPressed>([](const auto& e) { return e.action == ivr::KeyAction::toggle_mute; }));
  b.run(0.1);
  rfc4733_digit(b, leg, '1');
  EXPECT_FALSE(b.svc->call(a)->muted);
}

TEST(ServiceKeys, Rfc4733DigitsDriveTheMenu) {
  auto config = ServiceBench::default_config();
  config.router.add_exact("+493012345600", ivr::DidRoute{ivr::DidTarget::menu, "default", "", false, {}});
  ServiceBench b(std::move(config));
  const auto a = b.call("+4917100001", "+493012345600");
  b.run(0.1);
  const engine::LegId leg = b.svc->call(a)->leg;
  for (char d : std::string("4711#")) rfc4733_digit(b, leg, d);
  b.run(0.1);
  EXPECT_TRUE(b.has<service::event::RoomLookedUp>([](const auto& e) { return e.room == "4711" && e.found; }));
  EXPECT_EQ(b.svc->call(a)->state, service::CallState::ivr);  // now asked for the PIN
}

TEST(ServiceKeys, VolumeKeysChangeTheGainsByTheStepWithinTwelveDb) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  const engine::LegId leg = b.svc->call(a)->leg;
  for (int i = 0; i < 6; ++i) rfc4733_digit(b, leg, '9');  // talk up: 3, 6, 9, 12, 12, 12
  rfc4733_digit(b, leg, '4');                              // listen down: -3
  EXPECT_TRUE(b.has<service::event::VolumesChanged>([](const auto& e) { return e.talk_gain_db == 12.0f && e.listen_gain_db == -3.0f; }));
  EXPECT_FALSE(b.has<service::event::VolumesChanged>([](const auto& e) { return e.talk_gain_db > 12.0f; }));
  rfc4733_digit(b, leg, '7');  // talk down
  rfc4733_digit(b, leg, '6');  // listen up
  EXPECT_TRUE(b.has<service::event::VolumesChanged>([](const auto& e) { return e.talk_gain_db == 9.0f && e.listen_gain_db == 0.0f; }));
}

TEST(ServiceKeys, OperatorKeyAlertsTheOperatorAndListeningInAttendsIt) {
  ServiceBench b;
  const auto op = b.svc->operator_call("operator-1", b.leg());
  ASSERT_TRUE(op);
  const auto a = b.call("+4917100001");
  b.run(0.2);
  rfc4733_digit(b, b.svc->call(a)->leg, '0');
  ASSERT_EQ(b.svc->operator_requests().size(), 1u);
  EXPECT_EQ(b.svc->operator_requests()[0].call, a);
  EXPECT_EQ(b.svc->operator_requests()[0].room, "4711");
  EXPECT_TRUE(b.has<service::event::OperatorAlerted>([](const auto& e) { return e.phones == 1; }));
  EXPECT_EQ(b.svc->call(a)->state, service::CallState::in_room);  // the caller stays in the room
  ASSERT_TRUE(b.svc->listen_in(b.console, *op, "4711"));
  EXPECT_TRUE(b.svc->operator_requests().empty());
  b.run(0.1);
  ASSERT_TRUE(b.svc->stop_listen_in(*op));  // the listener leaves unheard
  EXPECT_TRUE(b.has<service::event::ListenInStopped>());
  EXPECT_FALSE(b.has<service::event::Announced>([](const auto& e) { return !e.joined; }));
}

TEST(ServiceNames, ModeratorSetsATextNameAndOnlyTheToneIsAnnounced) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  b.run(0.2);
  auto participant = b.svc->actor_of(a);
  ASSERT_TRUE(participant);
  EXPECT_EQ(b.svc->set_name(*participant, c, "Mallory").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->set_name(b.console, c, std::string("bad\nname")).error(), make_error_code(errc::invalid_argument));
  ASSERT_TRUE(b.svc->set_name(b.console, c, "Carol Chair"));
  EXPECT_TRUE(b.has<service::event::NameSet>([](const auto& e) { return e.name == "Carol Chair"; }));
  ASSERT_TRUE(b.svc->hangup(c));
  EXPECT_TRUE(b.has<service::event::Announced>([](const auto& e) { return !e.joined && !e.recorded_name; }));
}

TEST(ServiceRecording, ChecksPermissionPrefixRoomAndState) {
  ServiceBench b;
  EXPECT_EQ(b.svc->start_room_recording(b.console, "4711", "x").error(), make_error_code(errc::invalid_state));
  const auto a = b.call("+4917100001");
  b.run(0.2);
  auto participant = b.svc->actor_of(a);
  ASSERT_TRUE(participant);
  EXPECT_EQ(b.svc->start_room_recording(*participant, "4711", "x").error(), make_error_code(errc::permission_denied));
  EXPECT_TRUE(b.has<room::event::ActionDenied>([](const auto& e) { return e.action == room::Action::record; }));
  for (const char* bad : {"", "../etc/passwd", "a/b", "-rf", "with space"})
    EXPECT_EQ(b.svc->start_room_recording(b.console, "4711", bad).error(), make_error_code(errc::invalid_argument)) << bad;
  service::RecordingLimits huge;
  huge.max_duration_ms = 365LL * 24 * 3'600'000;
  EXPECT_EQ(b.svc->start_room_recording(b.console, "4711", "x", huge).error(), make_error_code(errc::invalid_argument));
  EXPECT_EQ(b.svc->start_room_recording(b.console, "nope", "x").error(), make_error_code(errc::not_found));
  EXPECT_EQ(b.svc->stop_room_recording(b.console, "4711").error(), make_error_code(errc::not_found));
  ASSERT_TRUE(b.svc->start_room_recording(b.console, "4711", "x"));
  EXPECT_TRUE(b.svc->recording("default", "4711"));
  EXPECT_EQ(b.svc->start_room_recording(b.console, "4711", "y").error(), make_error_code(errc::already_exists));
  b.run(0.2);
  EXPECT_EQ(b.svc->stop_room_recording(*participant, "4711").error(), make_error_code(errc::permission_denied));
  ASSERT_TRUE(b.svc->stop_room_recording(b.console, "4711"));
  EXPECT_TRUE(b.svc->take_recordings().empty());  // handed over once the engine let go of it
  b.run(0.1);
  auto recs = b.svc->take_recordings();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].out_prefix, "x");
  EXPECT_EQ(recs[0].stop_reason, "stopped");
  ASSERT_EQ(recs[0].tracks.size(), 1u);
  EXPECT_EQ(recs[0].tracks[0].call, a);
  EXPECT_EQ(recs[0].tracks[0].samples.size(), recs[0].mix.size());
  EXPECT_NEAR(static_cast<double>(recs[0].mix.size()), 0.2 * 16000, 320.0);
  EXPECT_FALSE(b.svc->recording("default", "4711"));
}

TEST(ServiceRecording, StopsWhenFullAndWhenTheRoomCloses) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  service::RecordingLimits one_second;
  one_second.max_duration_ms = 1000;
  ASSERT_TRUE(b.svc->start_room_recording(b.console, "4711", "short", one_second));
  b.run(1.5);
  EXPECT_TRUE(b.has<service::event::RecordingFull>([](const auto& e) { return e.prefix == "short"; }));
  auto recs = b.svc->take_recordings();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].stop_reason, "full");
  EXPECT_EQ(recs[0].mix.size(), 16000u);
  ASSERT_TRUE(b.svc->start_room_recording(b.console, "4711", "closing"));
  ASSERT_TRUE(b.svc->hangup(a));  // the last leg leaves: the engine room closes
  b.run(0.1);
  recs = b.svc->take_recordings();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].stop_reason, "room closed");
}

// The recorder runs on the media thread: ticks of a recorded room allocate nothing.
TEST(ServiceRecording, RecordedTicksAllocateNothing) {
  ServiceBench b;
  b.call("+4917100001");
  b.call("+4917100002");
  b.run(0.2);
  ASSERT_TRUE(b.svc->start_room_recording(b.console, "4711", "rt"));
  b.run(0.2);  // warm-up: the recorder is attached
  std::size_t allocations = 0;
  {
    AllocationScope scope;
    for (int i = 0; i < 100; ++i) b.eng.tick().value();
    allocations = scope.count();
  }
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace libconf::test
