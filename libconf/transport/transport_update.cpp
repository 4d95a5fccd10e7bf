#include "libconf/transport/transport_update.hpp"

namespace libconf::transport {

Result<void> check_payload_format(const PayloadFormat& f, bool rtcp_mux, std::string* why) {
  auto bad = [&](std::string text) -> Result<void> {
    if (why) *why = std::move(text);
    return errc::invalid_argument;
  };
  const std::string pt = std::to_string(f.payload_type);
  if (f.payload_type < 0 || f.payload_type > 127) return bad("payload_type " + pt + " is not in 0..127");
  if (rtcp_mux && f.payload_type >= 64 && f.payload_type <= 95)
    return bad("payload_type " + pt + " collides with RTCP under rtcp_mux (RFC 5761: 64..95 are reserved)");
  if (f.clock_rate_hz < 1000 || f.clock_rate_hz > 192000)
    return bad("clock_rate_hz " + std::to_string(f.clock_rate_hz) + " is not in 1000..192000");
  if (f.telephone_event_pt != -1 &&
      (f.telephone_event_pt < 0 || f.telephone_event_pt > 127 || f.telephone_event_pt == f.payload_type))
    return bad("telephone_event_pt " + std::to_string(f.telephone_event_pt) +
               " must be -1 or 0..127 and differ from payload_type");
  if (f.telephone_event_rate_hz != 0 && (f.telephone_event_rate_hz < 1000 || f.telephone_event_rate_hz > 192000))
    return bad("telephone_event_rate_hz " + std::to_string(f.telephone_event_rate_hz) + " is not 0 or 1000..192000");
  return {};
}

}  // namespace libconf::transport
