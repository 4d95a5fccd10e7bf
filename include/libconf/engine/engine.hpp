#pragma once
/// @file
/// Engine: the conference engine. Rooms live on worker threads (each room on
/// exactly one worker); every room's tick — receive, decode, resample, AGC,
/// talker detection, mix, encode once per output group and codec, send —
/// happens on its worker with no locks and no allocation.
///
/// Threading: every public method is thread-safe. Commands (join, leave,
/// mute, whisper, move, update...) are queued to the room's worker and
/// applied at the next tick boundary, in the order they were made; the call
/// returns once the command is queued (ids are assigned synchronously).
/// Whatever a command can be refused for at call time it is refused for
/// then: unknown ids, bad configuration, a full room (capacity is reserved
/// when add_leg or move_leg is accepted), full queues. Nothing a host calls
/// at run time throws. Events leave through poll_events(); the outcome of
/// every accepted command and every playback_done are never dropped
/// (events.hpp). A worker applies at most EngineConfig::commands_per_tick
/// commands per tick; the rest wait for the next tick.
///
/// Time: with a VirtualClock, the host calls tick() to advance one ptime and
/// run every worker once (deterministic, as fast as the CPU allows). With a
/// real clock, start() runs each worker on its own thread, sleeping to each
/// tick's absolute deadline; health() reports late ticks and tick times.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
#include "libconf/transport/transport_update.hpp"

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
  /// Commands a worker applies at the start of a tick; the rest wait for the
  /// next one, so a burst (a conference starting, a host reconnecting and
  /// re-creating its calls) cannot push a tick past its deadline. 256: one
  /// command costs the worker 0.1–1.8 µs on the project's machine (codec
  /// change the most; bench/engine BM_ApplyCommands, docs/performance.md),
  /// so a full budget adds at most ~0.5 ms to a tick (2.5 % of 20 ms) and a
  /// worker still drains 12,800 commands a second.
  std::size_t commands_per_tick = 256;
};

/// The leg's media direction, as the bridge's own SDP attribute says it (the
/// answer to a peer's offer: the peer's sendonly is our recvonly).
///
/// What a conference bridge does with each (decided for libconf):
/// - sendrecv: the leg is heard and hears the room.
/// - sendonly: the leg hears the room (or its music on hold) and is not
///   heard: the bridge put it on hold, or the peer only listens.
/// - recvonly: the peer put the call on hold (it offered sendonly). What it
///   still sends is its own hold music or silence, so it is not mixed, and
///   it asked for nothing, so nothing is sent: on hold a leg neither
///   contributes nor is sent audio.
/// - inactive: neither.
/// A leg that does not send keeps its RTP clock running (the timestamp
/// advances every tick); RTCP continues in every direction (RFC 3264).
enum class MediaDirection : std::uint8_t { sendrecv, sendonly, recvonly, inactive };
const char* to_string(MediaDirection direction) noexcept;

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
///
/// A leg is mixed only while it talks, and talker detection counts only
/// level-modulated sound as talk: a steady tone, music with a steady level or
/// a held caller's music is treated as line noise and is never mixed (so
/// hold music cannot take the floor). A leg that must be heard although it
/// is steady — music, a prompt or announcement source, a test tone — sets
/// always_talking.
struct LegProcessing {
  bool agc = true;
  double agc_target_dbfs = -20.0;
  bool talker_detection = true;
  bool inband_dtmf = true;  ///< detect DTMF in the audio and keep it out of the mix
  /// Force the leg into the mix: it counts as talking whenever it is not
  /// muted or listen-only, whatever talker detection says, and wins a
  /// top-N talker slot as a room-wide prompt does (talking_started/stopped
  /// events follow mute and unmute).
  bool always_talking = false;
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
  MediaDirection direction = MediaDirection::sendrecv;
};

/// A leg's codec, as in LegConfig.
struct LegCodec {
  std::string name = "PCMU";
  int codec_rate_hz = 0;  ///< 0 = natural rate (see LegConfig::codec_rate_hz)
  codec::CodecParams params{};
};

/// What a re-INVITE changes in a running leg. Empty fields are kept. A new
/// codec usually comes with transport->payload (the new payload type and
/// its RTP clock): the engine decodes and encodes with the codec, the
/// transport labels and accepts the packets.
struct LegUpdate {
  std::optional<LegCodec> codec{};
  std::optional<transport::TransportUpdate> transport{};  ///< remote address, payload formats, SRTP keys
  std::optional<MediaDirection> direction{};               ///< hold / unhold
};

/// A recorded prompt or music: mono PCM, immutable, shared by every playback.
struct Prompt {
  std::vector<std::int16_t> samples;
  int sample_rate_hz = 8000;
};
using PromptPtr = std::shared_ptr<const Prompt>;

