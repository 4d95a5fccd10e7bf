// The host contract: the service calls CallControl (answer, early media,
// hang up with a cause, transfer) and Dialer (dial, cancel) and takes the
// host's reports (dial progress, answered, failed, transfer result).
#include <gtest/gtest.h>

#include "libconf/service/conference_service.hpp"
#include "service/service_bench.hpp"

namespace libconf::test {
namespace {

using service::CallState;
namespace ev = service::event;

// A RFC 4733 digit as the engine reports its end (what the service acts on).
void digit(ServiceBench& b, service::CallId call, char d) {
  engine::Event e;
  e.kind = engine::EventKind::dtmf_ended;
  e.digit = d;
  e.leg = b.svc->call(call)->leg;
  e.value = 120;
  b.svc->on_engine_events({&e, 1});
}

void digits(ServiceBench& b, service::CallId call, const std::string& ds) {
  for (char d : ds) digit(b, call, d);
}

// PIN only; two wrong PINs end the call (a refused caller, not the operator).
std::shared_ptr<const ivr::Menu> strict_pin_menu() {
  return std::make_shared<const ivr::Menu>(ivr::Menu::parse(R"({
    "name": "strict", "initial": "pin",
    "states": {
      "pin": {"action": "check_pin", "prompts": ["enter_pin"], "max_attempts": 2, "next": "join",
              "on_failure": "bye", "on_locked_out": "bye"},
      "join": {"action": "join"},
      "bye": {"action": "hangup"}}})",
                                                            "strict.json"));
}

std::unique_ptr<ServiceBench> pin_bench(service::AnswerMode mode) {
  auto c = ServiceBench::default_config();
  c.answer_mode = mode;
  c.menus["strict"] = strict_pin_menu();
  c.router.add_exact("+493012345602",
                     ivr::DidRoute{ivr::DidTarget::room, "strict", "4711", false, room::BillingMode::caller_pays});
  auto b = std::make_unique<ServiceBench>(std::move(c));
  EXPECT_TRUE(b->conf.set_pin(b->console, "4711", room::PinKind::participant, "1234", 0));
  return b;
}

TEST(CallControl, AnswerFirstAnswersOnArrivalBeforeAnyPrompt) {
  auto bench = pin_bench(service::AnswerMode::answer_first);
  ServiceBench& b = *bench;
  const auto a = b.call("+4917100001", "+493012345602");
  ASSERT_EQ(b.host.answered_ids, std::vector<std::string>{"sip-+4917100001"});
  EXPECT_TRUE(b.host.early.empty());
  EXPECT_TRUE(b.svc->call(a)->answered);
  // Answered before the first prompt: the answered event precedes prompt_started.
  const auto& all = b.all_events();
  const auto answered = std::find_if(all.begin(), all.end(), [](const auto& e) { return e.template get<ev::Answered>(); });
  const auto prompt = std::find_if(all.begin(), all.end(), [](const auto& e) { return e.template get<ev::PromptStarted>(); });
  ASSERT_NE(answered, all.end());
  ASSERT_NE(prompt, all.end());
  EXPECT_LT(answered - all.begin(), prompt - all.begin());
}

TEST(CallControl, EarlyMediaAnswersOnlyWhenThePinLetsTheCallerIn) {
  auto bench = pin_bench(service::AnswerMode::early_media);
  ServiceBench& b = *bench;
  const auto a = b.call("+4917100001", "+493012345602");
  b.run(0.2);
  EXPECT_EQ(b.host.early, std::vector<std::string>{"sip-+4917100001"});
  EXPECT_TRUE(b.host.answered.empty());  // prompts and PIN entry before the answer
  digits(b, a, "1234#");
  b.run(2.0);  // "joining", then the room
  EXPECT_EQ(b.svc->call(a)->state, CallState::in_room);
  EXPECT_EQ(b.host.answered, std::vector<service::CallId>{a});
}

TEST(CallControl, EarlyMediaCallerRefusedByTheMenuIsNeverAnswered) {
  auto bench = pin_bench(service::AnswerMode::early_media);
  ServiceBench& b = *bench;
  const auto a = b.call("+4917100001", "+493012345602");
  b.run(0.2);
  digits(b, a, "0000#");
  b.run(1.5);
  digits(b, a, "9999#");
  b.run(1.5);
  EXPECT_EQ(b.svc->call(a)->state, CallState::ended);
  EXPECT_TRUE(b.host.answered.empty());
  ASSERT_EQ(b.host.hung_up.size(), 1u);
  EXPECT_EQ(b.host.hung_up[0].call, a);
  EXPECT_EQ(b.host.hung_up[0].reason.cause, service::HangupCause::normal);
  // Unanswered: the host sends this final response instead of BYE.
  EXPECT_EQ(service::sip_status(b.host.hung_up[0].reason.cause), 480);
}

TEST(CallControl, KickHangsUpWithItsCauseAndAHostHangupIsNotEchoed) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  b.run(0.2);
  ASSERT_TRUE(b.svc->kick(b.console, a, "abuse"));
  ASSERT_EQ(b.host.hung_up.size(), 1u);
  EXPECT_EQ(b.host.hung_up[0].call, a);
  EXPECT_EQ(b.host.hung_up[0].external_id, "sip-+4917100001");
  EXPECT_EQ(b.host.hung_up[0].reason.cause, service::HangupCause::kicked);
  EXPECT_EQ(b.host.hung_up[0].reason.text, "abuse");
  ASSERT_TRUE(b.svc->hangup(c));  // the caller's BYE: the host knows already
  EXPECT_EQ(b.host.hung_up.size(), 1u);
  EXPECT_EQ(b.svc->hangup(a).error(), make_error_code(errc::not_found));
}

