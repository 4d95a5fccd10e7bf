// The built-in default menu. Its text is examples/menus/default.json, byte for
// byte (tests/ivr/examples_test.cpp checks that the two never drift apart).
#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {
namespace {
constexpr std::string_view kDefaultMenuJson = R"json({
  "name": "default",
  "description": "Welcome, room number, PIN, join. No input or three wrong PINs: the operator.",
  "initial": "room",
  "states": {
    "room": {
      "action": "collect_room",
      "prompts": ["welcome", "enter_room"],
      "max_digits": 8,
      "terminator": "#",
      "timeout_ms": 10000,
      "inter_digit_timeout_ms": 5000,
      "retries": 2,
      "invalid_prompt": "room_unknown",
      "lookup": true,
      "next": "pin",
      "on_failure": "operator"
    },
    "pin": {
      "action": "check_pin",
      "prompts": ["enter_pin"],
      "max_digits": 8,
      "terminator": "#",
      "timeout_ms": 10000,
      "inter_digit_timeout_ms": 5000,
      "retries": 2,
      "max_attempts": 3,
      "wrong_prompt": "pin_wrong",
      "next": "join",
      "on_failure": "operator",
      "on_room_unknown": "room"
    },
    "join": {
      "action": "join",
      "prompts": ["joining"],
      "barge_in": false
    },
    "operator": {
      "action": "route_to_operator",
      "prompts": ["to_operator"],
      "barge_in": false
    }
  }
}
)json";
}  // namespace

std::string_view Menu::builtin_default_json() noexcept { return kDefaultMenuJson; }

std::shared_ptr<const Menu> Menu::builtin_default() {
  // Parsed once, on first use (thread-safe static initialisation); immutable after.
  static const std::shared_ptr<const Menu> menu =
      std::make_shared<const Menu>(Menu::parse(kDefaultMenuJson, "<builtin default menu>"));
  return menu;
}

}  // namespace libconf::ivr
