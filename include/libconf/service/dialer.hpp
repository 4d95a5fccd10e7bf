#pragma once
/// @file
/// Dialer: how the service places outgoing calls (invites, group assembly).
/// The host implements it with its SIP stack (or a simulation). Progress
/// comes back asynchronously: the host calls ConferenceService::dial_progress
/// (ringing, early media), dial_answered, or dial_failed with the DialId that
/// dial() returned, never from inside dial() or cancel(). The service enforces
/// the timeout itself and calls cancel() when it runs out (and when the room
/// the callee was asked into ends); no report follows a cancel().
///
/// Thread-safety: called from the service's thread only.

#include <cstdint>
#include <string>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/service/ids.hpp"

namespace libconf::service {

/// One outgoing call the service wants placed.
struct DialRequest {
  std::string tenant;      ///< whose room the callee joins (trunk and caller-ID policy)
  std::string room;        ///< the main room the callee joins when it answers
  std::string number;      ///< +?[0-9*#]{1,32}, matched by ServiceConfig::dial_out_allowed
  std::string caller_id;   ///< to present: the inviter's or the group owner's number ("" for the host's default)
  std::int64_t timeout_ms = 0;  ///< the service cancels after this long without answer
};

/// What a ringing callee did before it answered.
enum class DialProgress {
  ringing,      ///< SIP 180
  early_media,  ///< SIP 183 with SDP
};
std::string_view to_string(DialProgress progress) noexcept;

/// Why an outgoing call did not connect (SIP-like causes).
enum class DialFailureCause {
  busy,         ///< 486/600 Busy
  no_answer,    ///< the timeout ran out (the service cancels), 408, 480
  rejected,     ///< 403, 603 Decline, other 4xx/6xx final answers
  unreachable,  ///< 404, 410, 484, 5xx, no route, transport failure
  cancelled,    ///< given up before an answer (the room ended, the service shut down)
  error,        ///< anything else
};
std::string_view to_string(DialFailureCause cause) noexcept;

struct DialFailure {
  DialFailureCause cause = DialFailureCause::error;
  int sip_code = 0;    ///< the final response code, 0 when there was none
  std::string reason;  ///< the reason phrase or the host's text (printable, bounded by the service)
};

class Dialer {
 public:
  virtual ~Dialer() = default;
  /// Starts a call. Returns the host's id for it, or an error (the call was
  /// not placed; the service reports dial_failed with cause error).
  virtual Result<DialId> dial(const DialRequest& request) = 0;
  /// Gives up a call that has not been answered. No report follows.
  virtual void cancel(DialId id) = 0;
};

}  // namespace libconf::service
