#include "libconf/scenario/story.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace libconf::test {
namespace {

std::string error_of(const std::string& json) {
  try {
    scenario::parse_story(json, "s.json", ".");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(StoryParser, ErrorsNameFileFieldAndValue) {
  EXPECT_NE(error_of(R"({"duration_s": 5, "calz": []})").find("s.json: $.calz: unknown field"), std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": -1})").find("$.duration_s: -1 is outside"), std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": 5, "calls": [{"name": "a", "did": "1", "dtmf": [{"at_s": 1, "digits": "12x"}]}]})")
                .find("calls[0].dtmf[0].digits: '12x'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": 5, "actions": [{"at_s": 1, "action": "explode"}]})").find("unknown action 'explode'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": 5, "actions": [{"at_s": 1, "action": "kick", "who": "ghost"}]})")
                .find("no call named 'ghost'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": 5, "calls": [{"name": "a", "did": "1"}, {"name": "a", "did": "1"}]})")
                .find("'a' is used twice"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"duration_s": 5, "calls": [{"name": "../x", "did": "1"}]})").find("not a usable name"),
            std::string::npos);
  EXPECT_NE(error_of("{nope").find("s.json: line 1, column 2: syntax error"), std::string::npos) << error_of("{nope");
  // Never Boost's own source location.
  EXPECT_EQ(error_of("{\"duration_s\": 5,\n \"calls\": [}").find("boost"), std::string::npos);
  EXPECT_NE(error_of("{\"duration_s\": 5,\n \"calls\": [}").find("s.json: line 2, column 12"), std::string::npos)
      << error_of("{\"duration_s\": 5,\n \"calls\": [}");
}

TEST(StoryParser, RecordingAndNameActions) {
  const auto s = scenario::parse_story(R"({"duration_s": 5, "calls": [{"name": "a", "did": "1"}],
    "actions": [{"at_s": 1, "action": "record", "room": "4711"},
                {"at_s": 2, "action": "record", "room": "4711", "prefix": "weekly"},
                {"at_s": 3, "action": "set_name", "who": "a", "text": "Alice A."},
                {"at_s": 4, "action": "stop_recording", "room": "4711"}]})",
                                       "s.json", ".");
  ASSERT_EQ(s.actions.size(), 4u);
  EXPECT_EQ(s.actions[0].prefix, "4711");  // default: the room's name
  EXPECT_EQ(s.actions[1].prefix, "weekly");
  EXPECT_EQ(s.actions[2].text, "Alice A.");
  EXPECT_NE(error_of(R"({"duration_s": 5, "actions": [{"at_s": 1, "action": "record", "prefix": 7}]})")
                .find("actions[0].prefix: must be a string"),
            std::string::npos);
}

TEST(StoryParser, EveryExampleStoryLoads) {
  int n = 0;
  for (const auto& f : std::filesystem::directory_iterator(LIBCONF_STORIES_DIR)) {
    if (f.path().extension() != ".json") continue;
    EXPECT_NO_THROW(scenario::load_story(f.path())) << f.path();
    ++n;
  }
  EXPECT_GE(n, 12);
}

}  // namespace
}  // namespace libconf::test
