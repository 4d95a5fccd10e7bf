#pragma once
/// @file
/// JitterBuffer: the adaptive receive buffer of one leg. It reorders packets,
/// drops duplicates and late packets, follows RTP sequence/timestamp
/// wrap-around and SSRC changes, and tells the caller once per tick what to
/// play: a packet to decode, the next packet to decode FEC from, a frame to
/// conceal, or silence. It owns no codec and no socket.
///
/// Target delay (the estimator). Every packet's transit offset
/// `arrival - timestamp` is compared with the smallest offset seen in the
/// last 2 s (the "fastest path"); the difference is its relative delay. The
/// largest relative delay of each 500 ms interval enters a histogram with
/// exponential forgetting (about 30 s of memory: a NetEq-style delay manager
/// fed with interval peaks, so a spike is remembered rather than averaged
/// away). The target delay is the `target_quantile` of that histogram,
/// clamped to [min_delay_ms, max_delay_ms]; 60 ms until the first interval.
///
/// Playout control. The current delay is how long after the fastest path
/// the frame being played would have arrived; it moves in whole frames. Below
/// the target the buffer stretches (holds the play-out clock for a tick of
/// silence during a silence gap; during speech, once the deficit reaches a
/// whole frame, inserts one concealed frame, at most once a second). When a
/// frame less would still meet the target it shortens for free (skips
/// silence, or skips a lost frame instead of concealing it); with two frames
/// of excess for 1 s, or one frame for 10 s, it also drops a packet during
/// speech (at most one per 200 ms). In steady speech the delay therefore
/// stays below target + 2
/// frames (after a hold it is shed at that pace). This
/// is also how ±200 ppm of clock drift is absorbed: about one frame per
/// 100 s at 20 ms, without the delay growing. When the buffer runs empty
/// the play-out clock holds (the delay grows, as after a delay spike) but
/// never past max_delay_ms; packets whose time has passed are "late".
///
/// Memory: one ring of capacity_packets fixed slots, each with
/// max_payload_bytes of storage, allocated in the constructor. put() and
/// get() never allocate, lock or log.
///
/// Thread-safety: none; one instance belongs to one leg on one worker thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "libconf/transport/media_transport.hpp"

namespace libconf::jitter {

/// Settings fixed at construction. Durations in milliseconds, timestamps in
/// RTP clock units.
struct JitterConfig {
  int clock_rate_hz = 8000;                 ///< RTP clock (1000..192000)
  std::uint32_t frame_duration_ts = 160;    ///< RTP timestamp units per frame (= per tick)
  int min_delay_ms = 20;                    ///< target never below this (0..max_delay_ms)
  int max_delay_ms = 400;                   ///< target and current delay never above this
  std::size_t capacity_packets = 64;        ///< ring slots; must cover max_delay_ms + 2 frames
  std::size_t max_payload_bytes = 1500;     ///< larger payloads are dropped and counted as oversized
  /// Tuning knob of the estimator: the quantile (0.01..0.9999) of interval-peak
  /// relative delays that the target covers. Higher = fewer late packets, more delay.
  double target_quantile = 0.95;
};

/// What to do this tick.
enum class FrameKind {
  audio,    ///< decode payload
  fec,      ///< this frame is lost but the next packet is here: decode its FEC (payload = next packet)
  conceal,  ///< lost or not yet arrived during speech: run the codec's PLC
  silence,  ///< nothing to play (before the stream starts, or a DTX/comfort-noise gap)
};

struct JitterFrame {
  FrameKind kind = FrameKind::silence;
  /// audio: the packet; fec: the NEXT packet, to decode its FEC; empty otherwise.
  std::span<const std::uint8_t> payload;
  /// audio: the packet's timestamp; fec/conceal: the timestamp of the frame
  /// being rebuilt; silence: the play-out position. RTP units (wraps).
  std::uint32_t rtp_timestamp = 0;
};

/// Counters since construction (reset() keeps them; an SSRC change keeps them).
struct JitterStats {
  std::uint64_t received = 0;          ///< packets handed to put() and accepted
  std::uint64_t duplicates = 0;        ///< same sequence number already buffered or played
  std::uint64_t late = 0;              ///< arrived after their play-out time (discarded)
  std::uint64_t lost = 0;              ///< sequence numbers missing when their turn came (network loss and late)
  std::uint64_t concealed = 0;         ///< ticks answered with FrameKind::conceal
  std::uint64_t fec_recovered = 0;     ///< ticks answered with FrameKind::fec
  std::uint64_t reordered = 0;         ///< arrived after a packet with a higher sequence number
  std::uint64_t dropped_for_drift = 0; ///< packets dropped during speech to bring the delay down to target
  std::uint64_t overflow = 0;          ///< dropped: too far ahead for the ring, or payload too large
  std::uint64_t stretched = 0;         ///< ticks inserted (conceal or silence) to raise the delay to target
  std::uint64_t resyncs = 0;           ///< stream restarts: SSRC change or a sequence/timestamp jump
  int target_delay_ms = 0;             ///< current target
  int current_delay_ms = 0;            ///< play-out delay behind the fastest path, at the last get()
};

class JitterBuffer {
 public:
  /// Throws libconf::Error (invalid_argument) naming the bad field and value.
  explicit JitterBuffer(const JitterConfig& config);

