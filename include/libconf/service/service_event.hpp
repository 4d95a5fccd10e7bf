#pragma once
/// @file
/// What the ConferenceService reports: the conference model's events (named
/// as room::event_name gives them) and the service's own (call_arrived,
/// ivr_prompt, ivr_digit, joined_room, queued, taken_from_queue, on_hold,
/// listen_in, whisper, dial_started, dial_answered, dial_failed, dial_refused,
/// key, call_ended, name_recording, name_recorded, announced, name_set,
/// operator_called, operator_alerted, recording_started, recording_full,
/// recording_finished, ...). Plain values for logs and the control API.

#include <cstdint>
#include <string>

namespace libconf::service {

using CallId = std::uint64_t;
inline constexpr CallId kNoCall = 0;

struct ServiceEvent {
  std::int64_t at_ms = 0;
  std::string kind;
  CallId call = kNoCall;  ///< the call concerned, kNoCall for room-wide events
  std::string room;
  std::string detail;     ///< free text: reason, digits, prompt id, number...
};

}  // namespace libconf::service