TEST(CallControl, UnknownRoomOfADirectRouteEndsTheCallAsNotFound) {
  auto c = ServiceBench::default_config();
  c.router.add_exact("+493012345603",
                     ivr::DidRoute{ivr::DidTarget::room, "", "9999", false, room::BillingMode::caller_pays});
  ServiceBench b(std::move(c));
  const auto a = b.call("+4917100001", "+493012345603");
  EXPECT_EQ(b.svc->call(a)->state, CallState::ended);
  ASSERT_EQ(b.host.hung_up.size(), 1u);
  // The hang-up came before incoming_call returned: the host finds the call by its own id.
  EXPECT_EQ(b.host.hung_up[0].external_id, "sip-+4917100001");
  EXPECT_EQ(b.host.hung_up[0].reason.cause, service::HangupCause::not_found);
}

TEST(CallControl, TransferNeedsTheSuperuserAndAnAllowedNumberAndEndsOnSuccess) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  b.run(0.2);
  auto participant = b.svc->actor_of(a);
  ASSERT_TRUE(participant);
  EXPECT_EQ(b.svc->transfer(*participant, c, "+4930123").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->transfer(b.console, c, "+1900555").error(), make_error_code(errc::permission_denied));
  EXPECT_EQ(b.svc->transfer(b.console, c, "+49 30").error(), make_error_code(errc::invalid_argument));
  EXPECT_TRUE(b.host.transfers.empty());
  ASSERT_TRUE(b.svc->transfer(b.console, c, "+4930123"));
  ASSERT_EQ(b.host.transfers.size(), 1u);
  EXPECT_EQ(b.host.transfers[0].second, "+4930123");
  ASSERT_TRUE(b.svc->transfer_result(c, false));  // refused by the far end: the call stays
  EXPECT_EQ(b.svc->call(c)->state, CallState::in_room);
  EXPECT_TRUE(b.has<ev::TransferFailed>([](const auto& e) { return e.target == "+4930123"; }));
  ASSERT_TRUE(b.svc->transfer(b.console, c, "+4930123"));
  ASSERT_TRUE(b.svc->transfer_result(c, true));
  EXPECT_EQ(b.svc->call(c)->state, CallState::ended);
  EXPECT_TRUE(b.host.hung_up.empty());  // the host ends the transferred dialog itself
  const auto cdr = b.svc->take_cdr();
  ASSERT_EQ(cdr.size(), 1u);
  EXPECT_EQ(cdr[0].exit, room::ExitReason::transferred);
}

TEST(Dialer, ProgressAndACauseReachTheEventsAndAnswerJoinsTheRoom) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  auto d1 = b.svc->invite(b.console, "4711", "+4930111", "+4930999");
  auto d2 = b.svc->invite(b.console, "4711", "+4930222");
  ASSERT_TRUE(d1 && d2);
  b.svc->dial_progress(*d1, service::DialProgress::ringing);
  b.svc->dial_progress(*d2, service::DialProgress::early_media);
  b.svc->dial_failed(*d2, {service::DialFailureCause::busy, 486, "Busy Here"});
  EXPECT_TRUE(b.has<ev::DialProgressed>([](const auto& e) { return e.progress == service::DialProgress::ringing; }));
  EXPECT_TRUE(b.has<ev::DialFailed>([](const auto& e) {
    return e.number == "+4930222" && e.failure.cause == service::DialFailureCause::busy && e.failure.sip_code == 486;
  }));
  auto callee = b.svc->dial_answered(*d1, b.leg(), "sip-out-1");
  ASSERT_TRUE(callee);
  b.run(0.2);
  EXPECT_EQ(b.svc->call(*callee)->state, CallState::in_room);
  EXPECT_EQ(b.svc->call(*callee)->external_id, "sip-out-1");
  EXPECT_TRUE(b.svc->call(*callee)->answered);
  EXPECT_TRUE(b.host.answered == std::vector<service::CallId>{a});  // the host answered its own callee
  // Reports for finished dials are ignored.
  b.svc->dial_failed(*d1, {service::DialFailureCause::busy, 486, "late"});
  EXPECT_EQ(b.svc->dial_answered(*d2, b.leg()).error(), make_error_code(errc::not_found));
}

TEST(Dialer, RingingCalleesAreCancelledWhenTheirRoomEnds) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.2);
  auto d = b.svc->invite(b.console, "4711", "+4930111");
  ASSERT_TRUE(d);
  ASSERT_TRUE(b.conf.end_room(b.console, "4711", b.svc->now_ms()));
  b.run(0.1);
  EXPECT_EQ(b.svc->call(a)->state, CallState::ended);
  EXPECT_EQ(b.host.cancelled, std::vector<service::DialId>{*d});
  EXPECT_TRUE(b.has<ev::DialFailed>(
      [](const auto& e) { return e.failure.cause == service::DialFailureCause::cancelled; }));
}

TEST(Dialer, AllowListWildcardsMatchDigitsOnly) {
  auto c = ServiceBench::default_config();
  c.dial_out_allowed = {"+4930???", "0800*"};
  ServiceBench b(std::move(c));
  EXPECT_TRUE(b.svc->invite(b.console, "4711", "+4930123"));
  EXPECT_TRUE(b.svc->invite(b.console, "4711", "08001234"));
  for (const char* n : {"+4930*#1", "+4930#12", "+493012*", "0800#", "0800*12", "+49301234"})
    EXPECT_EQ(b.svc->invite(b.console, "4711", n).error(), make_error_code(errc::permission_denied)) << n;
  EXPECT_EQ(b.host.dialled.size(), 2u);
}

}  // namespace
}  // namespace libconf::test
