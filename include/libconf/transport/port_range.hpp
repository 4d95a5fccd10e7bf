#pragma once
/// @file
/// The UDP port range RTP transports bind in.

#include <cstdint>

namespace libconf::transport {

/// RTP port range; transports bind even ports only (RFC 3550 11).
struct PortRange {
  std::uint16_t min_port = 16384;  ///< common RTP range start (Asterisk, FreeSWITCH use 10000-20000/16384-32768)
  std::uint16_t max_port = 32767;
};

}  // namespace libconf::transport
