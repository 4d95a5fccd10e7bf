#include "libconf/scenario/scenario.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "libconf/scenario/audio_file.hpp"
#include "support/signals.hpp"

namespace libconf::scenario {
namespace {

class ScenarioParser : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("libconf_parser_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    write_wav(dir_ / "a.wav", test::sine(440, -20, 8000, 8000), 8000);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Parses text and returns the error message ("" when it parsed).
  std::string error_of(const std::string& json) {
    try {
      parse_scenario(json, "case.json", dir_);
      return "";
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), errc::parse_error) << e.what();
      return e.what();
    }
  }
  std::filesystem::path dir_;
};

constexpr const char* kGood = R"({"room": {"name": "r"}, "participants": [{"name": "a", "input": "a.wav"}, {"name": "b"}]})";

TEST_F(ScenarioParser, ParsesAGoodScenarioWithDefaults) {
  Scenario s = parse_scenario(kGood, "case.json", dir_);
  ASSERT_EQ(s.rooms.size(), 1u);
  EXPECT_EQ(s.rooms[0].sample_rate_hz, 16000);
  ASSERT_EQ(s.participants.size(), 2u);
  EXPECT_EQ(s.participants[0].codec, "PCMU");
  EXPECT_EQ(s.participants[0].room, "r");
  EXPECT_EQ(s.participants[0].input, dir_ / "a.wav");
  EXPECT_TRUE(s.participants[1].input.empty());
}

TEST_F(ScenarioParser, ErrorsNameFileFieldAndValue) {
  struct Case {
    std::string json;
    std::vector<std::string> mentions;
  };
  const std::vector<Case> cases = {
      {"{not json", {"case.json", "not valid JSON"}},
      {R"({"room": {"name": "r", "colour": 1}, "participants": [{"name": "a"}]})", {"case.json", "room.colour", "unknown field"}},
      {R"({"room": {"name": "r", "sample_rate_hz": 44100}, "participants": [{"name": "a"}]})",
       {"room.sample_rate_hz", "44100"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "input": "missing.wav"}]})",
       {"participants[0].input", "missing.wav", "does not exist"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "codec": "G729"}]})",
       {"participants[0].codec", "G729", "PCMU"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "join_s": 5, "leave_s": 2}]})",
       {"participants[0].leave_s", "backwards"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a"}], "timeline": [{"at_s": 5, "action": "mute", "who": "a"}, {"at_s": 3, "action": "unmute", "who": "a"}]})",
       {"timeline[1].at_s", "backwards"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a"}], "timeline": [{"at_s": 1, "action": "explode", "who": "a"}]})",
       {"timeline[0].action", "explode", "mute"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a"}], "timeline": [{"at_s": 1, "action": "mute", "who": "zed"}]})",
       {"timeline[0].who", "zed"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a"}], "timeline": [{"at_s": 1, "action": "dtmf", "who": "a", "digits": "12x"}]})",
       {"timeline[0].digits", "12x"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a"}, {"name": "a"}]})", {"participants[1].name", "twice"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "../etc"}]})", {"participants[0].name", "../etc"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "join_s": "soon"}]})", {"participants[0].join_s", "soon"}},
      {R"({"room": {"name": "r"}, "participants": []})", {"participants", "at least one"}},
      {R"({"participants": [{"name": "a"}]})", {"room"}},
  };
  for (const Case& c : cases) {
    const std::string message = error_of(c.json);
    ASSERT_FALSE(message.empty()) << c.json;
    for (const auto& m : c.mentions) EXPECT_NE(message.find(m), std::string::npos) << "'" << m << "' not in: " << message;
  }
}

TEST_F(ScenarioParser, LoadNamesAMissingFile) {
  try {
    load_scenario(dir_ / "nope.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::io_error);
    EXPECT_NE(std::string(e.what()).find("nope.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace libconf::scenario
