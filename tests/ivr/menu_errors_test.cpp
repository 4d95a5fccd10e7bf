// Every bad menu gives an error naming the file, the field and the value.
#include "libconf/ivr/menu.hpp"

#include <gtest/gtest.h>

#include <string>

namespace libconf::ivr {
namespace {

// A valid PIN menu; extra is spliced into the "pin" state.
std::string pin_menu(const std::string& extra) {
  return R"({"initial": "pin", "states": {
    "pin": {"action": "check_pin", "next": "join", "on_failure": "op")" +
         (extra.empty() ? "" : ", " + extra) + R"(},
    "join": {"action": "join"},
    "op": {"action": "route_to_operator"}}})";
}

struct BadMenu {
  const char* label;
  std::string json;
  errc code;
  std::string message;  // the full what(), or a part of it
};

class MenuErrors : public ::testing::TestWithParam<BadMenu> {};

TEST_P(MenuErrors, NameFileFieldAndValue) {
  const BadMenu& c = GetParam();
  try {
    (void)Menu::parse(c.json, "menus/main.json");
    FAIL() << c.label << ": parsed without error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), c.code) << c.label << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos)
        << c.label << ": got '" << e.what() << "', want '" << c.message << "'";
    EXPECT_EQ(std::string(e.what()).rfind("menus/main.json: ", 0), 0u) << e.what();
  }
}

