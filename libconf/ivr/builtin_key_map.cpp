// The built-in in-room key map. Its text is examples/menus/keys.json, byte for
// byte (tests/ivr/examples_test.cpp checks that the two never drift apart).
#include "libconf/ivr/key_map.hpp"

namespace libconf::ivr {
namespace {
constexpr std::string_view kDefaultKeyMapJson = R"json({
  "description": "In-room keys. Moderator keys start with '*'.",
  "inter_digit_timeout_ms": 1500,
  "number_timeout_ms": 5000,
  "roles": {
    "superuser": {
      "1": "toggle_mute", "4": "listen_volume_down", "6": "listen_volume_up",
      "7": "talk_volume_down", "9": "talk_volume_up", "5": "participant_count",
      "0": "call_operator", "8": "invite",
      "*1": "lock", "*2": "unlock", "*3": "mute_all", "*4": "kick_last",
      "*5": "move_to_side_room", "*6": "bring_back"
    },
    "moderator": {
      "1": "toggle_mute", "4": "listen_volume_down", "6": "listen_volume_up",
      "7": "talk_volume_down", "9": "talk_volume_up", "5": "participant_count",
      "0": "call_operator", "8": "invite",
      "*1": "lock", "*2": "unlock", "*3": "mute_all", "*4": "kick_last",
      "*5": "move_to_side_room", "*6": "bring_back"
    },
    "participant": {
      "1": "toggle_mute", "4": "listen_volume_down", "6": "listen_volume_up",
      "7": "talk_volume_down", "9": "talk_volume_up", "5": "participant_count",
      "0": "call_operator", "8": "invite"
    },
    "listener": {
      "4": "listen_volume_down", "6": "listen_volume_up", "5": "participant_count",
      "0": "call_operator"
    }
  }
}
)json";
}  // namespace

std::string_view KeyMap::builtin_default_json() noexcept { return kDefaultKeyMapJson; }

std::shared_ptr<const KeyMap> KeyMap::builtin_default() {
  // Parsed once, on first use (thread-safe static initialisation); immutable after.
  static const std::shared_ptr<const KeyMap> map =
      std::make_shared<const KeyMap>(KeyMap::parse(kDefaultKeyMapJson, "<builtin key map>"));
  return map;
}

}  // namespace libconf::ivr
