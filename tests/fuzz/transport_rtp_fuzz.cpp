// Fuzzes parse_rtp: any bytes either parse into a view inside the input or
// are rejected; a parsed header written back parses to the same fields.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "libconf/transport/rtp_packet.hpp"

using namespace libconf::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  (void)looks_like_rtcp(in);
  RtpParseError why{};
  auto v = parse_rtp(in, &why);
  if (!v) {
    if (why == RtpParseError::none) std::abort();
    return 0;
  }
  if (v->payload.data() < data || v->payload.data() + v->payload.size() > data + size) std::abort();
  if (v->header_bytes > size || v->payload_type > 127) std::abort();
  std::vector<std::uint8_t> out(kRtpHeaderBytes + v->payload.size());
  auto n = write_rtp({v->payload_type, v->marker, v->sequence, v->timestamp, v->ssrc}, v->payload, out);
  if (!n) std::abort();
  auto back = parse_rtp(std::span(out).first(*n));
  if (!back || back->sequence != v->sequence || back->timestamp != v->timestamp || back->ssrc != v->ssrc ||
      back->payload.size() != v->payload.size())
    std::abort();
  return 0;
}
