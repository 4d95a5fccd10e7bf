#include "libconf/transport/rtcp_packet.hpp"

#include <cstring>

#include "libconf/transport/byte_order.hpp"

namespace libconf::transport {

using detail::load_be16;
using detail::load_be32;
using detail::store_be16;
using detail::store_be32;

namespace {

constexpr std::size_t kReportBlockBytes = 24;
constexpr std::size_t kSenderInfoBytes = 20;

RtcpReportBlock read_block(const std::uint8_t* p) noexcept {
  RtcpReportBlock b;
  b.ssrc = load_be32(p);
  b.fraction_lost = p[4];
  std::uint32_t lost = (std::uint32_t{p[5]} << 16) | (std::uint32_t{p[6]} << 8) | p[7];
  if (lost & 0x800000u) lost |= 0xff000000u;  // sign-extend the 24-bit field
  b.cumulative_lost = static_cast<std::int32_t>(lost);
  b.extended_highest_sequence = load_be32(p + 8);
  b.jitter = load_be32(p + 12);
  b.last_sr = load_be32(p + 16);
  b.delay_since_last_sr = load_be32(p + 20);
  return b;
}

void write_block(std::uint8_t* p, const RtcpReportBlock& b) noexcept {
  store_be32(p, b.ssrc);
  p[4] = b.fraction_lost;
  std::int32_t lost = b.cumulative_lost;
  if (lost > 0x7fffff) lost = 0x7fffff;  // RFC 3550 6.4.1: clamp to the 24-bit range
  if (lost < -0x800000) lost = -0x800000;
  const auto u = static_cast<std::uint32_t>(lost);
  p[5] = static_cast<std::uint8_t>(u >> 16);
  p[6] = static_cast<std::uint8_t>(u >> 8);
  p[7] = static_cast<std::uint8_t>(u);
  store_be32(p + 8, b.extended_highest_sequence);
  store_be32(p + 12, b.jitter);
  store_be32(p + 16, b.last_sr);
  store_be32(p + 20, b.delay_since_last_sr);
}

}  // namespace

Result<RtcpCompound> parse_rtcp(std::span<const std::uint8_t> packet) noexcept {
  RtcpCompound out;
  std::size_t pos = 0;
  bool first = true;
  if (packet.size() < 4) return errc::malformed_packet;
  while (pos < packet.size()) {
    if (packet.size() - pos < 4) return errc::malformed_packet;
    const std::uint8_t* p = packet.data() + pos;
    if ((p[0] >> 6) != 2) return errc::malformed_packet;
    const bool padding = (p[0] & 0x20) != 0;
    const std::size_t count = p[0] & 0x1f;
    const std::uint8_t type = p[1];
    const std::size_t length = (std::size_t{load_be16(p + 2)} + 1) * 4;
    if (length > packet.size() - pos) return errc::malformed_packet;
    std::size_t body_end = length;
    if (padding) {
      // RFC 3550 A.2: only the last sub-packet may be padded.
      if (pos + length != packet.size()) return errc::malformed_packet;
      const std::size_t pad = p[length - 1];
      if (pad == 0 || pad > length - 4) return errc::malformed_packet;
      body_end = length - pad;
    }
    if (first && type != kRtcpSenderReport && type != kRtcpReceiverReport) return errc::malformed_packet;
    if (type == kRtcpSenderReport || type == kRtcpReceiverReport) {
      const bool sr = type == kRtcpSenderReport;
      const std::size_t fixed = 8 + (sr ? kSenderInfoBytes : 0);
      if (body_end < fixed + count * kReportBlockBytes) return errc::malformed_packet;
      if (first) out.sender_ssrc = load_be32(p + 4);
      if (sr && !out.has_sender_info) {
        out.has_sender_info = true;
        out.sender_info.ntp_timestamp = (std::uint64_t{load_be32(p + 8)} << 32) | load_be32(p + 12);
        out.sender_info.rtp_timestamp = load_be32(p + 16);
        out.sender_info.packet_count = load_be32(p + 20);
        out.sender_info.octet_count = load_be32(p + 24);
      }
      for (std::size_t i = 0; i < count && out.block_count < kMaxKeptReportBlocks; ++i)
        out.blocks[out.block_count++] = read_block(p + fixed + i * kReportBlockBytes);
    } else if (type == kRtcpBye) {
      out.bye = true;
    }
    first = false;
    pos += length;
  }
  return out;
}

Result<std::size_t> write_rtcp_report(const RtcpReportToSend& r, std::span<std::uint8_t> out) noexcept {
  if (r.cname.size() > 255) return errc::invalid_argument;
  const std::size_t report_bytes = 8 + (r.has_sender_info ? kSenderInfoBytes : 0) + (r.has_block ? kReportBlockBytes : 0);
  // SDES: header 4, SSRC 4, CNAME item (2 + len), END item, padded to 32 bits.
  const std::size_t sdes_bytes = (8 + 2 + r.cname.size() + 1 + 3) / 4 * 4;
  if (out.size() < report_bytes + sdes_bytes) return errc::buffer_too_small;
  std::uint8_t* p = out.data();
  p[0] = static_cast<std::uint8_t>(0x80 | (r.has_block ? 1 : 0));
  p[1] = r.has_sender_info ? kRtcpSenderReport : kRtcpReceiverReport;
  store_be16(p + 2, static_cast<std::uint16_t>(report_bytes / 4 - 1));
  store_be32(p + 4, r.ssrc);
  std::size_t pos = 8;
  if (r.has_sender_info) {
    store_be32(p + 8, static_cast<std::uint32_t>(r.sender_info.ntp_timestamp >> 32));
    store_be32(p + 12, static_cast<std::uint32_t>(r.sender_info.ntp_timestamp));
    store_be32(p + 16, r.sender_info.rtp_timestamp);
    store_be32(p + 20, r.sender_info.packet_count);
    store_be32(p + 24, r.sender_info.octet_count);
    pos += kSenderInfoBytes;
  }
  if (r.has_block) {
    write_block(p + pos, r.block);
    pos += kReportBlockBytes;
  }
  std::uint8_t* s = p + pos;
  std::memset(s, 0, sdes_bytes);
  s[0] = 0x81;  // version 2, one chunk
  s[1] = kRtcpSdes;
  store_be16(s + 2, static_cast<std::uint16_t>(sdes_bytes / 4 - 1));
  store_be32(s + 4, r.ssrc);
  s[8] = 1;  // CNAME
  s[9] = static_cast<std::uint8_t>(r.cname.size());
  if (!r.cname.empty()) std::memcpy(s + 10, r.cname.data(), r.cname.size());
  // The zero bytes after the item are the END item and the chunk padding.
  return pos + sdes_bytes;
}

}  // namespace libconf::transport
