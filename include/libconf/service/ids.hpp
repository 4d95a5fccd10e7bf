#pragma once
/// @file
/// Identifiers the service hands out (calls) and takes from the host (dials).

#include <cstdint>

namespace libconf::service {

/// A call the service knows (incoming, operator phone, or answered dial-out).
/// Never reused within one ConferenceService.
using CallId = std::uint64_t;
inline constexpr CallId kNoCall = 0;

/// An outgoing call attempt, as the host's Dialer numbered it.
using DialId = std::uint64_t;

}  // namespace libconf::service
