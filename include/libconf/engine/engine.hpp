#pragma once
/// @file
/// Engine: the conference engine. Rooms live on worker threads (each room on
/// exactly one worker); every room's tick — receive, decode, resample, AGC,
/// talker detection, mix, encode once per output group and codec, send —
/// happens on its worker with no locks and no allocation.
///
/// Threading: every public method is thread-safe. Commands (join, leave,
/// mute, whisper, move...) are queued to the room's worker and applied at the
/// next tick boundary; the call returns once the command is queued (ids are
/// assigned synchronously). Events leave through poll_events().
///
/// Time: with a VirtualClock, the host calls tick() to advance one ptime and
/// run every worker once (deterministic, as fast as the CPU allows). With a
/// real clock, start() runs each worker on its own thread at the media clock.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/clock.hpp"
#include "libconf/engine/events.hpp"
#include "libconf/engine/leg_stats.hpp"
#include "libconf/error.hpp"
#include "libconf/mix/mixer.hpp"
#include "libconf/transport/media_transport.hpp"

namespace libconf::engine {

struct EngineConfig {
  /// Worker threads (each owns some rooms). 0 = one per core.
  std::size_t workers = 1;
  int ptime_ms = 20;
  /// Time source. Null: a VirtualClock owned by the engine (use tick()).
  std::shared_ptr<Clock> clock;
  codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();
  /// Queue depths per worker (commands in, events out).
  std::size_t command_queue = 4096;
  std::size_t event_queue = 65536;
};

struct RoomConfig {
  std::string name;
  int sample_rate_hz = 16000;  ///< rate the room mixes at
  std::size_t max_legs = 64;   ///< capacity; buffers are sized for it at creation
  std::size_t top_n = 4;
  float talker_hysteresis_db = 3.0f;
  /// Encode once per output group and codec (the default). Off, every leg
  /// gets its own encode — only useful as a benchmark baseline.
  bool share_encoded_output = true;
};

/// Per-leg processing switches.
struct LegProcessing {
  bool agc = true;
  double agc_target_dbfs = -20.0;
  bool talker_detection = true;
  bool inband_dtmf = true;  ///< detect DTMF in the audio and keep it out of the mix
};

struct LegConfig {
  std::string name;
  std::string codec = "PCMU";  ///< SDP name in the engine's CodecRegistry
  /// PCM rate of the leg's codec; 0 = natural: 8000 for PCMU/PCMA, the room's
  /// rate for L16 and opus (48000 for opus when the room's rate is 32000).
  int codec_rate_hz = 0;
  /// Bitrate, complexity, FEC, DTX... (sample_rate_hz and ptime_ms are set
  /// by the engine from codec_rate_hz and the engine's ptime).
  codec::CodecParams codec_params{};
  std::unique_ptr<transport::MediaTransport> transport;
  mix::LegMixState mix{};
  LegProcessing processing{};
  /// Adaptive jitter buffer bounds.
  int jitter_min_delay_ms = 20;
  int jitter_max_delay_ms = 300;
};

/// A recorded prompt or music: mono PCM, immutable, shared by every playback.
struct Prompt {
  std::vector<std::int16_t> samples;
  int sample_rate_hz = 8000;
};
using PromptPtr = std::shared_ptr<const Prompt>;

struct PlayOptions {
  /// kNoLeg: everyone in the room hears it (it takes one of the room's top-N
  /// talker slots while it plays); a leg: only that leg hears it.
  LegId to_leg = kNoLeg;
  bool loop = false;       ///< music on hold: repeat until stop_playback()
  float gain_db = 0.0f;
};

/// Receives a room's audio every tick, on the room's worker thread: the mix
/// (what a listener who does not talk hears) and each leg's cleaned input
/// (after DTMF guard and AGC), all at the room's rate. Must be real-time safe
/// (copy into your own preallocated buffer or lock-free ring; no I/O).
class RoomRecorder {
 public:
  virtual ~RoomRecorder() = default;
  virtual void on_frame(RoomId room, std::int64_t time_us, std::span<const std::int16_t> mix) noexcept = 0;
  virtual void on_track(RoomId room, LegId leg, std::int64_t time_us, std::span<const std::int16_t> input) noexcept = 0;
};

/// The PCM rate a leg's codec runs at when LegConfig::codec_rate_hz is 0:
/// 8000 for PCMU/PCMA, the room's rate for L16 and opus (48000 for opus in a
/// 32 kHz room, Opus having no 32 kHz mode).
int natural_codec_rate(std::string_view codec, int requested_rate_hz, int room_rate_hz) noexcept;

class Engine {
 public:
  explicit Engine(EngineConfig config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Creates a room on the least-loaded worker. Throws libconf::Error naming a
  /// bad rate or capacity (configuration edge).
  RoomId create_room(const RoomConfig& config);
  /// Closes a room: its legs leave (talking_stopped, leg_left), then room_closed.
  Result<void> close_room(RoomId room);

  /// Builds the leg (codec, buffers) on the calling thread, then queues it to
  /// join at the next tick. Errors: not_found (room), unknown_codec,
  /// unsupported_sample_rate, invalid_argument, capacity_exceeded (queue).
  /// Throws nothing.
  Result<LegId> add_leg(RoomId room, LegConfig config);
  Result<void> remove_leg(LegId leg);
  /// Moves a leg to another room (possibly on another worker): at most one
  /// frame of its audio is lost. The leg keeps its transport, codec and state.
  Result<void> move_leg(LegId leg, RoomId to_room);

  Result<void> set_mix_state(LegId leg, const mix::LegMixState& state);
  Result<void> add_whisper(LegId from, LegId to, float gain_db = 0.0f);
  Result<void> remove_whisper(LegId from, LegId to);
  Result<void> set_source_gain(LegId listener, LegId source, float gain_db);

  /// Plays a prompt into a room or to one leg of it, from the next tick on.
  /// The prompt is converted to the room's rate here (off the media thread).
  /// Ends with a playback_done event (value 0: played to the end, 1: stopped,
  /// 2: its room or leg went away). Errors: not_found, capacity_exceeded
  /// (kMaxPlaybacksPerRoom at once), invalid_argument (empty prompt).
  Result<PlaybackId> play(RoomId room, PromptPtr prompt, PlayOptions options = {});
  Result<void> stop_playback(PlaybackId playback);
  static constexpr std::size_t kMaxPlaybacksPerRoom = 8;

  /// Records a room: recorder->on_frame/on_track every tick until
  /// stop_recording. One recorder per room. Errors: not_found, already_exists.
  Result<void> start_recording(RoomId room, std::shared_ptr<RoomRecorder> recorder);
  Result<void> stop_recording(RoomId room);

  /// Virtual clock only: advance one ptime and run every worker's tick.
  void tick();
  /// Real clock: one thread per worker, ticking every ptime until stop().
  void start();
  void stop();

  /// Drains up to out.size() events (all workers). Returns how many.
  std::size_t poll_events(std::span<Event> out);
  /// Statistics of a leg (snapshot, updated each tick). Errors: not_found.
  Result<LegStats> leg_stats(LegId leg) const;
  /// Room of a leg right now (kNoRoom if unknown).
  RoomId room_of(LegId leg) const;
  std::size_t worker_count() const noexcept;
  const Clock& clock() const noexcept;
  int ptime_ms() const noexcept;

  /// Per-leg output tap for hosts that record or inspect what a leg hears
  /// (PCM at the room rate, before encoding). Called on the worker thread:
  /// must be real-time safe. Set before start()/tick(); null to disable.
  using OutputTap = std::function<void(RoomId, LegId, std::span<const std::int16_t>)>;
  void set_output_tap(OutputTap tap);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::engine