/// One worker's figures (Engine::health). Counters run since the engine was
/// made; tick times cover the last 3,000 ticks (a minute at 20 ms).
struct WorkerHealth {
  std::size_t rooms = 0;
  std::size_t legs = 0;                    ///< legs in its rooms now
  std::uint64_t ticks = 0;
  std::uint64_t late_ticks = 0;            ///< started more than ptime/4 after their deadline (real clock)
  std::uint64_t overruns = 0;              ///< took longer than one ptime
  std::uint64_t skipped_ticks = 0;         ///< dropped to catch up after falling 10 ptimes behind
  std::int64_t max_late_us = 0;            ///< latest start against a deadline
  std::int64_t tick_p50_us = 0;            ///< tick time (CPU work of one tick), median
  std::int64_t tick_p99_us = 0;
  std::int64_t tick_max_us = 0;
  double load = 0;                         ///< mean tick time / ptime: 1.0 = a full core
  std::uint64_t commands_applied = 0;
  std::size_t commands_queued = 0;         ///< waiting now (including reserved room)
  std::uint64_t budget_deferred_ticks = 0; ///< ticks that left commands for the next tick
  std::size_t events_queued = 0;           ///< waiting for poll_events now (including reserved room)
  std::uint64_t events_dropped = 0;        ///< talking/DTMF events lost to a full queue
  std::uint64_t critical_events_dropped = 0;  ///< always 0 (the reservation guarantees it)
  std::uint64_t retired_on_worker = 0;     ///< parts freed on the worker: the host stopped polling
};

struct EngineHealth {
  int ptime_ms = 20;
  std::vector<WorkerHealth> workers;
};

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

  /// Creates a room on the worker with the fewest legs (then rooms).
  /// Errors: unsupported_sample_rate, invalid_argument (why, when not null,
  /// names the bad value), capacity_exceeded (command queue full).
  Result<RoomId> create_room(const RoomConfig& config, std::string* why = nullptr);
  /// Closes a room: its legs leave (talking_stopped, leg_left), then room_closed.
  Result<void> close_room(RoomId room);

  /// Builds the leg (codec, buffers) on the calling thread, then queues it to
  /// join at the next tick. Errors: not_found (room), unknown_codec,
  /// unsupported_sample_rate, invalid_argument (why names the value),
  /// capacity_exceeded (the room holds max_legs, or a queue is full).
  Result<LegId> add_leg(RoomId room, LegConfig config, std::string* why = nullptr);
  Result<void> remove_leg(LegId leg);
  /// Moves a leg to another room (possibly on another worker): at most one
  /// frame of its audio is lost. The leg keeps its transport, codec and state.
  /// A full room refuses here (capacity_exceeded) and the leg stays where it
  /// is. Errors: not_found, invalid_argument (already there), capacity_exceeded.
  Result<void> move_leg(LegId leg, RoomId to_room);
  /// Changes a running leg (re-INVITE): codec, the transport's remote
  /// address, payload formats and SRTP keys, the media direction (hold).
  /// Whatever allocates (codec, resamplers, SRTP sessions) is built here;
  /// the worker swaps it in at the next tick boundary (leg_updated) and the
  /// replaced parts are freed back on a host thread. Errors: not_found,
  /// unknown_codec, unsupported_sample_rate, invalid_argument, not_supported
  /// (the transport cannot change), capacity_exceeded (queue); why names it.
  Result<void> update_leg(LegId leg, const LegUpdate& update, std::string* why = nullptr);

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
  /// Call it from one thread. Errors: invalid_state (a real clock, or started).
  Result<void> tick();
  /// Real clock: one thread per worker, each sleeping to its next tick's
  /// absolute deadline (Clock::sleep_until_us), until stop(). A worker that
  /// falls more than 10 ptimes behind skips ahead (counted in health()).
  /// Errors: invalid_state (a VirtualClock: use tick()).
  Result<void> start();
  void stop();

  /// Late ticks, tick times, queues, dropped events, rooms and legs per worker.
  EngineHealth health() const;

  /// Drains up to out.size() events (all workers). Returns how many.
  std::size_t poll_events(std::span<Event> out);
  /// Statistics of a leg (snapshot, updated each tick). Errors: not_found.
  Result<LegStats> leg_stats(LegId leg) const;
  /// Room of a leg as the commands made so far leave it (kNoRoom if unknown).
  RoomId room_of(LegId leg) const;
  std::size_t worker_count() const noexcept;
  const Clock& clock() const noexcept;
  int ptime_ms() const noexcept;

  /// Per-leg output tap for hosts that record or inspect what a leg hears
  /// (PCM at the room rate, before encoding). Called on the worker thread:
  /// must be real-time safe. Set before start() and between ticks; null to
  /// disable. Errors: invalid_state (started).
  using OutputTap = std::function<void(RoomId, LegId, std::span<const std::int16_t>)>;
  Result<void> set_output_tap(OutputTap tap);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::engine
