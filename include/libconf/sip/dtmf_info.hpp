#pragma once
/// @file
/// DTMF carried in SIP INFO bodies: application/dtmf-relay ("Signal=5" and
/// "Duration=160" lines, the Cisco/Asterisk form) and application/dtmf (the
/// digit alone, or its RFC 4733 event code 0..15). Bodies are bounded
/// (kMaxDtmfInfoBytes); anything else is refused with a message naming it.
/// Plain functions, any thread; they allocate only for the failure message.

#include <cstddef>
#include <string>
#include <string_view>

#include "libconf/sip/outcome.hpp"

namespace libconf::sip {

inline constexpr std::size_t kMaxDtmfInfoBytes = 256;
inline constexpr int kDefaultDtmfInfoDurationMs = 250;  ///< when the body gives none (Asterisk's default)

struct DtmfInfo {
  char digit = 0;  ///< '0'-'9', '*', '#', 'A'-'D'
  int duration_ms = kDefaultDtmfInfoDurationMs;  ///< 1..10000
};

/// content_type is "type/subtype" (parameters ignored, case-insensitive).
/// Failure (sip_status 415) for another content type, (400) for a body
/// without one valid digit.
Outcome<DtmfInfo> parse_dtmf_info(std::string_view content_type, std::string_view body);
/// "Signal=<digit>\r\nDuration=<ms>\r\n" (application/dtmf-relay).
std::string format_dtmf_relay(const DtmfInfo& info);

}  // namespace libconf::sip
