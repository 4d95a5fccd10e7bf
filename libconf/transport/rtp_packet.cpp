#include "libconf/transport/rtp_packet.hpp"

#include <cstring>

#include "libconf/transport/byte_order.hpp"

namespace libconf::transport {

using detail::load_be16;
using detail::load_be32;
using detail::store_be16;
using detail::store_be32;

Result<RtpPacketView> parse_rtp(std::span<const std::uint8_t> packet, RtpParseError* why) noexcept {
  auto fail = [why](RtpParseError e) noexcept -> Result<RtpPacketView> {
    if (why) *why = e;
    return errc::malformed_packet;
  };
  if (why) *why = RtpParseError::none;
  if (packet.size() < kRtpHeaderBytes) return fail(RtpParseError::truncated);
  const std::uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return fail(RtpParseError::wrong_version);
  const bool padding = (p[0] & 0x20) != 0;
  const bool extension = (p[0] & 0x10) != 0;
  const std::size_t csrc_count = p[0] & 0x0f;
  std::size_t header = kRtpHeaderBytes + 4 * csrc_count;
  if (packet.size() < header) return fail(RtpParseError::truncated);
  if (extension) {
    if (packet.size() < header + 4) return fail(RtpParseError::bad_extension);
    const std::size_t words = load_be16(p + header + 2);
    header += 4 + 4 * words;
    if (packet.size() < header) return fail(RtpParseError::bad_extension);
  }
  std::size_t end = packet.size();
  if (padding) {
    const std::size_t pad = p[end - 1];
    // RFC 3550 5.1: the last octet counts itself, so 0 is invalid.
    if (pad == 0 || pad > end - header) return fail(RtpParseError::bad_padding);
    end -= pad;
  }
  RtpPacketView v;
  v.marker = (p[1] & 0x80) != 0;
  v.payload_type = p[1] & 0x7f;
  v.sequence = load_be16(p + 2);
  v.timestamp = load_be32(p + 4);
  v.ssrc = load_be32(p + 8);
  v.header_bytes = header;
  v.payload = packet.subspan(header, end - header);
  return v;
}

Result<std::size_t> write_rtp(const RtpHeaderFields& h, std::span<const std::uint8_t> payload,
                              std::span<std::uint8_t> out) noexcept {
  if (h.payload_type > 127) return errc::invalid_argument;
  const std::size_t size = kRtpHeaderBytes + payload.size();
  if (out.size() < size) return errc::buffer_too_small;
  std::uint8_t* p = out.data();
  p[0] = 0x80;
  p[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0) | h.payload_type);
  store_be16(p + 2, h.sequence);
  store_be32(p + 4, h.timestamp);
  store_be32(p + 8, h.ssrc);
  if (!payload.empty()) std::memcpy(p + kRtpHeaderBytes, payload.data(), payload.size());
  return size;
}

}  // namespace libconf::transport
