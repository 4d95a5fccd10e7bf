#pragma once
/// @file
/// What an IvrSession asks its host to do. Every action is a small value type
/// (digits stored inline, prompt ids viewing the session's immutable Menu), so
/// emitting one never allocates.

#include <string_view>
#include <variant>

#include "libconf/room/role.hpp"
#include "libconf/ivr/digits.hpp"

namespace libconf::ivr {

/// Why a caller leaves the menu for the operator or is hung up on.
enum class ExitReason {
  requested,      ///< the menu sends the caller there on purpose (e.g. "press 0")
  no_input,       ///< no digits before the timeout, after every retry
  invalid_input,  ///< too few digits or an unknown choice, after every retry
  wrong_pin,      ///< the host rejected the PIN max_attempts times
  room_unknown,   ///< the host knows no such room
  locked_out,     ///< the host locked this caller out (too many failures)
};

/// "requested", "no_input", "invalid_input", "wrong_pin", "room_unknown", "locked_out".
std::string_view to_string(ExitReason reason) noexcept;

/// Play a prompt; report its end with IvrSession::on_prompt_done. id views the
/// Menu (valid while the session lives).
struct PlayPrompt {
  std::string_view id;
};
/// Stop the prompt now playing (the caller barged in). The host does not
/// report on_prompt_done for a stopped prompt.
struct StopPrompt {};
/// Does this room exist? Answer room_found or room_unknown.
struct LookupRoom {
  DigitString room;
};
/// Is this PIN right for this room? Answer pin_ok(role), pin_wrong,
/// room_unknown or locked_out.
struct CheckPin {
  DigitString room;
  DigitString pin;
};
/// Put the caller into the room. Final: the session is finished.
struct Join {
  DigitString room;
  room::Role role_hint = room::Role::participant;  ///< the host-confirmed role, else the menu's
};
/// Queue the caller for the operator. Final. room is what the caller entered so far.
struct RouteToOperator {
  ExitReason reason = ExitReason::requested;
  DigitString room;
};
/// Record the caller's name; answer recorded when done.
struct RecordName {};
/// Dial this number (the host places the call); the menu continues at once.
struct DialOut {
  DigitString number;
};
/// End the call. Final.
struct Hangup {
  ExitReason reason = ExitReason::requested;
};

using Action = std::variant<PlayPrompt, StopPrompt, LookupRoom, CheckPin, Join, RouteToOperator,
                            RecordName, DialOut, Hangup>;

}  // namespace libconf::ivr
