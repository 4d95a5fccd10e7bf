#include "libconf/service/conference_service.hpp"

#include <gtest/gtest.h>

#include "service/service_bench.hpp"
#include "store/temp_db.hpp"

namespace libconf::test {
namespace {

TEST(ConferenceService, UnknownDidIsRefusedAndNothingIsCreated) {
  ServiceBench b;
  auto id = b.svc->incoming_call(service::CallInfo{"+1555000", "+4917100001", ""}, b.leg());
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), make_error_code(errc::not_found));
  EXPECT_TRUE(b.svc->calls().empty());
  EXPECT_TRUE(b.has<service::event::CallRefused>([](const auto& e) { return e.did == "+1555000" && e.reason == errc::not_found; }));
}

TEST(ConferenceService, HugeDialledNumberIsRefusedAndTheMessageStaysShort) {
  ServiceBench b;
  const std::string huge(100000, '5');
  auto id = b.svc->incoming_call(service::CallInfo{huge, "+4917100001", ""}, b.leg());
  EXPECT_FALSE(id);
  EXPECT_TRUE(b.svc->calls().empty());
  for (const auto& e : b.all_events()) EXPECT_LT(service::to_json(e).size(), 200u);
}

TEST(ConferenceService, ControlCharactersInCallerIdAreRefused) {
  ServiceBench b;
  auto id = b.svc->incoming_call(service::CallInfo{"+493012345601", "+49\n171", ""}, b.leg());
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), make_error_code(errc::invalid_argument));
  EXPECT_TRUE(b.svc->calls().empty());
}

TEST(ConferenceService, DirectRoomDidJoinsWithoutMenu) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  auto v = b.svc->call(a);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state, service::CallState::in_room);
  EXPECT_EQ(v->room, "4711");
  EXPECT_NE(b.svc->engine_room("default", "4711"), engine::kNoRoom);
  EXPECT_EQ(b.eng.room_of(v->leg), b.svc->engine_room("default", "4711"));
}

TEST(ConferenceService, OperatorNumberQueuesAndUnknownRoomKeepsTheCallerQueued) {
  ServiceBench b;
  const auto a = b.call("+4917100001", "+493012345699");
  b.run(0.2);
  EXPECT_EQ(b.svc->call(a)->state, service::CallState::queued);
  EXPECT_FALSE(b.svc->take_from_queue(b.console, "no-such-room"));
  EXPECT_EQ(b.svc->queue("default"), std::vector<service::CallId>{a});
  const room::Actor participant{"default", room::Role::participant, 7};
  EXPECT_EQ(b.svc->take_from_queue(participant, "4711").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->queue("default"), std::vector<service::CallId>{a});
  ASSERT_TRUE(b.svc->take_from_queue(b.console, "4711"));
  b.run(0.2);
  EXPECT_EQ(b.svc->call(a)->state, service::CallState::in_room);
  EXPECT_TRUE(b.svc->queue("default").empty());
}

TEST(ConferenceService, DialOutRefusesNumbersOutsideTheAllowList) {
  ServiceBench b;
  EXPECT_EQ(b.svc->invite(b.console, "4711", "+1900555123").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->invite(b.console, "4711", "0049 30 1").error(), make_error_code(errc::invalid_argument));
  EXPECT_EQ(b.svc->invite(b.console, "4711", std::string(5000, '1')).error(), make_error_code(errc::invalid_argument));
  EXPECT_EQ(b.svc->invite(b.console, "nope", "+4930123").error(), make_error_code(errc::not_found));
  EXPECT_TRUE(b.host.dialled.empty());
  EXPECT_TRUE(b.has<service::event::DialRefused>([](const auto& e) { return e.reason == errc::permission_denied; }));
  ASSERT_TRUE(b.svc->invite(b.console, "4711", "+4930123", "+4930999"));
  ASSERT_EQ(b.host.dialled.size(), 1u);
  EXPECT_EQ(b.host.dialled[0].caller_id, "+4930999");
  EXPECT_EQ(b.host.dialled[0].room, "4711");
  EXPECT_EQ(b.host.dialled[0].tenant, "default");
}

TEST(ConferenceService, ParticipantMayNotKickAndNothingChanges) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  b.run(0.2);
  auto actor = b.svc->actor_of(a);
  ASSERT_TRUE(actor);
  EXPECT_EQ(b.svc->kick(*actor, c, "spite").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->call(c)->state, service::CallState::in_room);
  EXPECT_TRUE(b.has<room::event::ActionDenied>());
  EXPECT_EQ(b.svc->set_volumes(*actor, a, 100.0f, 0.0f).error(), make_error_code(errc::invalid_argument));
  EXPECT_EQ(b.svc->set_volumes(*actor, c, 3.0f, 0.0f).error(), make_error_code(errc::permission_denied));
  EXPECT_TRUE(b.svc->set_volumes(*actor, a, 3.0f, -3.0f));
}

TEST(ConferenceService, KickEndsTheCallAndTheCdrReachesTheStore) {
  store::testing::TempDb db;
  store::SqliteOptions so;
  so.full_sync = false;
  so.pin_hash = room::PinHashParams::minimum();
  store::SqliteStore st(db.path(), so);
  ASSERT_TRUE(st.add_tenant(store::TenantRecord{"default", {}}));
  ServiceBench b(ServiceBench::default_config(), &st);
  const auto a = b.call("+4917100001");
  b.run(1.0);
  ASSERT_TRUE(b.svc->kick(b.console, a, "abuse"));
  b.run(0.1);
  EXPECT_EQ(b.svc->call(a)->state, service::CallState::ended);
  auto rows = st.cdr("default");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].caller_id, "+4917100001");
  EXPECT_EQ((*rows)[0].exit, room::ExitReason::kicked);
  EXPECT_EQ((*rows)[0].exit_detail, "abuse");
  EXPECT_GE((*rows)[0].conference_ms(), 900);
}

