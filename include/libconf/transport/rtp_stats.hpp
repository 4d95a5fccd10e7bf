#pragma once
/// @file
/// Per-leg RTP/RTCP statistics: the public RtpStats snapshot and the receiver
/// bookkeeping of RFC 3550 appendix A.1 (sequence), A.3 (loss) and A.8
/// (interarrival jitter). ReceiveStatistics is single-threaded and real-time safe.

#include <cstdint>

#include "libconf/transport/rtcp_packet.hpp"

namespace libconf::transport {

/// One leg's counters and quality figures. A snapshot: copy it, it owns nothing.
struct RtpStats {
  // Sending.
  std::uint64_t packets_sent = 0;   ///< RTP packets (audio and events)
  std::uint64_t octets_sent = 0;    ///< RTP payload octets (RFC 3550 sender octet count)
  std::uint64_t rtcp_sent = 0;
  std::uint64_t dtmf_digits_sent = 0;
  std::uint64_t send_errors = 0;    ///< sendmmsg failures and send calls without a remote
  // Receiving: this leg's view of the remote stream.
  std::uint64_t packets_received = 0;  ///< accepted RTP packets
  std::uint64_t octets_received = 0;   ///< accepted payload octets
  std::int64_t packets_lost = 0;       ///< cumulative, RFC 3550 A.3 (negative with duplicates)
  double fraction_lost = 0.0;          ///< 0..1 over the last RTCP interval
  double jitter_ms = 0.0;              ///< interarrival jitter, RFC 3550 A.8
  std::uint32_t remote_ssrc = 0;
  std::uint64_t rtcp_received = 0;
  std::uint64_t dtmf_digits_received = 0;
  // What the remote reports about the stream this leg sends (last RR/SR block).
  bool has_remote_report = false;
  double remote_fraction_lost = 0.0;
  std::int64_t remote_packets_lost = 0;
  double remote_jitter_ms = 0.0;
  double rtt_ms = -1.0;  ///< round trip from LSR/DLSR; -1 until known
  // Dropped input, by cause. Every dropped datagram is counted exactly once.
  std::uint64_t truncated_dropped = 0;       ///< shorter than its headers say
  std::uint64_t oversized_dropped = 0;       ///< larger than kMaxDatagramBytes
  std::uint64_t wrong_version_dropped = 0;   ///< RTP/RTCP version != 2
  std::uint64_t malformed_dropped = 0;       ///< bad padding/extension/RTCP structure, bad event payload
  std::uint64_t wrong_payload_type_dropped = 0;
  std::uint64_t authentication_failed_dropped = 0;  ///< SRTP/SRTCP tag did not verify
  std::uint64_t replayed_dropped = 0;        ///< SRTP replay window rejected it
  std::uint64_t foreign_source_dropped = 0;  ///< from another address after latching
};

/// Receiver-side bookkeeping for one remote source.
class ReceiveStatistics {
 public:
  explicit ReceiveStatistics(int clock_rate_hz) noexcept : clock_rate_hz_(clock_rate_hz) {}
  /// The stream's RTP clock changed (a new payload format): sequence and loss
  /// bookkeeping continue, the interarrival jitter estimate restarts.
  void set_clock_rate(int clock_rate_hz) noexcept {
    clock_rate_hz_ = clock_rate_hz;
    has_transit_ = false;
    jitter_q4_ = 0;
  }

  /// Records one accepted packet. timing=false (e.g. telephone-event packets,
  /// whose timestamp stays at the event start) skips the jitter estimate.
  /// A new SSRC restarts the bookkeeping.
  void on_packet(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t rtp_timestamp,
                 std::int64_t arrival_us, bool timing) noexcept;

  /// Builds the report block for the next RTCP report and starts a new
  /// fraction-lost interval. last_sr/delay_since_last_sr are left 0 for the caller.
  RtcpReportBlock next_report_block() noexcept;

  bool has_source() const noexcept { return has_source_; }
  std::uint32_t ssrc() const noexcept { return ssrc_; }
  std::uint64_t packets() const noexcept { return received_; }
  std::uint32_t extended_highest_sequence() const noexcept { return cycles_ + max_seq_; }
  /// Cumulative lost = expected - received (RFC 3550 A.3).
  std::int64_t cumulative_lost() const noexcept;
  /// Fraction lost (0..1) computed by the last next_report_block().
  double last_fraction_lost() const noexcept { return last_fraction_lost_; }
  /// Interarrival jitter in RTP clock units and in ms.
  std::uint32_t jitter() const noexcept { return jitter_q4_ >> 4; }
  double jitter_ms() const noexcept { return 1000.0 * jitter() / clock_rate_hz_; }

 private:
  void init_sequence(std::uint16_t seq) noexcept;
  int clock_rate_hz_;
  bool has_source_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint32_t base_seq_ = 0;
  std::uint32_t bad_seq_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t expected_prior_ = 0;
  std::uint64_t received_prior_ = 0;
  bool has_transit_ = false;
  std::int32_t last_transit_ = 0;
  std::uint32_t jitter_q4_ = 0;  ///< jitter x16, the integer form of RFC 3550 A.8
  double last_fraction_lost_ = 0.0;
};

}  // namespace libconf::transport
