#pragma once
/// @file
/// Stories: seed stories played end to end on the file host. A story sets up
/// a tenant (rooms, PINs, DIDs, groups, dial-out rules), then phones call in
/// at given times with an audio input (a file or a test tone) and type DTMF
/// in-band; simulated dial targets answer (or not); an operator acts on a
/// timeline. run_story() drives service::ConferenceService and the real
/// engine on a virtual clock and writes, into an output folder:
/// `<call>.wav` (what each phone heard), `events.jsonl` (engine and service
/// events), `summary.json`, `cdr.csv`, `cdr.jsonl`, `moderators.csv`, and
/// each room recording's WAVs.
/// Deterministic. The JSON schema is in docs/service.md; loading validates
/// everything and throws libconf::Error naming file, field and value.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/room/cdr.hpp"
#include "libconf/service/call_control.hpp"
#include "libconf/service/service_event.hpp"

namespace libconf::scenario {

/// A phone's voice: an audio file, or a test tone (tone_hz > 0), optionally
/// only within talk windows [from_s, to_s) of story time.
struct StoryInput {
  std::filesystem::path file;
  double tone_hz = 0;
  double tone_dbfs = -20;
  std::vector<std::pair<double, double>> talk;  ///< empty: the whole call
};

struct StoryDtmf {
  double at_s = 0;
  std::string digits;  ///< typed in-band, 100 ms on, 100 ms off
};

struct StoryCall {
  std::string name;
  std::string caller_id;
  std::string did;
  std::string codec = "PCMU";
  double at_s = 0;
  std::optional<double> hangup_s;
  bool operator_phone = false;  ///< the operator's own phone (superuser), not routed by DID
  StoryInput input;
  std::vector<StoryDtmf> dtmf;
};

struct StoryDialTarget {
  std::string number;
  std::string name;                      ///< default: the number
  std::optional<double> answer_after_s;  ///< nullopt: never answers
  bool busy = false;                     ///< fails 1 s after the dial
  std::string codec = "PCMU";
  std::optional<double> hangup_s;
  StoryInput input;
  std::vector<StoryDtmf> dtmf;
};

struct StoryRoom {
  std::string name;
  std::string topic;
  std::string pin, moderator_pin, listener_pin;
  int max_members = 50;
  std::string when_full = "route_to_operator";  ///< or "overflow"
  bool wait_for_moderator = false;
  bool end_with_last_moderator = false;
  double end_grace_s = 0;
};

/// An operator or participant action. actor: "operator" (the console
/// superuser) or a call name (acting with that caller's role).
struct StoryAction {
  double at_s = 0;
  std::string action;  ///< see docs/service.md (take_from_queue, create_side_room, ...)
  std::string actor = "operator";
  std::string who;                   ///< the call acted on / the listener / the whisperer
  std::string to;                    ///< whisper target
  std::vector<std::string> members;  ///< create_side_room
  std::string room;
  std::string number;
  std::string role = "participant";
  std::string reason;
  int value = 0;
  std::string prefix;  ///< record: the recording's file prefix (default: the room name)
  std::string text;    ///< set_name: the display name
};

struct Story {
  std::string source;
  std::filesystem::path base_dir;
  double duration_s = 10;
  std::string tenant = "default";
  int max_participants = 100;
  int max_rooms = 10;
  int room_rate_hz = 16000;
  std::vector<StoryRoom> rooms;
  service::AnswerMode answer_mode = service::AnswerMode::answer_first;
  std::string routes_json;  ///< {"routes": [...]} as in examples/menus/dids.json
  std::map<std::string, std::filesystem::path> menus;
  std::map<std::string, std::filesystem::path> prompts;
  std::map<std::string, std::vector<std::string>> groups;  ///< owner number -> members
  std::vector<std::string> dial_out_allowed;
  std::vector<StoryCall> calls;
  std::vector<StoryDialTarget> dial_targets;
  std::vector<StoryAction> actions;
};

Story load_story(const std::filesystem::path& path);
Story parse_story(std::string_view json, std::string source_name, std::filesystem::path base_dir);

struct StoryPhone {
  std::string name;
  int sample_rate_hz = 8000;
  std::vector<std::int16_t> heard;  ///< from story time 0, at sample_rate_hz
  service::CallId call = service::kNoCall;
  std::string final_state;  ///< call state at the end ("never called" if it never started)
  std::string room;         ///< room at the end
  bool answered = false;    ///< the service answered it (or it was answered by the phone: dial-out)
  /// Set when the service ended the call (CallControl::hang_up) and why.
  std::optional<service::HangupReason> ended_by_service;
};

/// A room recording the story made (actions record/stop_recording): written
/// as `<prefix>-mix.wav` and `<prefix>-<phone>.wav` when it stopped.
struct StoryRecording {
  std::string room;
  std::string prefix;
  int sample_rate_hz = 0;
  std::string stop_reason;
  std::filesystem::path mix_file;
  std::map<std::string, std::filesystem::path> track_files;  ///< phone name -> file
};

struct StoryResult {
  std::filesystem::path out_dir;
  double duration_s = 0;
  std::vector<StoryPhone> phones;
  std::vector<service::ServiceEvent> events;
  std::vector<room::LegRecord> cdr;
  std::vector<room::ModeratorSession> moderator_sessions;
  std::vector<StoryRecording> recordings;
  const StoryPhone* phone(std::string_view name) const noexcept;
  const room::LegRecord* cdr_of(std::string_view caller_id) const noexcept;
};

/// Runs the story. Throws libconf::Error naming the story and the bad value.
StoryResult run_story(const Story& story, const std::filesystem::path& out_dir);

}  // namespace libconf::scenario
