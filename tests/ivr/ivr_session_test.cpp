#include "libconf/ivr/ivr_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ivr/action_text.hpp"

namespace libconf::ivr {
namespace {

using test::to_text;
using Texts = std::vector<std::string>;

// Drives one session on a virtual clock, as a host would.
class Caller {
 public:
  explicit Caller(std::shared_ptr<const Menu> menu) : session(std::move(menu)) {}

  Texts start() { return to_text(session.start(now)); }
  Texts digit(char d) { return to_text(session.on_digit(d, now)); }
  Texts type(std::string_view digits, std::int64_t gap_ms = 300) {
    Texts all;
    for (char d : digits) {
      now += gap_ms;
      for (auto& t : digit(d)) all.push_back(t);
    }
    return all;
  }
  Texts prompt_done(std::int64_t duration_ms = 2000) {
    now += duration_ms;
    return to_text(session.on_prompt_done(now));
  }
  /// Ticks every 20 ms for ms, returning everything emitted.
  Texts wait(std::int64_t ms) {
    Texts all;
    for (std::int64_t end = now + ms; now < end;) {
      now += 20;
      for (auto& t : to_text(session.on_tick(now))) all.push_back(t);
    }
    return all;
  }
  Texts reply(HostReply r) { return to_text(session.on_host_reply(r, now)); }

