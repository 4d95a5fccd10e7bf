#pragma once
/// @file
/// RTP fixed-header parsing and writing (RFC 3550 section 5.1) and the
/// RTP/RTCP demultiplexing rule of RFC 5761 section 4. Pure functions over
/// caller-owned bytes: noexcept, allocation-free, thread-safe, real-time safe.

#include <cstddef>
#include <cstdint>
#include <span>

#include "libconf/error.hpp"

namespace libconf::transport {

inline constexpr std::size_t kRtpHeaderBytes = 12;
/// Largest datagram the transports handle: an Ethernet MTU (1500) minus IPv4
/// and UDP headers would be 1472; 1500 leaves room for IPv6 paths that
/// fragment. Anything larger is counted as oversized and dropped.
inline constexpr std::size_t kMaxDatagramBytes = 1500;

/// A parsed RTP packet: a view into the caller's bytes.
struct RtpPacketView {
  std::uint8_t payload_type = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::size_t header_bytes = 0;  ///< fixed header + CSRCs + extension
  std::span<const std::uint8_t> payload;  ///< without padding
};

/// Why a datagram was rejected, for per-cause drop counters.
enum class RtpParseError : std::uint8_t { none, truncated, wrong_version, bad_padding, bad_extension };

/// Parses an RTP packet. Errors: malformed_packet (truncated, version != 2,
/// padding or extension length beyond the packet). why (optional) gets the cause.
Result<RtpPacketView> parse_rtp(std::span<const std::uint8_t> packet,
                                RtpParseError* why = nullptr) noexcept;

/// RFC 5761 section 4: with RTP and RTCP on one port, a second byte in
/// 192..223 (RTCP packet types 192-223, i.e. RTP payload types 64-95) marks RTCP.
constexpr bool looks_like_rtcp(std::span<const std::uint8_t> packet) noexcept {
  return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

/// Fields the sender stamps into a 12-byte header (no CSRC, no extension).
struct RtpHeaderFields {
  std::uint8_t payload_type = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};

/// Writes a 12-byte RTP header followed by payload into out. Returns the
/// packet size. Errors: buffer_too_small, invalid_argument (payload_type > 127).
Result<std::size_t> write_rtp(const RtpHeaderFields& header, std::span<const std::uint8_t> payload,
                              std::span<std::uint8_t> out) noexcept;

}  // namespace libconf::transport
