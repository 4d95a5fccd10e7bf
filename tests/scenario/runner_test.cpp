#include "libconf/scenario/runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "libconf/audio/level.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "support/signals.hpp"

namespace libconf::scenario {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Runner : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("libconf_runner_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    write_wav(dir_ / "alice.wav", test::speech_like(-20, 16000, 16000 * 6, 1), 16000);
    write_wav(dir_ / "bob.wav", test::speech_like(-22, 8000, 8000 * 6, 2), 8000);
    write_wav(dir_ / "coach.wav", test::sine(1300, -20, 44100, 44100 * 6), 44100);  // any rate in
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

constexpr const char* kScenario = R"({
  "room": {"name": "main", "sample_rate_hz": 16000},
  "participants": [
    {"name": "alice", "input": "alice.wav", "codec": "opus", "join_s": 0},
    {"name": "bob", "input": "bob.wav", "codec": "PCMU", "join_s": 0},
    {"name": "coach", "input": "coach.wav", "codec": "PCMA", "listen_only": true},
    {"name": "carol", "codec": "PCMU"},
    {"name": "dave", "codec": "PCMA"}
  ],
  "timeline": [
    {"at_s": 1.0, "action": "whisper", "who": "coach", "to": "carol"},
    {"at_s": 2.0, "action": "dtmf", "who": "bob", "digits": "1234#"},
    {"at_s": 4.0, "action": "mute", "who": "alice"}
  ],
  "duration_s": 6
})";

TEST_F(Runner, SameScenarioGivesByteIdenticalOutputs) {
  const Scenario s = parse_scenario(kScenario, "det.json", dir_);
  run_scenario(s, dir_ / "one");
  run_scenario(s, dir_ / "two");
  for (const char* f : {"alice.wav", "bob.wav", "coach.wav", "carol.wav", "dave.wav", "events.jsonl", "summary.json"}) {
    const std::string a = slurp(dir_ / "one" / f), b = slurp(dir_ / "two" / f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, b) << f << " differs between two runs";
  }
  // Numbers are plain decimals ("10.4"), never "1.04E1".
  for (const char* f : {"events.jsonl", "summary.json"}) {
    const std::string text = slurp(dir_ / "one" / f);
    EXPECT_FALSE(std::regex_search(text, std::regex("[0-9][eE][-+]?[0-9]"))) << f << ": " << text.substr(0, 400);
    EXPECT_TRUE(std::regex_search(text, std::regex(":[0-9]+\\.[0-9]+"))) << f;
  }
}

TEST_F(Runner, WhisperReachesOnlyItsTarget) {
  // The coach (listen-only, a 1300 Hz tone through A-law from a 44.1 kHz file)
  // whispers to Carol from 1 s on; Alice and Bob talk meanwhile.
  const Scenario s = parse_scenario(kScenario, "who.json", dir_);
  run_scenario(s, dir_ / "out");
  auto level = [&](const char* name, double t0, double t1) {
    const AudioBuffer b = read_audio_file(dir_ / "out" / (std::string(name) + ".wav"));
    auto w = std::span<const std::int16_t>(b.samples).subspan(static_cast<std::size_t>(t0 * b.sample_rate_hz),
                                                              static_cast<std::size_t>((t1 - t0) * b.sample_rate_hz));
    return test::tone_level_dbfs(w, 1300, b.sample_rate_hz);
  };
  EXPECT_GT(level("carol", 1.5, 3.5), -26.0);  // AGC may trim the coach a little
  for (const char* other : {"alice", "bob", "dave"}) EXPECT_LT(level(other, 1.5, 3.5), level("carol", 1.5, 3.5) - 25) << other;
  EXPECT_LT(level("carol", 0.2, 0.9), -45.0);  // not before the whisper started
}