  IvrSession session;
  std::int64_t now = 1'000'000;
};

// Plays the default menu up to the moment it waits for the room number.
void reach_room_entry(Caller& c) {
  ASSERT_EQ(c.start(), Texts{"play welcome"});
  ASSERT_EQ(c.prompt_done(), Texts{"play enter_room"});
  ASSERT_EQ(c.prompt_done(), Texts{});
}

void reach_pin_entry(Caller& c, std::string_view room = "4711") {
  reach_room_entry(c);
  ASSERT_EQ(c.type(std::string(room) + "#"), Texts{"lookup " + std::string(room)});
  ASSERT_EQ(c.reply(HostReply::room_found()), Texts{"play enter_pin"});
  ASSERT_EQ(c.prompt_done(), Texts{});
}

TEST(IvrSession, DefaultFlowJoinsWithTheRoleTheHostConfirmed) {
  Caller c(Menu::builtin_default());
  reach_pin_entry(c);
  EXPECT_EQ(c.session.state_name(), "pin");
  EXPECT_EQ(c.type("1234#"), Texts{"check 4711 1234"});
  EXPECT_EQ(c.reply(HostReply::pin_ok(room::Role::moderator)), Texts{"play joining"});
  EXPECT_EQ(c.digit('5'), Texts{});  // the join prompt does not allow barge-in
  EXPECT_FALSE(c.session.finished());
  EXPECT_EQ(c.prompt_done(), Texts{"join 4711 moderator"});
  EXPECT_TRUE(c.session.finished());
  EXPECT_EQ(c.digit('1'), Texts{});
  EXPECT_EQ(c.wait(60'000), Texts{});
}

TEST(IvrSession, WelcomeIsRepeatedAfterTimeoutThenOperator) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  ASSERT_EQ(c.session.next_deadline_ms(), c.now + 10'000);
  EXPECT_EQ(c.wait(9'980), Texts{});
  EXPECT_EQ(c.wait(20), Texts{"play welcome"});  // first retry, exactly at 10 s
  EXPECT_EQ(c.prompt_done(), Texts{"play enter_room"});
  EXPECT_EQ(c.prompt_done(), Texts{});
  EXPECT_EQ(c.wait(10'000), Texts{"play welcome"});  // second retry
  c.prompt_done();
  c.prompt_done();
  EXPECT_EQ(c.wait(10'000), Texts{"play to_operator"});  // retries used up
  EXPECT_EQ(c.prompt_done(), Texts{"operator no_input "});
  EXPECT_TRUE(c.session.finished());
}

TEST(IvrSession, ThreeWrongPinsGoToTheOperator) {
  Caller c(Menu::builtin_default());
  reach_pin_entry(c);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    EXPECT_EQ(c.type("0000#"), Texts{"check 4711 0000"});
    EXPECT_EQ(c.reply(HostReply::pin_wrong()), Texts{"play pin_wrong"});
    EXPECT_EQ(c.prompt_done(), Texts{"play enter_pin"});
    EXPECT_EQ(c.prompt_done(), Texts{});
    EXPECT_EQ(c.session.pin_failures(), attempt);
  }
  EXPECT_EQ(c.type("0000#"), Texts{"check 4711 0000"});
  EXPECT_EQ(c.reply(HostReply::pin_wrong()), Texts{"play to_operator"});
  EXPECT_EQ(c.prompt_done(), Texts{"operator wrong_pin 4711"});
  EXPECT_EQ(c.session.pin_failures(), 3);
}

TEST(IvrSession, SecondPinIsRightAfterOneWrong) {
  Caller c(Menu::builtin_default());
  reach_pin_entry(c);
  c.type("9999#");
  c.reply(HostReply::pin_wrong());
  c.prompt_done();
  c.prompt_done();
  EXPECT_EQ(c.type("1234#"), Texts{"check 4711 1234"});
  EXPECT_EQ(c.reply(HostReply::pin_ok(room::Role::participant)), Texts{"play joining"});
  EXPECT_EQ(c.prompt_done(), Texts{"join 4711 participant"});
}

TEST(IvrSession, DigitsBargeIntoThePromptWhereAllowed) {
  Caller c(Menu::builtin_default());
  ASSERT_EQ(c.start(), Texts{"play welcome"});
  EXPECT_EQ(c.digit('4'), Texts{"stop"});  // barge-in: the prompt stops, the digit counts
  EXPECT_EQ(c.prompt_done(), Texts{});      // a stray prompt end changes nothing
  EXPECT_EQ(c.type("711#"), Texts{"lookup 4711"});
  EXPECT_EQ(c.reply(HostReply::room_found()), Texts{"play enter_pin"});
  EXPECT_EQ(c.type("12"), Texts{"stop"});
  EXPECT_EQ(c.type("34#"), Texts{"check 4711 1234"});
}

TEST(IvrSession, NoBargeInDropsDigitsUntilThePromptEnds) {
  auto menu = std::make_shared<const Menu>(Menu::parse(R"({"initial": "r", "states": {
      "r": {"action": "collect_room", "prompts": ["legal_notice"], "barge_in": false,
            "next": "j", "on_failure": "j"},
      "j": {"action": "join", "role": "listener"}}})",
                                                       "nobarge.json"));
  Caller c(menu);
  ASSERT_EQ(c.start(), Texts{"play legal_notice"});
  EXPECT_EQ(c.type("99"), Texts{});
  EXPECT_EQ(c.session.entry(), "");
  EXPECT_EQ(c.prompt_done(), Texts{});
  EXPECT_EQ(c.type("12#"), Texts{"join 12 listener"});  // no lookup: straight on; the menu's role
}

TEST(IvrSession, InterDigitTimeoutCompletesTheEntry) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  EXPECT_EQ(c.type("47"), Texts{});
  EXPECT_EQ(c.wait(4'980), Texts{});
  EXPECT_EQ(c.wait(20), Texts{"lookup 47"});
}

TEST(IvrSession, OverallTimeoutEndsASlowEntry) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  const std::int64_t start = c.now;
  c.type("4", 4'000);
  c.type("7", 4'000);  // 8 s in, each gap under the 5 s inter-digit limit
  EXPECT_EQ(c.wait(1'980), Texts{});
  EXPECT_EQ(c.wait(20), Texts{"lookup 47"});
  EXPECT_EQ(c.now - start, 10'000);
}

TEST(IvrSession, FloodOfDigitsIsCutAtMaxDigits) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  // 1000 digits: the entry completes at max_digits (8); the rest are dropped.
  Texts out = c.type(std::string(1000, '5'), 10);
  EXPECT_EQ(out, Texts{"lookup 55555555"});
  EXPECT_EQ(c.session.room(), "55555555");
  EXPECT_EQ(c.session.entry().size(), 8u);
}

TEST(IvrSession, StarStartsTheEntryOver) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  EXPECT_EQ(c.type("99*4711#"), Texts{"lookup 4711"});
}

TEST(IvrSession, TerminatorAloneIsNoInputAndReplaysTheWelcome) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  EXPECT_EQ(c.type("#"), Texts{"play welcome"});
}

TEST(IvrSession, UnknownRoomPlaysTheInvalidPromptAndAsksAgain) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  c.type("1#");
  EXPECT_EQ(c.reply(HostReply::room_unknown()), Texts{"play room_unknown"});
  EXPECT_EQ(c.session.room(), "");
  EXPECT_EQ(c.prompt_done(), Texts{"play welcome"});
  EXPECT_EQ(c.prompt_done(), Texts{"play enter_room"});
}

TEST(IvrSession, RoomUnknownAtPinCheckGoesBackToRoomEntry) {
  Caller c(Menu::builtin_default());
  reach_pin_entry(c);
  c.type("1234#");
  EXPECT_EQ(c.reply(HostReply::room_unknown()), Texts{"play welcome"});
  EXPECT_EQ(c.session.state_name(), "room");
}

TEST(IvrSession, LockedOutGoesToTheOperatorWithThatReason) {
  Caller c(Menu::builtin_default());
  reach_pin_entry(c);
  c.type("1234#");
  EXPECT_EQ(c.reply(HostReply::locked_out()), Texts{"play to_operator"});
  EXPECT_EQ(c.prompt_done(), Texts{"operator locked_out 4711"});
}

TEST(IvrSession, RepliesThatAnswerNothingAreIgnored) {
  Caller c(Menu::builtin_default());
  EXPECT_EQ(c.reply(HostReply::pin_ok(room::Role::superuser)), Texts{});  // before start
  reach_room_entry(c);
  EXPECT_EQ(c.reply(HostReply::room_found()), Texts{});  // no question asked
  c.type("4711#");
  EXPECT_EQ(c.reply(HostReply::pin_ok(room::Role::superuser)), Texts{});  // wrong answer kind
  EXPECT_EQ(c.reply(HostReply::room_found()), Texts{"play enter_pin"});
  EXPECT_EQ(c.start(), Texts{});  // a second start does nothing
}

TEST(IvrSession, NonDtmfInputIsIgnored) {
  Caller c(Menu::builtin_default());
  reach_room_entry(c);
  EXPECT_EQ(c.type("4x7\n1\0"), Texts{});
  EXPECT_EQ(c.session.entry(), "471");
}

TEST(IvrSession, DirectMenuUsesThePresetRoom) {
  auto menu = std::make_shared<const Menu>(Menu::load_file(LIBCONF_EXAMPLE_MENUS_DIR "/direct.json"));
  Caller c(menu);
  ASSERT_TRUE(c.session.preset_room("4711"));
  EXPECT_EQ(c.start(), Texts{"play welcome"});
  EXPECT_FALSE(c.session.preset_room("1"));  // too late
  EXPECT_EQ(c.prompt_done(), Texts{"play enter_pin"});
  EXPECT_EQ(c.type("55#"), (Texts{"stop", "check 4711 55"}));
  EXPECT_EQ(c.reply(HostReply::pin_ok(room::Role::listener)), Texts{"play joining"});
  EXPECT_EQ(c.prompt_done(), Texts{"join 4711 listener"});
}

TEST(IvrSession, DirectMenuSendsAnUnknownRoomToTheOperator) {
  auto menu = std::make_shared<const Menu>(Menu::load_file(LIBCONF_EXAMPLE_MENUS_DIR "/direct.json"));
  Caller c(menu);
  ASSERT_TRUE(c.session.preset_room("999"));
  c.start();
  c.prompt_done();
  c.prompt_done();
  c.type("1#");
  EXPECT_EQ(c.reply(HostReply::room_unknown()), Texts{"play to_operator"});
  EXPECT_EQ(c.prompt_done(), Texts{"operator room_unknown 999"});
}

TEST(IvrSession, PresetRoomRejectsEmptyAndOverlong) {
  IvrSession s(Menu::builtin_default());
  EXPECT_EQ(s.preset_room("").error(), errc::invalid_argument);
  EXPECT_EQ(s.preset_room(std::string(kMaxDigits + 1, '1')).error(), errc::invalid_argument);
  EXPECT_EQ(s.room(), "");
  EXPECT_THROW(IvrSession(nullptr), Error);
}

TEST(IvrSession, OperatorMenuRecordsTheNameFirst) {
  auto menu = std::make_shared<const Menu>(Menu::load_file(LIBCONF_EXAMPLE_MENUS_DIR "/operator.json"));
  Caller c(menu);
  EXPECT_EQ(c.start(), Texts{"play welcome_operator"});
  EXPECT_EQ(c.prompt_done(), Texts{"play say_name"});
  EXPECT_EQ(c.prompt_done(), Texts{"record"});
  EXPECT_EQ(c.wait(120'000), Texts{});  // waits for the host as long as it takes
  EXPECT_EQ(c.reply(HostReply::recorded()), Texts{"play to_operator"});
  EXPECT_EQ(c.prompt_done(), Texts{"operator requested "});
}

// A service menu: 1 joins room 100, 2 dials a number, 0 operator; invalid choice replays.
std::shared_ptr<const Menu> service_menu() {
  return std::make_shared<const Menu>(Menu::parse(R"({"initial": "start", "states": {
      "start": {"action": "goto", "next": "main"},
      "main": {"action": "choice", "prompts": ["options"], "choices": {"1": "room", "2": "number", "0": "op"},
               "invalid_prompt": "invalid", "retries": 1, "timeout_ms": 3000, "on_failure": "bye"},
      "room": {"action": "collect_room", "min_digits": 3, "max_digits": 3, "terminator": "",
               "next": "join", "invalid_prompt": "too_short", "on_failure": "bye"},
      "number": {"action": "dial_out", "prompts": ["enter_number"], "max_digits": 20, "next": "thanks",
                 "on_failure": "main"},
      "thanks": {"action": "goto", "prompts": ["dialing"], "next": "bye"},
      "join": {"action": "join"},
      "op": {"action": "route_to_operator"},
      "bye": {"action": "hangup", "prompts": ["goodbye"], "barge_in": false}}})",
                                                  "service.json"));
}

TEST(IvrSession, ChoiceDialOutAndGotoKeepTheReason) {
  Caller c(service_menu());
  EXPECT_EQ(c.start(), Texts{"play options"});
  EXPECT_EQ(c.digit('2'), (Texts{"stop", "play enter_number"}));
  EXPECT_EQ(c.prompt_done(), Texts{});
  EXPECT_EQ(c.type("0301234567#"), (Texts{"dial 0301234567", "play dialing"}));
  EXPECT_EQ(c.prompt_done(), Texts{"play goodbye"});
  EXPECT_EQ(c.prompt_done(), Texts{"hangup requested"});
}

TEST(IvrSession, InvalidChoiceReplaysThenFails) {
  Caller c(service_menu());
  c.start();
  c.prompt_done();
  EXPECT_EQ(c.digit('7'), Texts{"play invalid"});
  EXPECT_EQ(c.prompt_done(), Texts{"play options"});
  c.prompt_done();
  EXPECT_EQ(c.digit('9'), Texts{"play goodbye"});  // retries: 1, used up
  EXPECT_EQ(c.prompt_done(), Texts{"hangup invalid_input"});
}

TEST(IvrSession, MinDigitsAndPromptlessCollection) {
  Caller c(service_menu());
  c.start();
  EXPECT_EQ(c.digit('1'), Texts{"stop"});  // room state has no prompts: collecting at once
  EXPECT_EQ(c.type("12"), Texts{});
  EXPECT_EQ(c.wait(5'000), Texts{"play too_short"});  // 2 of 3 digits at the pause
  EXPECT_EQ(c.prompt_done(), Texts{});
  EXPECT_EQ(c.type("100"), Texts{"join 100 participant"});  // max_digits completes it
}

TEST(IvrSession, ChoiceToOperatorIsRequested) {
  Caller c(service_menu());
  c.start();
  c.prompt_done();
  EXPECT_EQ(c.digit('0'), Texts{"operator requested "});
}

}  // namespace
}  // namespace libconf::ivr
