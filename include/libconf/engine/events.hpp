#pragma once
/// @file
/// Events the engine emits: small fixed-size records (no strings, no heap),
/// produced on worker threads and drained by the host (Engine::poll_events).
/// Ids are the engine's RoomId/LegId; the host maps them to names.
///
/// Delivery: events a host's state machine waits for — the outcome of every
/// command (joined, left, moved, updated, failed, mix and whisper changes,
/// playback and recording started/stopped) and every playback_done — are
/// never dropped: the engine reserves their room in the event queue when the
/// command is accepted, and refuses the command (capacity_exceeded) when it
/// cannot. Media-driven events (talking_*, dtmf_*) use only unreserved room
/// and are counted in Engine::health() when a host that stopped polling lets
/// the queue fill.

#include <cstdint>
#include <limits>

#include "libconf/error.hpp"

namespace libconf::engine {

using RoomId = std::uint32_t;
using LegId = std::uint32_t;
using PlaybackId = std::uint32_t;
/// "No such id", by libconf's one convention: the largest value of the id's
/// type (as mix::kInvalidLeg), never 0. The engine issues ids from 1 up.
inline constexpr RoomId kNoRoom = std::numeric_limits<RoomId>::max();
inline constexpr LegId kNoLeg = std::numeric_limits<LegId>::max();
inline constexpr PlaybackId kNoPlayback = std::numeric_limits<PlaybackId>::max();

enum class EventKind : std::uint8_t {
  room_created,
  room_closed,
  leg_joined,         ///< leg is in the room and mixed from this tick on
  leg_left,           ///< value: 0 removed, 1 moved away
  leg_moved,          ///< leg arrived from other_room
  talking_started,
  talking_stopped,    ///< always follows a start: on silence, mute, leave or move
  dtmf_started,       ///< digit; value: 0 in-band, 1 RFC 4733
  dtmf_ended,         ///< digit; value: duration in ms
  mix_state_changed,  ///< mute/deaf/listen-only/gains changed (value: flags bitmask, see below)
  whisper_started,    ///< leg whispers to other_leg
  whisper_stopped,
  source_gain_changed,  ///< leg hears other_leg at value (centi-dB)
  command_failed,     ///< error says why; leg/room name the target
  playback_started,   ///< other_leg: the playback id; leg: its target leg (kNoLeg: the room)
  playback_done,      ///< other_leg: the playback id; value: 0 ended, 1 stopped, 2 target gone
  recording_started,
  recording_stopped,
  leg_updated,        ///< update_leg applied; value: the leg's MediaDirection after it
};

/// Never dropped (see above): everything but talking_* and dtmf_*.
constexpr bool is_critical(EventKind kind) noexcept {
  return kind != EventKind::talking_started && kind != EventKind::talking_stopped &&
         kind != EventKind::dtmf_started && kind != EventKind::dtmf_ended;
}

/// mix_state_changed flags.
inline constexpr std::int32_t kFlagMuted = 1;
inline constexpr std::int32_t kFlagDeaf = 2;
inline constexpr std::int32_t kFlagListenOnly = 4;

struct Event {
  EventKind kind = EventKind::room_created;
  char digit = 0;
  errc error = errc::ok;
  RoomId room = kNoRoom;
  LegId leg = kNoLeg;
  RoomId other_room = kNoRoom;
  LegId other_leg = kNoLeg;
  std::int32_t value = 0;
  std::int64_t time_us = 0;  ///< engine clock time of the tick that produced it
};

const char* to_string(EventKind kind) noexcept;

}  // namespace libconf::engine
