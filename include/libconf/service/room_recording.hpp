#pragma once
/// @file
/// A finished room recording as ConferenceService hands it to the host: the
/// room's mix and one track per leg that was in the room, all at the room's
/// rate and aligned on one timeline (sample 0 is the first recorded tick; a
/// leg that joined later or left early is silent outside its time). The
/// service keeps the PCM in memory and does no file I/O: the host writes it
/// (the file host writes `<prefix>-mix.wav` and `<prefix>-<phone>.wav`).

#include <cstdint>
#include <string>
#include <vector>

#include "libconf/engine/events.hpp"
#include "libconf/service/service_event.hpp"

namespace libconf::service {

/// Bounds of one recording. The recorder preallocates everything at start
/// (the engine calls it on its media thread, where nothing may allocate):
/// (max_tracks + 1) * rate * max_duration_ms / 1000 samples of 2 bytes.
struct RecordingLimits {
  /// Recording stops by itself when this is reached (event recording_full).
  std::int64_t max_duration_ms = 300'000;
  /// Legs recorded as tracks; 0: the legs in the room now plus 4 (late joiners).
  /// Legs beyond it are in the mix but get no track (reported in the event).
  std::size_t max_tracks = 0;
};

struct RoomRecording {
  struct Track {
    CallId call = kNoCall;       ///< kNoCall if the call is no longer known
    engine::LegId leg = engine::kNoLeg;
    std::string caller_id;
    std::string name;            ///< display name (or empty)
    std::vector<std::int16_t> samples;
  };
  std::string room;        ///< conference room (main or side)
  std::string out_prefix;  ///< as given to start_room_recording
  int sample_rate_hz = 0;
  std::int64_t started_ms = 0;
  std::int64_t stopped_ms = 0;
  std::string stop_reason;  ///< "stopped", "full", "room closed"
  std::vector<std::int16_t> mix;  ///< what a listener who does not talk hears
  std::vector<Track> tracks;      ///< each leg's cleaned input (after DTMF guard and AGC)
  bool legs_untracked = false;  ///< some legs had no track (beyond RecordingLimits::max_tracks)
};

}  // namespace libconf::service
