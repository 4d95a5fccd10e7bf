#pragma once
/// @file
/// CallControl: what the service asks of the host's signalling for a call it
/// already has. The host implements it (a SIP host with its dialogs, the file
/// host with simulated phones); ConferenceService calls it instead of
/// reporting strings, so "send BYE now" is a call of hang_up(), never an event
/// the host must recognise.
///
/// When the service answers (ServiceConfig::answer_mode):
/// - AnswerMode::answer_first (default): answer() as soon as the call arrives,
///   before the first prompt. Prompts, PIN entry and music play on an answered
///   call; every gateway passes DTMF; the caller pays from arrival.
/// - AnswerMode::early_media: early_media() when the call arrives (SIP 183
///   with SDP), answer() once the caller is placed: in a room (also waiting for
///   a moderator), in the operator queue, or before a name is recorded. A
///   caller refused in the menu (wrong PINs and a menu that hangs up, unknown
///   room, ACL) is never answered: the host sends a final response
///   (sip_status()) instead of BYE, and the caller pays nothing. Some PSTN
///   gateways do not pass DTMF before answer: use it only with trunks that do.
/// Operator phones and answered dial-out callees are answered by the host
/// before the service knows them.
///
/// Thread-safety: called on the service's thread only. The host must not call
/// back into the ConferenceService from inside these methods (queue the work
/// and report results later: hangup(), transfer_result()).

#include <string>
#include <string_view>

#include "libconf/service/ids.hpp"

namespace libconf::service {

/// Why the service ends a call.
enum class HangupCause {
  normal,         ///< the caller's business is over (the menu hung up, nothing left to do)
  kicked,         ///< a moderator removed the caller
  room_ended,     ///< the room ended (last moderator left, end_room)
  access_denied,  ///< the room's access list refuses this caller
  not_found,      ///< the route leads to no room (unknown or removed)
  unavailable,    ///< no capacity left for the call (engine, quota)
  error,          ///< an internal failure
};
/// "normal", "kicked", "room_ended", "access_denied", "not_found", "unavailable", "error".
std::string_view to_string(HangupCause cause) noexcept;
/// The SIP final response for an unanswered call ending this way: 480, 403,
/// 480, 403, 404, 503, 500 in the order above. An answered call gets a BYE
/// (the host may add a Reason header with the cause and text).
int sip_status(HangupCause cause) noexcept;

struct HangupReason {
  HangupCause cause = HangupCause::normal;
  std::string text;  ///< printable, for logs and the Reason header; never a PIN
};

/// How a call is picked up (see the file comment).
enum class AnswerMode { answer_first, early_media };
std::string_view to_string(AnswerMode mode) noexcept;

/// A call as the service names it to the host: the service's id and the
/// host's own (CallInfo::external_id, or dial_answered's external_id). Calls
/// made while incoming_call() runs (answer, early media, an immediate hang-up)
/// come before the host has the CallId: it finds the call by external_id.
/// external_id views the service's copy and is valid during the call only.
struct CallRef {
  CallId id = kNoCall;
  std::string_view external_id;
};

class CallControl {
 public:
  virtual ~CallControl() = default;
  /// Answer the call (SIP: 200 OK with the SDP answer). Called at most once per call.
  virtual void answer(const CallRef& call) = 0;
  /// Let the caller hear the prompts before the answer (SIP: 183 with SDP).
  /// Called at most once, before answer(), in AnswerMode::early_media only.
  virtual void early_media(const CallRef& call) = 0;
  /// End the call: BYE when answered, else the final response sip_status(cause).
  /// The service has already removed the call's leg and closed its CDR; the
  /// host frees the dialog and must not report hangup() for it.
  virtual void hang_up(const CallRef& call, const HangupReason& reason) = 0;
  /// Send the call elsewhere: REFER when answered, 302 Moved Temporarily when
  /// not. `target` is a number the dial-out allow list permits. The call
  /// stays in its room until the host reports transfer_result().
  virtual void transfer(const CallRef& call, const std::string& target) = 0;
};

}  // namespace libconf::service
