// Fuzzes parse_rtcp: any bytes either parse or are rejected; the first
// parsed report block, written back into a report, parses to the same block.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "libconf/transport/rtcp_packet.hpp"

using namespace libconf::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c = parse_rtcp(std::span<const std::uint8_t>(data, size));
  if (!c) return 0;
  if (c->block_count > kMaxKeptReportBlocks) std::abort();
  RtcpReportToSend r;
  r.ssrc = c->sender_ssrc;
  r.has_sender_info = c->has_sender_info;
  r.sender_info = c->sender_info;
  r.has_block = c->block_count > 0;
  if (r.has_block) r.block = c->blocks[0];
  r.cname = "fuzz";
  std::vector<std::uint8_t> out(256);
  auto n = write_rtcp_report(r, out);
  if (!n) std::abort();
  auto back = parse_rtcp(std::span(out).first(*n));
  if (!back || back->sender_ssrc != c->sender_ssrc || back->has_sender_info != c->has_sender_info) std::abort();
  if (r.has_block && (back->blocks[0].ssrc != r.block.ssrc || back->blocks[0].jitter != r.block.jitter ||
                      back->blocks[0].cumulative_lost != r.block.cumulative_lost))
    std::abort();
  return 0;
}