TEST_F(Runner, TypedPinsAreDetectedAndNobodyElseHearsThem) {
  // Bob types his PIN in-band (G.711) while the others listen on Opus and
  // G.711: the digits are detected, and the energy at every DTMF frequency in
  // everybody else's output stays below -50 dBFS, per 50 ms window.
  const Scenario s = parse_scenario(R"({
    "room": {"name": "main", "sample_rate_hz": 16000},
    "participants": [
      {"name": "bob", "codec": "PCMU"},
      {"name": "alice", "codec": "opus"},
      {"name": "carol", "codec": "PCMA"},
      {"name": "dave", "codec": "opus", "codec_rate_hz": 48000}
    ],
    "timeline": [
      {"at_s": 1.0, "action": "dtmf", "who": "bob", "digits": "1234#"},
      {"at_s": 3.0, "action": "dtmf", "who": "bob", "digits": "*0D9"}
    ],
    "duration_s": 5
  })",
                                    "pin.json", dir_);
  RunResult r = run_scenario(s, dir_ / "pin");
  EXPECT_EQ(r.participants[0].digits, "1234#*0D9");
  for (const char* who : {"alice", "carol", "dave"}) {
    const AudioBuffer b = read_audio_file(dir_ / "pin" / (std::string(who) + ".wav"));
    for (double t = 0.9; t < 4.0; t += 0.05) {
      auto w = std::span<const std::int16_t>(b.samples).subspan(static_cast<std::size_t>(t * b.sample_rate_hz),
                                                                static_cast<std::size_t>(0.05 * b.sample_rate_hz));
      for (double f : {697.0, 770.0, 852.0, 941.0, 1209.0, 1336.0, 1477.0, 1633.0})
        ASSERT_LT(test::tone_level_dbfs(w, f, b.sample_rate_hz), -50.0) << who << " hears " << f << " Hz at " << t << " s";
    }
  }
}

TEST_F(Runner, BadAudioInputIsNamed) {
  // Caught when the scenario is read, with the JSON path, before anything runs.
  std::ofstream(dir_ / "junk.wav") << "this is not audio";
  try {
    (void)parse_scenario(R"({"room": {"name": "r"}, "participants": [{"name": "a", "input": "junk.wav"}]})",
                         "junk.json", dir_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.json: participants[0].input: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("junk.wav"), std::string::npos) << e.what();
  }
}

// Issue 11: a participant the engine refuses (the room holds max_legs) used
// to leave the runner with a pointer to a destroyed transport (use-after-free,
// garbage packet counts). The refusal is now an outcome of the scenario.
TEST_F(Runner, AParticipantRefusedByAFullRoomIsReportedNotRead) {
  const Scenario s = parse_scenario(
      R"({"duration_s":1,"room":{"name":"r","max_legs":1},"participants":[{"name":"a"},{"name":"b"}]})", "full.json",
      dir_);
  RunResult r = run_scenario(s, dir_ / "full");
  ASSERT_EQ(r.participants.size(), 2u);
  EXPECT_EQ(r.participants[0].exit_reason, "scenario ended");
  EXPECT_GT(r.participants[0].packets_sent, 40u);
  EXPECT_LE(r.participants[0].packets_sent, 51u);
  EXPECT_EQ(r.participants[1].exit_reason, "refused: room 'r' is full (max_legs 1)");
  EXPECT_EQ(r.participants[1].packets_sent, 0u);
  EXPECT_EQ(r.participants[1].packets_received, 0u);
  const std::string events = slurp(dir_ / "full" / "events.jsonl");
  EXPECT_NE(events.find(R"("event":"join_refused","room":"r","participant":"b")"), std::string::npos) << events;
}

// A move into a full room is refused when asked, and the mover stays.
TEST_F(Runner, AMoveIntoAFullRoomIsRefusedAndTheMoverStays) {
  const Scenario s = parse_scenario(R"({
    "rooms": [{"name": "main", "sample_rate_hz": 8000}, {"name": "side", "sample_rate_hz": 8000, "max_legs": 1}],
    "participants": [
      {"name": "a", "room": "main", "input": "bob.wav"}, {"name": "b", "room": "main"}, {"name": "c", "room": "side"}
    ],
    "timeline": [{"at_s": 1.0, "action": "move", "who": "a", "room": "side"}, {"at_s": 2.0, "action": "kick", "who": "a", "reason": "done"}],
    "duration_s": 3
  })",
                                    "move.json", dir_);
  RunResult r = run_scenario(s, dir_ / "move");
  const std::string events = slurp(dir_ / "move" / "events.jsonl");
  EXPECT_NE(events.find(R"("action":"move","who":"a","target":"side","result":"capacity exceeded")"), std::string::npos)
      << events;
  EXPECT_EQ(events.find("leg_moved"), std::string::npos);
  EXPECT_EQ(events.find("command_failed"), std::string::npos);
  EXPECT_EQ(r.participants[0].exit_reason, "kicked: done");
  EXPECT_GT(r.participants[0].packets_sent, 90u);  // a spoke in main until the kick
}

}  // namespace
}  // namespace libconf::scenario
