#include "libconf/engine/events.hpp"

namespace libconf::engine {

const char* to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::room_created: return "room_created";
    case EventKind::room_closed: return "room_closed";
    case EventKind::leg_joined: return "leg_joined";
    case EventKind::leg_left: return "leg_left";
    case EventKind::leg_moved: return "leg_moved";
    case EventKind::talking_started: return "talking_started";
    case EventKind::talking_stopped: return "talking_stopped";
    case EventKind::dtmf_started: return "dtmf_started";
    case EventKind::dtmf_ended: return "dtmf_ended";
    case EventKind::mix_state_changed: return "mix_state_changed";
    case EventKind::whisper_started: return "whisper_started";
    case EventKind::whisper_stopped: return "whisper_stopped";
    case EventKind::source_gain_changed: return "source_gain_changed";
    case EventKind::command_failed: return "command_failed";
    case EventKind::playback_started: return "playback_started";
    case EventKind::playback_done: return "playback_done";
    case EventKind::recording_started: return "recording_started";
    case EventKind::recording_stopped: return "recording_stopped";
    case EventKind::leg_updated: return "leg_updated";
  }
  return "unknown";
}

}  // namespace libconf::engine
