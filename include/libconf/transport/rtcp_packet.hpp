#pragma once
/// @file
/// RTCP compound packets (RFC 3550 section 6): parsing of SR, RR, SDES, BYE
/// (other types are skipped) and writing of SR/RR + SDES CNAME. Pure
/// functions over caller-owned bytes: noexcept, allocation-free, thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "libconf/error.hpp"

namespace libconf::transport {

inline constexpr std::uint8_t kRtcpSenderReport = 200;
inline constexpr std::uint8_t kRtcpReceiverReport = 201;
inline constexpr std::uint8_t kRtcpSdes = 202;
inline constexpr std::uint8_t kRtcpBye = 203;

/// One reception report block (RFC 3550 6.4.1), fields in wire units.
struct RtcpReportBlock {
  std::uint32_t ssrc = 0;                 ///< source this block reports on
  std::uint8_t fraction_lost = 0;         ///< lost/expected since last report, x256
  std::int32_t cumulative_lost = 0;       ///< 24-bit signed on the wire
  std::uint32_t extended_highest_sequence = 0;
  std::uint32_t jitter = 0;               ///< interarrival jitter, RTP clock units
  std::uint32_t last_sr = 0;              ///< middle 32 bits of the last SR's NTP time
  std::uint32_t delay_since_last_sr = 0;  ///< units of 1/65536 s
};

/// Sender info of an SR (RFC 3550 6.4.1).
struct RtcpSenderInfo {
  std::uint64_t ntp_timestamp = 0;  ///< NTP format: seconds since 1900 << 32 | fraction
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;
};

/// Largest number of report blocks kept from one compound packet; more are
/// skipped (a leg has one remote source; a mixer upstream may list several).
inline constexpr std::size_t kMaxKeptReportBlocks = 8;

/// What one compound RTCP packet says.
struct RtcpCompound {
  std::uint32_t sender_ssrc = 0;  ///< SSRC of the first SR/RR
  bool has_sender_info = false;
  RtcpSenderInfo sender_info;
  std::array<RtcpReportBlock, kMaxKeptReportBlocks> blocks{};
  std::size_t block_count = 0;
  bool bye = false;
};

/// Parses a compound packet. Every sub-packet must have version 2 and a
/// length inside the datagram; the first must be SR or RR (RFC 3550 A.2).
/// Errors: malformed_packet.
Result<RtcpCompound> parse_rtcp(std::span<const std::uint8_t> packet) noexcept;

/// What the sender puts in one report.
struct RtcpReportToSend {
  std::uint32_t ssrc = 0;
  bool has_sender_info = false;  ///< SR if true, RR otherwise
  RtcpSenderInfo sender_info;
  bool has_block = false;
  RtcpReportBlock block;
  std::string_view cname;  ///< SDES CNAME, at most 255 bytes
};

/// Writes SR or RR (0 or 1 report block) followed by SDES CNAME.
/// Returns bytes written. Errors: buffer_too_small, invalid_argument (cname > 255).
Result<std::size_t> write_rtcp_report(const RtcpReportToSend& report, std::span<std::uint8_t> out) noexcept;

/// The middle 32 bits of a 64-bit NTP timestamp (the LSR/DLSR time base).
constexpr std::uint32_t ntp_compact(std::uint64_t ntp) noexcept {
  return static_cast<std::uint32_t>(ntp >> 16);
}

}  // namespace libconf::transport
