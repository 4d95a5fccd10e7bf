#include "libconf/ivr/key_map.hpp"

#include <gtest/gtest.h>

#include <string>

namespace libconf::ivr {
namespace {

TEST(KeyMap, BuiltinGivesModeratorKeysToModeratorsOnly) {
  auto map = KeyMap::builtin_default();
  auto has = [&](room::Role role, KeyAction action) {
    for (const auto& b : map->bindings(role)) {
      if (b.action == action) return true;
    }
    return false;
  };
  for (room::Role r : {room::Role::superuser, room::Role::moderator}) {
    EXPECT_TRUE(has(r, KeyAction::lock));
    EXPECT_TRUE(has(r, KeyAction::kick_last));
    EXPECT_TRUE(has(r, KeyAction::move_to_side_room));
  }
  for (room::Role r : {room::Role::participant, room::Role::listener}) {
    for (const auto& b : map->bindings(r)) EXPECT_FALSE(is_moderator_action(b.action)) << to_string(b.action);
  }
  EXPECT_TRUE(has(room::Role::participant, KeyAction::invite));
  EXPECT_FALSE(has(room::Role::listener, KeyAction::toggle_mute));
  EXPECT_EQ(map->inter_digit_timeout_ms(), 1500);
}

TEST(KeyMap, ActionNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(KeyAction::bring_back); ++i) {
    auto a = static_cast<KeyAction>(i);
    EXPECT_EQ(key_action_from_string(to_string(a)), a);
  }
  EXPECT_FALSE(key_action_from_string("self_destruct"));
}

TEST(KeyMap, BadMapsNameFileFieldAndValue) {
  struct Case {
    std::string json;
    std::string message;
  };
  const Case cases[] = {
      {R"({"roles": {"participant": {"*1": "lock"}}})", "keys.json: roles.participant.*1: 'lock' is a moderator action"},
      {R"({"roles": {"listener": {"9": "bring_back"}}})", "roles.listener.9: 'bring_back' is a moderator action"},
      {R"({"roles": {"moderator": {"1x": "toggle_mute"}}})", "roles.moderator.1x: not a key sequence"},
      {R"({"roles": {"moderator": {"": "toggle_mute"}}})", "roles.moderator.: not a key sequence"},
      {R"({"roles": {"moderator": {"123456789": "toggle_mute"}}})", "roles.moderator.123456789: not a key sequence"},
      {R"({"roles": {"moderator": {"1": "self_destruct"}}})", "roles.moderator.1: 'self_destruct' is not an in-room action"},
      {R"({"roles": {"moderator": {"1": 5}}})", "roles.moderator.1: 5 is not a string"},
      {R"({"roles": {"king": {}}})", "keys.json: roles.king: unknown field"},
      {R"({"roles": {}, "inter_digit_timeout_ms": -1})", "keys.json: inter_digit_timeout_ms: -1 is negative"},
      {R"({"roles": {}, "number_timeout_ms": 0})", "number_timeout_ms: 0 must be positive"},
      {R"({"roles": {}, "sounds": 1})", "keys.json: sounds: unknown field"},
      {R"({})", "keys.json: roles: missing"},
      {R"({"roles": {"moderator": {"1": "lock", "1": "unlock"}}})", "keys.json: roles.moderator.1: repeated key"},
      {R"({"roles": )", "keys.json: line 1"},
  };
  for (const auto& c : cases) {
    try {
      (void)KeyMap::parse(c.json, "keys.json");
      ADD_FAILURE() << "parsed: " << c.json;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what() << " / want " << c.message;
    }
  }
}

TEST(KeyMap, TooManyKeysAreRefused) {
  std::string json = R"({"roles": {"participant": {)";
  for (int i = 0; i < 65; ++i) {
    if (i > 0) json.append(",");
    json.append("\"").append(std::to_string(1000 + i)).append("\": \"toggle_mute\"");
  }
  json.append("}}}");
  try {
    (void)KeyMap::parse(json, "keys.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("roles.participant: 65 keys exceed the limit of 64"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace libconf::ivr
