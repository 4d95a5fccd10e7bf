// PIN checks off the service's thread: the decision waits for the verifier,
// its queue is bounded, a hang-up does not erase a wrong guess, and typed
// PIN digits never leave the service in clear.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "libconf/service/conference_service.hpp"
#include "service/service_bench.hpp"

namespace libconf::test {
namespace {

using service::CallState;
namespace ev = service::event;

void digits(ServiceBench& b, service::CallId call, const std::string& ds) {
  for (char d : ds) {
    engine::Event e;
    e.kind = engine::EventKind::dtmf_ended;
    e.digit = d;
    e.leg = b.svc->call(call)->leg;
    e.value = 120;
    b.svc->on_engine_events({&e, 1});
  }
}

// PIN only (as examples/menus/direct.json): three wrong PINs or a lock-out -> operator.
std::shared_ptr<const ivr::Menu> pin_menu() {
  return std::make_shared<const ivr::Menu>(ivr::Menu::parse(R"({
    "name": "pin", "initial": "pin",
    "states": {
      "pin": {"action": "check_pin", "prompts": ["enter_pin"], "max_attempts": 3, "next": "join",
              "on_failure": "operator", "on_locked_out": "operator"},
      "join": {"action": "join"},
      "operator": {"action": "route_to_operator"}}})",
                                                            "pin.json"));
}

std::unique_ptr<ServiceBench> pin_bench(int threads, std::size_t max_pending = 256) {
  auto c = ServiceBench::default_config();
  c.pin_check_threads = threads;
  c.max_pending_pin_checks = max_pending;
  c.menus["pin"] = pin_menu();
  c.router.add_exact("+493012345602",
                     ivr::DidRoute{ivr::DidTarget::room, "pin", "4711", false, room::BillingMode::caller_pays});
  auto b = std::make_unique<ServiceBench>(std::move(c));
  EXPECT_TRUE(b->conf.set_pin(b->console, "4711", room::PinKind::participant, "1234", 0));
  EXPECT_TRUE(b->conf.set_pin(b->console, "4711", room::PinKind::moderator, "98765", 0));
  return b;
}

TEST(ServicePin, TheDecisionWaitsForTheVerifierNotTheCaller) {
  auto bench = pin_bench(2);
  ServiceBench& b = *bench;
  const auto a = b.call("+4917100001", "+493012345602");
  b.run(0.1);
  digits(b, a, "1234#");
  // on_engine_events returned without hashing: no decision yet.
  EXPECT_FALSE(b.has<ev::PinChecked>());
  EXPECT_EQ(b.svc->call(a)->state, CallState::ivr);
  EXPECT_EQ(b.conf.pending_pin_checks(), 1u);
  ASSERT_TRUE(b.svc->wait_for_background(std::chrono::seconds(10)));
  b.svc->tick(b.svc->now_ms());
  EXPECT_TRUE(b.has<ev::PinChecked>([](const auto& e) { return e.outcome == room::AdmitOutcome::joined; }));
  EXPECT_EQ(b.conf.pending_pin_checks(), 0u);
  b.run(2.0);
  EXPECT_EQ(b.svc->call(a)->state, CallState::in_room);
}

TEST(ServicePin, AFullQueueSendsTheCallerTheLockedOutWayInsteadOfGrowing) {
  auto bench = pin_bench(0, 2);  // threads 0: checks wait until tick runs them
  ServiceBench& b = *bench;
  std::vector<service::CallId> calls;
  for (int i = 0; i < 3; ++i) calls.push_back(b.call("+491710000" + std::to_string(i), "+493012345602"));
  b.run(0.1);
  for (auto c : calls) digits(b, c, "1234#");
  EXPECT_EQ(b.of<ev::PinCheckRefused>().size(), 1u);
  EXPECT_EQ(b.conf.pending_pin_checks(), 2u);
  b.run(3.0);
  EXPECT_EQ(b.svc->call(calls[0])->state, CallState::in_room);
  EXPECT_EQ(b.svc->call(calls[1])->state, CallState::in_room);
  EXPECT_EQ(b.svc->call(calls[2])->state, CallState::queued);  // the direct menu's locked-out way
}

TEST(ServicePin, HangingUpDuringTheCheckDoesNotEraseAWrongGuess) {
  auto bench = pin_bench(0);
  ServiceBench& b = *bench;
  for (int i = 0; i < 3; ++i) {
    const auto a = b.call("+4917100009", "+493012345602");
    b.run(0.1);
    digits(b, a, "0000#");
    ASSERT_TRUE(b.svc->hangup(a));  // before tick runs the check
    b.run(0.1);
  }
  // Three wrong PINs from this number counted: it is locked out now.
  EXPECT_EQ(b.of<room::event::PinRejected>().size(), 3u);
  EXPECT_EQ(b.of<room::event::LockedOut>().size(), 1u);
  EXPECT_EQ(b.conf.pending_pin_checks(), 0u);
}

TEST(ServicePin, DigitsTypedWhileAPinIsCollectedAreMaskedEverywhere) {
  auto bench = pin_bench(2);
  ServiceBench& b = *bench;
  const auto a = b.call("+4917100001", "+493012345602");
  b.run(0.1);
  EXPECT_TRUE(b.svc->collecting_pin(b.svc->call(a)->leg));
  digits(b, a, "98765#");
  b.run(2.0);
  EXPECT_EQ(b.svc->call(a)->state, CallState::in_room);
  EXPECT_FALSE(b.svc->collecting_pin(b.svc->call(a)->leg));
  digits(b, a, "1");  // an in-room key: not secret
  const auto got = b.of<ev::DigitReceived>();
  ASSERT_EQ(got.size(), 7u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(got[i].masked);
    EXPECT_EQ(got[i].digit, '\0');
    EXPECT_EQ(got[i].position, i + 1);
  }
  EXPECT_FALSE(got[6].masked);
  EXPECT_EQ(got[6].digit, '1');
  // Nothing the service reports spells the PIN.
  std::string all;
  for (const auto& e : b.all_events()) all += service::to_json(e);
  EXPECT_EQ(all.find("98765"), std::string::npos);
  EXPECT_EQ(all.find("\"digit\":\"9\""), std::string::npos);
}

}  // namespace
}  // namespace libconf::test
