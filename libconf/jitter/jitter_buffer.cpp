#include "libconf/jitter/jitter_buffer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "libconf/error.hpp"

namespace libconf::jitter {
namespace {

// Fastest-path window: kMinBuckets buckets of kMinBucketUs = 2 s, the history
// NetEq's delay manager uses. At ±200 ppm the true fastest path moves 0.4 ms in
// 2 s, far below one 20 ms frame, so the window follows drift without lag.
constexpr std::int64_t kMinBucketUs = 250'000;
// Peak interval: the largest relative delay of each 500 ms (25 packets at
// 20 ms) is one histogram sample. A 500 ms peak covers a typical delay spike
// as a whole, so the quantile counts spikes, not packets.
constexpr std::int64_t kPeakIntervalUs = 500'000;
// Forgetting per interval: time constant 1 / (1 - 0.983) = 59 intervals, about
// 30 s of memory (NetEq's forget factor for its 500 ms resampled histogram).
constexpr double kForget = 0.983;
// Start-up target before the first interval has closed: 60 ms covers the
// jitter of most fixed and mobile access links (NetEq starts at 80 ms).
constexpr int kInitialTargetMs = 60;
// Empty ring during speech: conceal for up to 60 ms (G.711 Appendix I PLC has
// faded to silence by then; Opus PLC likewise), then report silence.
constexpr int kMaxExpandMs = 60;
// Shortening during speech: the excess must last 1 s and drops are at least
// 200 ms apart (at most 10 % time compression). Every dropped packet counts
// as loss, so the buffer waits for a free way first (a silence gap, or a lost
// frame it can skip); 1 s was the best of 0.2 / 1 / 3 s on the traces of
// docs/jitter.md (0.2 s churns on heavy-tailed jitter, 3 s keeps spike delay
// for too long).
constexpr int kDropHoldMs = 1000;
// A single frame of excess is dropped only after 10 s without a free way to
// shed it: long enough that target swings under heavy-tailed jitter (which
// reverse within seconds) cost nothing, short enough that a jitter-free
// continuous stream reaches the lowest delay within seconds of start-up.
constexpr int kSlowDropHoldMs = 10000;
constexpr int kDropSpacingMs = 200;
// Stretching during speech (a concealed frame inserted before the buffer runs
// dry) only when a whole frame short of the target, at most once a second:
// a target that rises and falls again would otherwise cost a concealed
// frame and a dropped packet per cycle. Running dry holds the clock anyway.
constexpr int kStretchSpacingMs = 1000;
// Stream discontinuities (RFC 3550 A.1): a sequence jump beyond kMaxDropout
// ahead or kMaxMisorder behind, or a timestamp more than kMaxForwardS ahead of
// what the sequence predicts (a DTX gap longer than 10 minutes is a restart),
// is a candidate restart confirmed by the next packet following it.
constexpr std::int64_t kMaxDropout = 3000;
constexpr std::int64_t kMaxMisorder = 100;
constexpr std::int64_t kMaxForwardS = 600;
// Extended numbers start this far up so that reordering around the first
// packet never makes them negative.
constexpr std::int64_t kSeqBase = std::int64_t{1} << 24;
constexpr std::int64_t kTsBase = std::int64_t{1} << 40;
// Times beyond ±2^60 us (36 000 years) are clamped so no arithmetic overflows.
constexpr std::int64_t kTimeLimitUs = std::int64_t{1} << 60;

std::int64_t clamp_time(std::int64_t t) noexcept { return std::clamp(t, -kTimeLimitUs, kTimeLimitUs); }

[[noreturn]] void bad(const std::string& what) { throw Error(errc::invalid_argument, "JitterConfig." + what); }

}  // namespace

JitterBuffer::JitterBuffer(const JitterConfig& config) : config_(config) {
  const auto& c = config;
  if (c.clock_rate_hz < 1000 || c.clock_rate_hz > 192000)
    bad("clock_rate_hz: " + std::to_string(c.clock_rate_hz) + " is outside 1000..192000");
  if (c.frame_duration_ts == 0 || c.frame_duration_ts > static_cast<std::uint32_t>(c.clock_rate_hz))
    bad("frame_duration_ts: " + std::to_string(c.frame_duration_ts) + " is outside 1.." +
        std::to_string(c.clock_rate_hz) + " (at most one second)");
  if (c.max_delay_ms < 1 || c.max_delay_ms > 10000)
    bad("max_delay_ms: " + std::to_string(c.max_delay_ms) + " is outside 1..10000");
  if (c.min_delay_ms < 0 || c.min_delay_ms > c.max_delay_ms)
    bad("min_delay_ms: " + std::to_string(c.min_delay_ms) + " is outside 0..max_delay_ms (" +
        std::to_string(c.max_delay_ms) + ")");
  if (c.max_payload_bytes == 0 || c.max_payload_bytes > 65536)
    bad("max_payload_bytes: " + std::to_string(c.max_payload_bytes) + " is outside 1..65536");
  if (!(c.target_quantile >= 0.01 && c.target_quantile <= 0.9999)) {
    char v[32];
    std::snprintf(v, sizeof v, "%g", c.target_quantile);
    bad(std::string("target_quantile: ") + v + " is outside 0.01..0.9999");
  }
  frame_us_ = static_cast<std::int64_t>(c.frame_duration_ts) * 1'000'000 / c.clock_rate_hz;
  if (frame_us_ < 1000) bad("frame_duration_ts: " + std::to_string(c.frame_duration_ts) + " is shorter than 1 ms");
  const std::int64_t frame_ms = std::max<std::int64_t>(1, frame_us_ / 1000);
  const std::size_t needed = static_cast<std::size_t>((c.max_delay_ms + frame_ms - 1) / frame_ms + 2);
  if (c.capacity_packets < needed || c.capacity_packets > 65536)
    bad("capacity_packets: " + std::to_string(c.capacity_packets) + " is outside " + std::to_string(needed) +
        "..65536 (it must hold max_delay_ms " + std::to_string(c.max_delay_ms) + " plus two frames)");
  if (c.capacity_packets * c.max_payload_bytes > (std::size_t{1} << 28))
    bad("capacity_packets * max_payload_bytes: " + std::to_string(c.capacity_packets * c.max_payload_bytes) +
        " bytes is over 256 MiB");
  slots_.resize(c.capacity_packets);
  payload_.resize(c.capacity_packets * c.max_payload_bytes);
  bin_ms_ = static_cast<double>(c.max_delay_ms) / kBins;
  reset();
}

void JitterBuffer::reset() noexcept {
  for (auto& s : slots_) s.seq = -1;
  buffered_ = 0;
  have_stream_ = false;
  probation_ = false;
  playing_ = false;
  played_history_ = 0;
  last_kind_ = FrameKind::silence;
  conceal_run_ = 0;
  excess_ticks_ = 0;
  ticks_since_drop_ = 1 << 20;
  ticks_since_stretch_ = 1 << 20;
  for (int i = 0; i < kMinBuckets; ++i) min_bucket_index_[i] = -1;
  std::fill(std::begin(hist_), std::end(hist_), 0.0);
  interval_start_us_ = 0;
  interval_peak_ms_ = -1.0;
  hist_updates_ = 0;
  target_ms_ = std::clamp(kInitialTargetMs, config_.min_delay_ms, config_.max_delay_ms);
  stats_.target_delay_ms = target_ms_;
  stats_.current_delay_ms = 0;
}

std::int64_t JitterBuffer::ts_to_us(std::int64_t ts) const noexcept {
  return (ts - ts_origin_) * 1'000'000 / config_.clock_rate_hz;
}

std::int64_t JitterBuffer::us_to_ts(std::int64_t us) const noexcept {
  // Only called with differences of at most a few seconds.
  return us * config_.clock_rate_hz / 1'000'000;
}

void JitterBuffer::start_stream(const transport::ReceivedPacket& p) noexcept {
  const std::uint64_t keep_resyncs = stats_.resyncs;
  reset();
  stats_.resyncs = keep_resyncs;
  have_stream_ = true;
  ssrc_ = p.ssrc;
  last_seq16_ = p.sequence;
  last_ts32_ = p.rtp_timestamp;
  last_seq_ = kSeqBase + p.sequence;
  last_ts_ = kTsBase + p.rtp_timestamp;
  ts_origin_ = last_ts_;
  next_seq_ = last_seq_;
  playout_ts_ = last_ts_;
}

std::int64_t JitterBuffer::fastest_offset_us() const noexcept {
  // Minimum over the buckets of the last kMinBuckets * kMinBucketUs before the
  // newest bucket.
  std::int64_t newest = -1;
  for (int i = 0; i < kMinBuckets; ++i) newest = std::max(newest, min_bucket_index_[i]);
  std::int64_t best = kTimeLimitUs * 4;
  for (int i = 0; i < kMinBuckets; ++i)
    if (min_bucket_index_[i] >= 0 && min_bucket_index_[i] > newest - kMinBuckets)
      best = std::min(best, min_bucket_[i]);
  return best;
}

void JitterBuffer::observe_delay(std::int64_t ext_ts, std::int64_t arrival_us) noexcept {
  const std::int64_t offset = arrival_us - ts_to_us(ext_ts);
  // Bucket by arrival time, floor division (arrival may be negative).
  const std::int64_t bucket =
      (arrival_us >= 0 ? arrival_us / kMinBucketUs : -((-arrival_us + kMinBucketUs - 1) / kMinBucketUs)) +
      (kTimeLimitUs / kMinBucketUs + 1);
  const int i = static_cast<int>(bucket % kMinBuckets);
  if (min_bucket_index_[i] != bucket) {
    min_bucket_index_[i] = bucket;
    min_bucket_[i] = offset;
  } else {
    min_bucket_[i] = std::min(min_bucket_[i], offset);
  }
  const double rel_ms = static_cast<double>(offset - fastest_offset_us()) / 1000.0;
  if (interval_peak_ms_ < 0.0) {
    interval_start_us_ = arrival_us;
  } else if (arrival_us - interval_start_us_ >= kPeakIntervalUs || arrival_us < interval_start_us_) {
    const int bin = std::clamp(static_cast<int>(interval_peak_ms_ / bin_ms_), 0, kBins - 1);
    ++hist_updates_;
    // Plain average until the history is as long as the forgetting memory.
    const double w = std::max(1.0 - kForget, 1.0 / static_cast<double>(hist_updates_));
    for (double& h : hist_) h *= 1.0 - w;
    hist_[bin] += w;
    update_target();
    interval_start_us_ = arrival_us;
    interval_peak_ms_ = -1.0;
  }
  interval_peak_ms_ = std::max(interval_peak_ms_, std::max(0.0, rel_ms));
}

void JitterBuffer::update_target() noexcept {
  double sum = 0.0;
  for (double h : hist_) sum += h;
  double acc = 0.0;
  int bin = kBins - 1;
  for (int i = 0; i < kBins; ++i) {
    acc += hist_[i];
    if (acc >= config_.target_quantile * sum) {
      bin = i;
      break;
    }
  }
  const int ms = static_cast<int>((bin + 1) * bin_ms_ + 0.5);
  target_ms_ = std::clamp(ms, config_.min_delay_ms, config_.max_delay_ms);
  stats_.target_delay_ms = target_ms_;
}

void JitterBuffer::put(const transport::ReceivedPacket& p) noexcept {
  if (p.payload.size() > config_.max_payload_bytes) {
    ++stats_.overflow;
    return;
  }
  if (!have_stream_ || p.ssrc != ssrc_) {
    if (have_stream_) ++stats_.resyncs;
    start_stream(p);
  }
  const std::int64_t arrival_us = clamp_time(p.arrival_us);
  std::int64_t seq = last_seq_ + static_cast<std::int16_t>(static_cast<std::uint16_t>(p.sequence - last_seq16_));
  std::int64_t ts = last_ts_ + static_cast<std::int32_t>(p.rtp_timestamp - last_ts32_);

  const std::int64_t predicted_ts = last_ts_ + (seq - last_seq_) * config_.frame_duration_ts;
  const std::int64_t cap = static_cast<std::int64_t>(slots_.size());
  const bool discontinuous = seq - last_seq_ > kMaxDropout || last_seq_ - seq > kMaxMisorder ||
                             ts < predicted_ts - cap * config_.frame_duration_ts ||
                             ts > predicted_ts + kMaxForwardS * config_.clock_rate_hz;
  if (discontinuous) {
    const bool follows = probation_ && p.sequence == static_cast<std::uint16_t>(probation_seq_ + 1) &&
                         p.rtp_timestamp - probation_ts_ <= 4 * config_.frame_duration_ts;
    if (!follows) {
      probation_ = true;
      probation_seq_ = p.sequence;
      probation_ts_ = p.rtp_timestamp;
      ++stats_.overflow;
      return;
    }
    ++stats_.resyncs;
    start_stream(p);
    seq = last_seq_;
    ts = last_ts_;
  }
  probation_ = false;

  if (playing_ && seq < next_seq_) {
    const std::int64_t back = next_seq_ - 1 - seq;
    if (back < 64 && ((played_history_ >> back) & 1u)) {
      ++stats_.duplicates;
    } else {
      ++stats_.late;
      observe_delay(ts, arrival_us);
    }
    return;
  }
  Slot& slot = slot_for(seq);
  if (slot.seq == seq) {
    ++stats_.duplicates;
    return;
  }
  if (playing_ && ts < playout_ts_) {
    ++stats_.late;
    observe_delay(ts, arrival_us);
    return;
  }
  if (!playing_ && buffered_ > 0 && (seq <= last_seq_ - cap || seq >= next_seq_ + cap)) {
    ++stats_.overflow;
    return;
  }
  if (playing_ && seq >= next_seq_ + cap) {
    // The sender is more than the ring ahead of play-out: give up the oldest
    // sequence numbers (counted lost; buffered ones also as overflow).
    const std::int64_t new_next = seq - cap + 1;
    for (std::int64_t s = next_seq_; s < new_next && s < next_seq_ + cap; ++s) {
      Slot& old = slot_for(s);
      if (old.seq == s) {
        old.seq = -1;
        --buffered_;
        ++stats_.overflow;
      }
    }
    const std::int64_t skipped = new_next - next_seq_;
    stats_.lost += static_cast<std::uint64_t>(skipped);
    played_history_ = skipped >= 64 ? 0 : played_history_ << skipped;
    next_seq_ = new_next;
  }
  if (slot.seq >= 0) --buffered_;  // stale occupant (cannot happen inside the window; defensive)
  slot.seq = seq;
  slot.ts = ts;
  slot.size = static_cast<std::uint32_t>(p.payload.size());
  if (!p.payload.empty()) std::memcpy(slot_data(seq), p.payload.data(), p.payload.size());
  ++buffered_;
  ++stats_.received;
  if (seq < last_seq_) ++stats_.reordered;
  if (seq > last_seq_) {
    last_seq_ = seq;
    last_ts_ = ts;
    last_seq16_ = p.sequence;
    last_ts32_ = p.rtp_timestamp;
  }
  if (!playing_ && (buffered_ == 1 || seq < next_seq_)) {
    next_seq_ = seq;
    playout_ts_ = ts;
  }
  observe_delay(ts, arrival_us);
}

JitterFrame JitterBuffer::play(std::int64_t seq) noexcept {
  Slot& s = slot_for(seq);
  JitterFrame f;
  f.kind = FrameKind::audio;
  f.payload = {slot_data(seq), s.size};
  f.rtp_timestamp = static_cast<std::uint32_t>(s.ts);
  playout_ts_ = std::max(playout_ts_, s.ts) + config_.frame_duration_ts;
  s.seq = -1;  // the bytes stay in place until a packet of seq + capacity arrives
  --buffered_;
  played_history_ = (played_history_ << 1) | 1u;  // seq == next_seq_ at every call
  next_seq_ = seq + 1;
  return f;
}

JitterFrame JitterBuffer::get(std::int64_t now_us) noexcept {
  now_us = clamp_time(now_us);
  ++ticks_since_drop_;
  ++ticks_since_stretch_;
  JitterFrame f;
  if (!have_stream_ || (!playing_ && buffered_ == 0)) return f;
  const std::int64_t cur_us = now_us - fastest_offset_us() - ts_to_us(playout_ts_);
  stats_.current_delay_ms = static_cast<int>(std::clamp<std::int64_t>(cur_us / 1000, -1'000'000, 1'000'000));
  if (!playing_) {
    if (cur_us < std::int64_t{target_ms_} * 1000) {
      f.rtp_timestamp = static_cast<std::uint32_t>(playout_ts_);
      return f;
    }
    playing_ = true;
  }
  f = decide();
  last_kind_ = f.kind;
  if (f.kind == FrameKind::conceal) ++stats_.concealed;
  if (f.kind == FrameKind::fec) ++stats_.fec_recovered;
  return f;
}

JitterFrame JitterBuffer::decide() noexcept {
  const std::int64_t cur_us = std::int64_t{stats_.current_delay_ms} * 1000;
  const std::int64_t target_us = std::int64_t{target_ms_} * 1000;
  const std::int64_t max_us = std::int64_t{config_.max_delay_ms} * 1000;
  const std::int64_t fd = config_.frame_duration_ts;
  // Play-out moves in whole frames, so the delays reachable are a lattice
  // frame_us_ apart. Aim for the lowest lattice point at or above the target:
  // shorten only when a frame less still meets the target (shortening below
  // it just empties the ring and costs a concealed frame a moment later).
  // Stretching during speech costs a concealed frame, so it waits until the
  // deficit is a whole frame; in silence it is free.
  const bool below_target = cur_us < target_us;
  const bool want_more = cur_us < target_us - frame_us_;
  const bool want_less = cur_us >= target_us + frame_us_ || cur_us > max_us;
  const int drop_hold_ticks = static_cast<int>(kDropHoldMs * 1000 / frame_us_);
  const int slow_drop_hold_ticks = static_cast<int>(kSlowDropHoldMs * 1000 / frame_us_);
  const int drop_spacing_ticks = static_cast<int>(kDropSpacingMs * 1000 / frame_us_);
  const int stretch_spacing_ticks = static_cast<int>(kStretchSpacingMs * 1000 / frame_us_);
  excess_ticks_ = want_less ? excess_ticks_ + 1 : 0;

  JitterFrame f;
  f.rtp_timestamp = static_cast<std::uint32_t>(playout_ts_);

  if (!has_slot(next_seq_)) {
    // Look for the first packet after the missing one (bounded by the ring).
    std::int64_t s = next_seq_ + 1;
    const std::int64_t end = std::min(last_seq_, next_seq_ + static_cast<std::int64_t>(slots_.size()) - 1);
    while (s <= end && !has_slot(s)) ++s;
    if (s > end || buffered_ == 0) {
      // Empty ring: a loss, a delay spike or the start of a silence gap. Conceal
      // briefly, then report silence; hold the play-out clock (the delay grows)
      // unless that would pass max_delay_ms.
      const bool speech = last_kind_ != FrameKind::silence;
      if (speech && conceal_run_ * frame_us_ < std::int64_t{kMaxExpandMs} * 1000) {
        f.kind = FrameKind::conceal;
        ++conceal_run_;
      }
      if (cur_us + frame_us_ > max_us) playout_ts_ += fd;
      return f;
    }
    conceal_run_ = 0;
    const std::int64_t t = slot_for(s).ts;
    // Sequence numbers whose frames would lie before the play-out position
    // are already past: count them lost now.
    const std::int64_t future_frames = std::max<std::int64_t>(0, (t - playout_ts_) / fd);
    const std::int64_t missing = s - next_seq_;
    if (future_frames < missing) {
      const std::int64_t skip = missing - future_frames;
      stats_.lost += static_cast<std::uint64_t>(skip);
      played_history_ = skip >= 64 ? 0 : played_history_ << skip;
      next_seq_ += skip;
    }
    if (want_less) {
      // Above target: lost frames are skipped instead of concealed, as many
      // as the excess allows. This sheds delay for free (nothing that
      // arrived is dropped), e.g. the delay a hold added during a loss burst.
      std::int64_t excess_frames = (cur_us - target_us) / frame_us_;
      while (excess_frames > 0 && next_seq_ < s) {
        ++stats_.lost;
        played_history_ <<= 1;
        ++next_seq_;
        playout_ts_ += fd;
        --excess_frames;
      }
    }
    if (!has_slot(next_seq_)) {
      // The frame at playout_ts_ is lost.
      ++stats_.lost;
      played_history_ <<= 1;
      ++next_seq_;
      if (next_seq_ == s && t == playout_ts_ + fd) {
        f.kind = FrameKind::fec;
        f.payload = {slot_data(s), slot_for(s).size};
      } else {
        f.kind = FrameKind::conceal;
      }
      playout_ts_ += fd;
      return f;
    }
  }
  conceal_run_ = 0;

  Slot& slot = slot_for(next_seq_);
  if (slot.ts >= playout_ts_ + fd) {
    // A gap in timestamps with no gap in sequence numbers: DTX / comfort noise.
    // Free to move the play-out position here.
    if (want_less) {
      // Jump to the latest position on the packet's frame grid that still
      // leaves at least the target delay.
      const std::int64_t desired = playout_ts_ + us_to_ts(cur_us - target_us);
      const std::int64_t frames_before = std::max<std::int64_t>(0, (slot.ts - desired + fd - 1) / fd);
      playout_ts_ = std::max(playout_ts_, slot.ts - frames_before * fd);
      if (playout_ts_ >= slot.ts) return play(next_seq_);
    } else if (below_target) {
      ++stats_.stretched;
      return f;  // silence, play-out clock held
    }
    f.rtp_timestamp = static_cast<std::uint32_t>(playout_ts_);
    playout_ts_ += fd;
    return f;
  }
  // The packet is due. Dropping it costs a packet, so a quick drop needs two
  // frames of excess for kDropHoldMs, a single frame must persist for
  // kSlowDropHoldMs (one frame is left to the free ways: silence, lost
  // frames). With one frame after 1 s, the late loss at equal delay on the
  // traces of docs/jitter.md was 15 % higher (geometric mean), mostly from
  // target swings under heavy-tailed jitter.
  const bool costly_drop_due =
      cur_us > max_us + frame_us_ ||
      (ticks_since_drop_ >= drop_spacing_ticks &&
       ((cur_us >= target_us + 2 * frame_us_ && excess_ticks_ >= drop_hold_ticks) ||
        excess_ticks_ >= slow_drop_hold_ticks));
  if (want_less && costly_drop_due) {
    const std::int64_t n = next_seq_ + 1;
    if (has_slot(n) && slot_for(n).ts <= slot.ts + fd) {
      slot.seq = -1;
      --buffered_;
      played_history_ <<= 1;
      ++next_seq_;
      ++stats_.dropped_for_drift;
      ticks_since_drop_ = 0;  // the excess keeps counting: spacing alone paces further drops
      return play(n);
    }
  }
  if (want_more && last_kind_ == FrameKind::audio && ticks_since_stretch_ >= stretch_spacing_ticks) {
    ticks_since_stretch_ = 0;
    ++stats_.stretched;
    f.kind = FrameKind::conceal;
    return f;
  }
  return play(next_seq_);
}

}  // namespace libconf::jitter