  /// Copies the payload into a slot. Out-of-range, duplicate, late or
  /// oversized packets are counted and dropped. Real-time safe.
  void put(const libconf::transport::ReceivedPacket& packet) noexcept;

  /// Once per tick (every frame duration), now_us on the same clock as
  /// arrival_us. The payload span stays valid until the next get() or put().
  /// Real-time safe.
  JitterFrame get(std::int64_t now_us) noexcept;

  const JitterStats& stats() const noexcept { return stats_; }
  const JitterConfig& config() const noexcept { return config_; }

  /// Forgets the stream (packets, play-out position, delay history); keeps
  /// the counters. Real-time safe.
  void reset() noexcept;

 private:
  struct Slot {
    std::int64_t seq = -1;  // extended sequence number, -1 = empty
    std::int64_t ts = 0;    // extended timestamp
    std::uint32_t size = 0;
  };
  // Histogram resolution: kBins buckets spanning max_delay_ms (1 ms at the
  // default 400 ms, 2.5 ms at 1 s: finer than the 10-20 ms a tick moves).
  static constexpr int kBins = 400;
  static constexpr int kMinBuckets = 8;

  Slot& slot_for(std::int64_t seq) noexcept { return slots_[static_cast<std::size_t>(seq) % slots_.size()]; }
  std::uint8_t* slot_data(std::int64_t seq) noexcept {
    return payload_.data() + (static_cast<std::size_t>(seq) % slots_.size()) * config_.max_payload_bytes;
  }
  void start_stream(const libconf::transport::ReceivedPacket& p) noexcept;
  void observe_delay(std::int64_t ext_ts, std::int64_t arrival_us) noexcept;
  void update_target() noexcept;
  std::int64_t fastest_offset_us() const noexcept;
  std::int64_t ts_to_us(std::int64_t ts) const noexcept;
  std::int64_t us_to_ts(std::int64_t us) const noexcept;
  bool has_slot(std::int64_t seq) noexcept { return slot_for(seq).seq == seq; }
  JitterFrame play(std::int64_t seq) noexcept;
  JitterFrame decide() noexcept;  // one tick's decision once playing; uses stats_.current_delay_ms

  JitterConfig config_;
  std::int64_t frame_us_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> payload_;
  JitterStats stats_;

  // Stream identity and unwrapping.
  bool have_stream_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint16_t last_seq16_ = 0;
  std::uint32_t last_ts32_ = 0;
  std::int64_t last_seq_ = 0;  // extended, of the highest-numbered packet seen
  std::int64_t last_ts_ = 0;   // extended, of that packet
  std::int64_t ts_origin_ = 0;  // extended timestamp that maps to 0 us (keeps conversions small)
  std::int64_t buffered_ = 0;  // packets in the ring
  // A packet far away from the stream: restart there if the next one follows it.
  bool probation_ = false;
  std::uint16_t probation_seq_ = 0;
  std::uint32_t probation_ts_ = 0;

  // Play-out state.
  bool playing_ = false;
  std::int64_t next_seq_ = 0;     // extended sequence number to play next
  std::int64_t playout_ts_ = 0;   // extended timestamp of the frame to play next
  std::uint64_t played_history_ = 0;  // bit i: sequence next_seq_-1-i was played (duplicate check)
  FrameKind last_kind_ = FrameKind::silence;
  int conceal_run_ = 0;           // consecutive conceal ticks with an empty ring
  int excess_ticks_ = 0;          // consecutive ticks above target during speech
  int ticks_since_drop_ = 1 << 20;
  int ticks_since_stretch_ = 1 << 20;

  // Fastest path: minimum transit offset per 250 ms bucket of arrival time, last kMinBuckets buckets.
  std::int64_t min_bucket_[kMinBuckets] = {};
  std::int64_t min_bucket_index_[kMinBuckets] = {};
  // Relative-delay estimator.
  double hist_[kBins] = {};
  double bin_ms_ = 1.0;
  std::int64_t interval_start_us_ = 0;
  double interval_peak_ms_ = -1.0;
  std::uint64_t hist_updates_ = 0;
  int target_ms_ = 0;
};

}  // namespace libconf::jitter
