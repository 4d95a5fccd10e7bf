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
      EXPECT_TRUE(e.code_enum() == errc::parse_error || e.code_enum() == errc::invalid_argument) << e.what();
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
      {"{not json", {"case.json: line 1, column 2: syntax error"}},
      {"{\n  \"room\": {\"name\": \"r\"},\n  \"participants\": [{\"name\": \"a\",}]\n}",
       {"case.json: line 3, column 33"}},
      {R"({"room": {"name": "r", "name": "s"}, "participants": [{"name": "a"}]})", {"room.name", "repeated key"}},
      {R"({"room": {"name": "r", "sample_rate_hz": 32000}, "participants": [{"name": "a", "codec": "opus", "codec_rate_hz": 32000}]})",
       {"participants[0].codec_rate_hz", "codec 'opus': unsupported sample rate 32000 Hz (opus runs at 8000, 16000, 24000 or 48000 Hz)"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "codec": "PCMU", "codec_rate_hz": 16000}]})",
       {"participants[0].codec_rate_hz", "G.711 runs at 8000 Hz only"}},
      {R"({"room": {"name": "r"}, "participants": [{"name": "a", "input": "junk.wav"}]})",
       {"case.json: participants[0].input: ", "junk.wav: not an audio file libsndfile can read"}},
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
  std::ofstream(dir_ / "junk.wav") << "this is not audio";
  for (const Case& c : cases) {
    const std::string message = error_of(c.json);
    // One error, one code: never "...: I/O error: parse error".
    EXPECT_EQ(message.find("I/O error"), std::string::npos) << message;
    ASSERT_FALSE(message.empty()) << c.json;
    for (const auto& m : c.mentions) EXPECT_NE(message.find(m), std::string::npos) << "'" << m << "' not in: " << message;
  }
}

TEST_F(ScenarioParser, MemoryBudgetFailsEarlyNamingTheFigures) {
  // 24 h x 100 participants at 48 kHz would need 1.5 TiB of buffers.
  std::string json = R"({"duration_s": 86400, "room": {"name": "r", "sample_rate_hz": 48000}, "participants": [)";
  for (int i = 0; i < 100; ++i) json += (i ? "," : "") + std::string(R"({"name": "p)") + std::to_string(i) + R"(", "codec": "L16"})";
  json += "]}";
  try {
    parse_scenario(json, "big.json", dir_);
    FAIL() << "no budget error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("big.json: needs 1582031 MiB of audio buffers (100 participants x 86400 s), "
                                         "more than the budget of 4096 MiB"),
              std::string::npos)
        << e.what();
  }
  // The same room for 100 s is within it (1831 MiB).
  json.replace(json.find("86400"), 5, "100");
  EXPECT_NO_THROW(parse_scenario(json, "ok.json", dir_));
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
