#pragma once
/// @file
/// Dialer: how the service places outgoing calls (invites, group assembly).
/// The host implements it with its SIP stack (or a simulation). Results come
/// back asynchronously: the host calls ConferenceService::dial_answered or
/// dial_failed with the DialId it returned. The service enforces the timeout
/// itself and calls cancel() when it runs out.
///
/// Thread-safety: called from the service's thread only.

#include <cstdint>
#include <string>

#include "libconf/error.hpp"

namespace libconf::service {

using DialId = std::uint64_t;

class Dialer {
 public:
  virtual ~Dialer() = default;
  /// Starts a call to `number`, presenting `caller_id`. Returns the host's id
  /// for it, or an error (the call was not placed).
  virtual Result<DialId> dial(const std::string& number, const std::string& caller_id,
                              std::int64_t timeout_ms) = 0;
  /// Gives up a call that has not been answered (timeout). No result follows.
  virtual void cancel(DialId id) = 0;
};

}  // namespace libconf::service
