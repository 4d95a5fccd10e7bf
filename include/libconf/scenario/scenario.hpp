#pragma once
/// @file
/// A conference scenario for the file host: rooms, participants with audio
/// inputs, and a timeline of actions, read from JSON. The schema is in
/// docs/scenario.md. Loading validates everything; errors throw libconf::Error
/// naming the file, the field (as a JSON path) and the bad value, e.g.
/// "demo.json: participants[2].codec: unknown codec 'G729'".

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::scenario {

struct RoomSpec {
  std::string name;
  int sample_rate_hz = 16000;
  std::size_t top_n = 4;
  std::size_t max_legs = 64;
};

struct ParticipantSpec {
  std::string name;
  std::string room;                 ///< initial room (default: the first room)
  std::filesystem::path input;      ///< audio file (any libsndfile format); empty: silent
  double input_start_s = -1;        ///< when the input starts playing (default: at join)
  double input_gain_db = 0;         ///< applied to the input file before encoding
  std::string codec = "PCMU";
  int codec_rate_hz = 0;            ///< 0: natural rate for the codec (see LegConfig)
  int bitrate_bps = 0;
  bool fec = false;
  bool dtx = false;
  double join_s = 0;
  std::optional<double> leave_s;
  double talk_gain_db = 0;
  double listen_gain_db = 0;
  bool agc = true;
  bool always_talking = false;      ///< mixed whenever not muted (a steady source: music, a tone)
  bool muted = false;
  bool deaf = false;
  bool listen_only = false;
};

enum class ActionKind {
  mute, unmute, deaf, undeaf, listen_in, stop_listen_in, whisper, stop_whisper,
  kick, move, set_gain, source_gain, dtmf,
};

struct Action {
  double at_s = 0;
  ActionKind kind = ActionKind::mute;
  std::string who;        ///< the participant acted on (whisper: the whisperer)
  std::string target;     ///< whisper/source_gain: the other participant; move: the room
  double gain_db = 0;     ///< whisper and source_gain
  std::optional<double> talk_gain_db, listen_gain_db;  ///< set_gain
  std::string digits;     ///< dtmf: typed in-band on who's line
  std::string reason;     ///< kick
};

struct Scenario {
  std::string source;                ///< file name, for messages
  std::filesystem::path base_dir;    ///< relative input paths resolve against it
  int ptime_ms = 20;
  double duration_s = 0;             ///< 0: until the last participant leaves or its input ends
  std::vector<RoomSpec> rooms;
  std::vector<ParticipantSpec> participants;
  std::vector<Action> timeline;

  const ParticipantSpec* participant(std::string_view name) const noexcept;
  const RoomSpec* room(std::string_view name) const noexcept;
};

Scenario load_scenario(const std::filesystem::path& path);
Scenario parse_scenario(std::string_view json, std::string source_name, std::filesystem::path base_dir);
const char* to_string(ActionKind kind) noexcept;

}  // namespace libconf::scenario