const BadMenu kBadMenus[] = {
    {"negative timeout", pin_menu(R"("timeout_ms": -5)"), errc::invalid_argument,
     "menus/main.json: states.pin.timeout_ms: -5 is negative"},
    {"zero inter-digit timeout", pin_menu(R"("inter_digit_timeout_ms": 0)"), errc::invalid_argument,
     "states.pin.inter_digit_timeout_ms: 0 must be positive"},
    {"timeout not an integer", pin_menu(R"("timeout_ms": "10")"), errc::invalid_argument,
     R"(states.pin.timeout_ms: "10" is not an integer)"},
    {"fractional timeout", pin_menu(R"("timeout_ms": 2.5)"), errc::invalid_argument,
     "states.pin.timeout_ms: 2.5E0 is not an integer"},
    {"timeout too long", pin_menu(R"("timeout_ms": 3600000)"), errc::invalid_argument,
     "states.pin.timeout_ms: 3600000 exceeds the limit of 600000"},
    {"max digits above 32", pin_menu(R"("max_digits": 33)"), errc::invalid_argument,
     "states.pin.max_digits: 33 exceeds the limit of 32"},
    {"max digits enormous", pin_menu(R"("max_digits": 18446744073709551615)"), errc::invalid_argument,
     "states.pin.max_digits: 18446744073709551615 exceeds the limit of 32"},
    {"max digits zero", pin_menu(R"("max_digits": 0)"), errc::invalid_argument,
     "states.pin.max_digits: 0 must be positive"},
    {"min above max", pin_menu(R"("max_digits": 4, "min_digits": 6)"), errc::invalid_argument,
     "states.pin.min_digits: 6 exceeds max_digits 4"},
    {"terminator star", pin_menu(R"("terminator": "*")"), errc::invalid_argument,
     R"(states.pin.terminator: "*" is not "#" or "")"},
    {"retries too many", pin_menu(R"("retries": 1000)"), errc::invalid_argument,
     "states.pin.retries: 1000 exceeds the limit of 20"},
    {"attempts negative", pin_menu(R"("max_attempts": -1)"), errc::invalid_argument,
     "states.pin.max_attempts: -1 is negative"},
    {"unknown state field", pin_menu(R"("colour": "blue")"), errc::invalid_argument,
     "states.pin.colour: unknown field"},
    {"field of another action", pin_menu(R"("choices": {})"), errc::invalid_argument,
     "states.pin.choices: field not allowed for action 'check_pin'"},
    {"unknown next", pin_menu(R"("on_locked_out": "nowhere")"), errc::not_found,
     "states.pin.on_locked_out: unknown state 'nowhere'"},
    {"prompt not a string", pin_menu(R"("prompts": ["welcome", 7])"), errc::invalid_argument,
     "states.pin.prompts[1]: 7 is not a string"},
    {"prompts not an array", pin_menu(R"("prompts": "welcome")"), errc::invalid_argument,
     R"(states.pin.prompts: "welcome" is not an array)"},
    {"empty prompt", pin_menu(R"("wrong_prompt": "")"), errc::invalid_argument,
     R"(states.pin.wrong_prompt: "" is empty)"},
    {"prompt too long", pin_menu(R"("wrong_prompt": ")" + std::string(5000, 'x') + "\""),
     errc::invalid_argument, "states.pin.wrong_prompt: \"xxxxxxxx"},
    {"too many prompts", pin_menu(R"("prompts": ["a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a"])"),
     errc::invalid_argument, "states.pin.prompts: 17 prompts exceed the limit of 16"},
    {"barge_in not bool", pin_menu(R"("barge_in": "yes")"), errc::invalid_argument,
     R"(states.pin.barge_in: "yes" is not true or false)"},
    {"unknown top-level field", R"({"initial": "a", "states": {"a": {"action": "hangup"}}, "colour": 1})",
     errc::invalid_argument, "menus/main.json: colour: unknown field"},
    {"unknown initial", R"({"initial": "x", "states": {"a": {"action": "hangup"}}})", errc::not_found,
     "menus/main.json: initial: unknown state 'x'"},
    {"missing initial", R"({"states": {"a": {"action": "hangup"}}})", errc::invalid_argument,
     "menus/main.json: initial: missing"},
    {"missing states", R"({"initial": "a"})", errc::invalid_argument, "menus/main.json: states: missing"},
    {"no states", R"({"initial": "a", "states": {}})", errc::invalid_argument, "states: {} has no states"},
    {"unknown action", R"({"initial": "a", "states": {"a": {"action": "fly"}}})", errc::invalid_argument,
     "states.a.action: 'fly' is not an action"},
    {"missing action", R"({"initial": "a", "states": {"a": {"prompts": []}}})", errc::invalid_argument,
     "states.a.action: missing"},
    {"join with digits", R"({"initial": "a", "states": {"a": {"action": "join", "max_digits": 4}}})",
     errc::invalid_argument, "states.a.max_digits: field not allowed for action 'join'"},
    {"unknown role", R"({"initial": "a", "states": {"a": {"action": "join", "role": "king"}}})",
     errc::invalid_argument, "states.a.role: 'king' is not a role"},
    {"unknown reason", R"({"initial": "a", "states": {"a": {"action": "hangup", "reason": "bored"}}})",
     errc::invalid_argument, "states.a.reason: 'bored' is not an exit reason"},
    {"collect without on_failure",
     R"({"initial": "a", "states": {"a": {"action": "collect_room", "next": "b"}, "b": {"action": "hangup"}}})",
     errc::invalid_argument, "states.a.on_failure: missing"},
    {"goto without next", R"({"initial": "a", "states": {"a": {"action": "goto"}}})", errc::invalid_argument,
     "states.a.next: missing"},
    {"goto loop", R"({"initial": "a", "states": {"a": {"action": "goto", "next": "b"}, "b": {"action": "goto", "next": "a"}}})",
     errc::invalid_argument, "states.a.next: goto loop without a prompt: a -> b -> a"},
    {"bad choice key",
     R"({"initial": "m", "states": {"m": {"action": "choice", "choices": {"12": "m"}, "on_failure": "m"}}})",
     errc::invalid_argument, "states.m.choices.12: not a single DTMF digit"},
    {"choice to nowhere",
     R"({"initial": "m", "states": {"m": {"action": "choice", "choices": {"1": "x"}, "on_failure": "m"}}})",
     errc::not_found, "states.m.choices.1: unknown state 'x'"},
    {"bad state name", R"({"initial": "a", "states": {"a b": {"action": "hangup"}}})", errc::invalid_argument,
     "states.a b: state names are 1 to 128 letters"},
    {"state not an object", R"({"initial": "a", "states": {"a": 5}})", errc::invalid_argument,
     "states.a: 5 is not an object"},
    {"repeated state", R"({"initial": "a", "states": {"a": {"action": "hangup"}, "a": {"action": "join"}}})",
     errc::invalid_argument, "menus/main.json: states.a: repeated key"},
    {"repeated field", pin_menu(R"("retries": 1, "prompts": ["x\"y"], "retries": 2)"), errc::invalid_argument,
     "states.pin.retries: repeated key"},
    {"root not an object", "[1, 2]", errc::invalid_argument, "menus/main.json: [1,2] is not an object"},
    {"truncated json", "{\"initial\": \"a\",\n \"states\": ", errc::parse_error, "menus/main.json: line 2"},
    {"garbage", "\x01\x02 not json", errc::parse_error, "menus/main.json: line 1, column 1"},
    {"deep nesting", std::string(100000, '['), errc::parse_error, "menus/main.json: line 1"},
};

INSTANTIATE_TEST_SUITE_P(Bad, MenuErrors, ::testing::ValuesIn(kBadMenus),
                         [](const auto& info) {
                           std::string name;
                           for (const char* p = info.param.label; *p; ++p) name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           return name;
                         });

TEST(MenuErrorsFile, MissingFileNamesThePath) {
  try {
    (void)Menu::load_file("/nonexistent/menus/none.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::io_error);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/menus/none.json"), std::string::npos);
  }
}

TEST(MenuErrorsFile, EnormousDigitLimitIsRejectedNotAllocated) {
  // A hostile number cannot make a session allocate a huge buffer: the limit
  // is checked at load, and buffers are fixed at kMaxDigits anyway.
  EXPECT_THROW((void)Menu::parse(pin_menu(R"("max_digits": 1000000000000)"), "x.json"), Error);
}

}  // namespace
}  // namespace libconf::ivr
