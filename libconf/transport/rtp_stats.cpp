#include "libconf/transport/rtp_stats.hpp"

#include <algorithm>

namespace libconf::transport {

namespace {
// RFC 3550 A.1: a jump of more than kMaxDropout ahead, or kMaxMisorder behind,
// is a restart of the sender (confirmed by the next packet in sequence).
constexpr std::uint32_t kMaxDropout = 3000;
constexpr std::uint32_t kMaxMisorder = 100;
constexpr std::uint32_t kSeqMod = 1u << 16;
}  // namespace

void ReceiveStatistics::init_sequence(std::uint16_t seq) noexcept {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;
  cycles_ = 0;
  received_ = 0;
  expected_prior_ = 0;
  received_prior_ = 0;
}

void ReceiveStatistics::on_packet(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t rtp_timestamp,
                                  std::int64_t arrival_us, bool timing) noexcept {
  if (!has_source_ || ssrc != ssrc_) {
    has_source_ = true;
    ssrc_ = ssrc;
    init_sequence(seq);
    has_transit_ = false;
    jitter_q4_ = 0;
    last_fraction_lost_ = 0.0;
  } else {
    const std::uint16_t udelta = static_cast<std::uint16_t>(seq - max_seq_);
    if (udelta < kMaxDropout) {
      if (seq < max_seq_) cycles_ += kSeqMod;  // wrapped
      max_seq_ = seq;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
      // A large jump: accept it only if the next packet follows it.
      if (seq == bad_seq_) {
        init_sequence(seq);
      } else {
        bad_seq_ = (std::uint32_t{seq} + 1) & (kSeqMod - 1);
        return;
      }
    }
    // else: duplicate or reordered packet, counted below.
  }
  ++received_;
  if (!timing) return;
  // A.8: transit in RTP units; arrival converted from µs at the stream's clock.
  const auto arrival_ts =
      static_cast<std::uint32_t>(static_cast<std::uint64_t>(arrival_us) * static_cast<std::uint64_t>(clock_rate_hz_) / 1000000u);
  const auto transit = static_cast<std::int32_t>(arrival_ts - rtp_timestamp);
  if (has_transit_) {
    std::int64_t d = std::int64_t{transit} - last_transit_;
    if (d < 0) d = -d;
    const auto du = static_cast<std::uint32_t>(std::min<std::int64_t>(d, 0x0fffffff));
    jitter_q4_ += du - ((jitter_q4_ + 8) >> 4);
  }
  has_transit_ = true;
  last_transit_ = transit;
}

std::int64_t ReceiveStatistics::cumulative_lost() const noexcept {
  if (!has_source_) return 0;
  const std::int64_t expected = std::int64_t{extended_highest_sequence()} - base_seq_ + 1;
  return expected - static_cast<std::int64_t>(received_);
}

RtcpReportBlock ReceiveStatistics::next_report_block() noexcept {
  RtcpReportBlock b;
  b.ssrc = ssrc_;
  b.extended_highest_sequence = extended_highest_sequence();
  const std::int64_t lost = cumulative_lost();
  b.cumulative_lost = static_cast<std::int32_t>(std::clamp<std::int64_t>(lost, -0x800000, 0x7fffff));
  const std::uint64_t expected = static_cast<std::uint64_t>(std::int64_t{extended_highest_sequence()} - base_seq_ + 1);
  const std::int64_t expected_interval = static_cast<std::int64_t>(expected - expected_prior_);
  const std::int64_t received_interval = static_cast<std::int64_t>(received_ - received_prior_);
  expected_prior_ = expected;
  received_prior_ = received_;
  const std::int64_t lost_interval = expected_interval - received_interval;
  if (expected_interval <= 0 || lost_interval <= 0) {
    b.fraction_lost = 0;
  } else {
    b.fraction_lost = static_cast<std::uint8_t>(std::min<std::int64_t>(255, (lost_interval << 8) / expected_interval));
  }
  last_fraction_lost_ = b.fraction_lost / 256.0;
  b.jitter = jitter();
  return b;
}

}  // namespace libconf::transport
