#include "libconf/ivr/menu.hpp"

#include <gtest/gtest.h>

namespace libconf::ivr {

TEST(Menu, BuiltinDefaultHasTheDocumentedFlow) {
  auto menu = Menu::builtin_default();
  ASSERT_NE(menu, nullptr);
  EXPECT_EQ(menu->name(), "default");
  const MenuState& room = menu->state(menu->initial_state());
  EXPECT_EQ(room.name, "room");
  EXPECT_EQ(room.action, StateAction::collect_room);
  EXPECT_EQ(room.prompts.front(), "welcome");
  EXPECT_EQ(room.terminator, '#');
  EXPECT_TRUE(room.lookup);
  const MenuState& pin = menu->state(room.next);
  EXPECT_EQ(pin.action, StateAction::check_pin);
  EXPECT_EQ(pin.max_attempts, 3);
  EXPECT_EQ(menu->state(pin.next).action, StateAction::join);
  EXPECT_EQ(menu->state(pin.on_failure).action, StateAction::route_to_operator);
  EXPECT_EQ(menu->state(pin.on_locked_out).name, "operator");  // defaults to on_failure
  EXPECT_EQ(menu->state(pin.on_room_unknown).name, "room");
}

TEST(Menu, DefaultsAndReferencesResolve) {
  Menu m = Menu::parse(R"({
    "initial": "start",
    "states": {
      "start": {"action": "goto", "next": "main"},
      "main": {"action": "choice", "prompts": ["menu"], "choices": {"1": "dial", "0": "op", "#": "bye"},
               "on_failure": "bye"},
      "dial": {"action": "dial_out", "max_digits": 20, "terminator": "", "next": "bye", "on_failure": "bye"},
      "op": {"action": "route_to_operator", "reason": "requested"},
      "bye": {"action": "hangup", "prompts": ["goodbye"]}
    }})",
                       "inline.json");
  EXPECT_EQ(m.source(), "inline.json");
  EXPECT_EQ(m.states().size(), 5u);
  const MenuState& main = *std::next(m.states().begin(), 1);
  EXPECT_EQ(main.max_digits, 1);
  EXPECT_EQ(main.terminator, '\0');
  EXPECT_EQ(main.choices[1], m.find_state("dial"));
  EXPECT_EQ(main.choices[static_cast<std::size_t>(digit_index('#'))], m.find_state("bye"));
  EXPECT_EQ(main.choices[2], kNoState);
  const MenuState& dial = m.state(*m.find_state("dial"));
  EXPECT_EQ(dial.terminator, '\0');
  EXPECT_EQ(dial.min_digits, 1);
  EXPECT_EQ(dial.timeout_ms, 10'000);
  EXPECT_EQ(dial.inter_digit_timeout_ms, 5'000);
  EXPECT_EQ(dial.retries, 2);
  EXPECT_TRUE(dial.barge_in);
  EXPECT_EQ(m.state(*m.find_state("op")).reason, ExitReason::requested);
  EXPECT_FALSE(m.find_state("nowhere"));
}

TEST(Menu, DigitIndexCoversEveryDtmfSymbolOnce) {
  bool seen[16] = {};
  for (char c : std::string_view("0123456789*#ABCD")) {
    int i = digit_index(c);
    ASSERT_GE(i, 0);
    ASSERT_LT(i, 16);
    EXPECT_FALSE(seen[i]);
    seen[i] = true;
  }
  EXPECT_EQ(digit_index('x'), -1);
}

}  // namespace libconf::ivr