TEST(ConferenceService, GroupCodeDialsTheStoredGroupOnceWithTheCreatorsCallerId) {
  store::testing::TempDb db;
  store::SqliteOptions so;
  so.full_sync = false;
  store::SqliteStore st(db.path(), so);
  ASSERT_TRUE(st.add_tenant(store::TenantRecord{"default", {}}));
  ASSERT_TRUE(st.put_group(store::GroupRecord{"default", "4930111", {"+4930222", "+4930333", "+1900666"}}));
  ServiceBench b(ServiceBench::default_config(), &st);
  const auto owner = b.call("+4930111", "*100");
  b.run(0.2);
  EXPECT_EQ(b.svc->call(owner)->room, "4930111");
  ASSERT_EQ(b.host.dialled.size(), 2u);  // +1900666 is not an allowed dial-out number
  EXPECT_EQ(b.host.dialled[0].caller_id, "+4930111");
  EXPECT_EQ(b.host.dialled[0].timeout_ms, 15000);
  // Calling again while the members still ring dials nobody again.
  b.call("+4930111", "*100");
  b.run(0.2);
  EXPECT_EQ(b.host.dialled.size(), 2u);
  // Nobody answers: after 15 s the service gives up and cancels both.
  b.run(15.5);
  EXPECT_EQ(b.host.cancelled.size(), 2u);
  EXPECT_TRUE(b.has<service::event::DialFailed>([](const auto& e) { return e.failure.cause == service::DialFailureCause::no_answer; }));
  // An answer after the timeout is refused.
  EXPECT_FALSE(b.svc->dial_answered(1, b.leg()));
}

TEST(ConferenceService, EndedCallsDoNotPileUp) {
  ServiceBench b;
  for (int i = 0; i < 400; ++i) {
    const auto id = b.call("+49171" + std::to_string(1000 + i));
    ASSERT_TRUE(b.svc->hangup(id));
    b.run(0.02);
  }
  EXPECT_LE(b.svc->calls().size(), 257u);
  EXPECT_EQ(b.svc->take_cdr().size(), 400u);
  EXPECT_EQ(b.svc->engine_room("default", "4711"), engine::kNoRoom);  // closed when the last leg left
}

TEST(ConferenceService, HangupOfUnknownCallIsNotFound) {
  ServiceBench b;
  EXPECT_EQ(b.svc->hangup(42).error(), make_error_code(errc::not_found));
  EXPECT_EQ(b.svc->stop_listen_in(42).error(), make_error_code(errc::not_found));
}

TEST(ConferenceService, BadConfigurationThrowsNamingTheValue) {
  engine::Engine eng;
  room::Conference conf;
  service::ServiceConfig c;
  c.room_rate_hz = 11025;
  try {
    service::ConferenceService s(eng, conf, c, service::PromptLibrary());
    (void)s;
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("11025"), std::string::npos);
  }
}

}  // namespace
}  // namespace libconf::test

namespace libconf::test {
namespace {

// A moderator's authority is its room: across rooms of one tenant the service
// refuses invites, volumes, recordings and listen-in like the Conference does.
TEST(ConferenceService, AuthorityIsTheRoomNotTheTenant) {
  ServiceBench b;
  room::RoomConfig rc;
  rc.name = "4712";
  ASSERT_TRUE(b.conf.create_room(b.console, rc, 0));
  ASSERT_TRUE(b.conf.set_pin(b.console, "4712", room::PinKind::participant, "2468", 0));
  const auto a = b.call("+4917100001");                   // a participant of 4711
  const auto m = b.call("+4917100002", "+493012345699");  // the operator makes it 4711's moderator
  b.run(0.1);
  ASSERT_TRUE(b.svc->take_from_queue(b.console, "4711", room::Role::moderator));
  const auto victim = b.call("+4917100003", "+493012345699");
  b.run(0.1);
  ASSERT_TRUE(b.svc->take_from_queue(b.console, "4712"));
  b.run(0.1);
  const auto participant = *b.svc->actor_of(a);
  const auto moderator = *b.svc->actor_of(m);
  EXPECT_EQ(b.svc->invite(participant, "4712", "+4930123").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->invite(moderator, "4712", "+4930123").error(), make_error_code(errc::permission_denied));
  EXPECT_TRUE(b.host.dialled.empty());
  EXPECT_EQ(b.svc->set_volumes(moderator, victim, 6, 6).error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->start_room_recording(moderator, "4712", "spy").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->listen_in(moderator, m, "4712").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->set_muted(moderator, victim, true).error(), make_error_code(errc::permission_denied));
  EXPECT_FALSE(b.svc->call(victim)->muted);
  EXPECT_EQ(b.svc->call(m)->state, service::CallState::in_room);
  // Within its room it may.
  EXPECT_TRUE(b.svc->set_volumes(moderator, a, 3, 0));
  EXPECT_TRUE(b.svc->invite(participant, "4711", "+4930123"));
}

}  // namespace
}  // namespace libconf::test
