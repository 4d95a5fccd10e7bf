#pragma once
/// @file
/// What the ConferenceService reports, typed: one struct per kind in
/// `service::event`, carried in a ServiceEvent envelope (time, call, tenant).
/// Room-model events forwarded from room::Conference keep their own types
/// (room::Event is one alternative of the variant). event_name() and to_json()
/// (to_json_object() in event_json.hpp) are the one place that names and
/// serialises them, for logs and the control API.
///
/// Events report; they never instruct the host. What the host must do is a
/// call of its CallControl or Dialer. No event ever holds a PIN or a digit
/// typed while the IVR collects one (DigitReceived::masked).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "libconf/error.hpp"
#include "libconf/ivr/key_map.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/room/events.hpp"
#include "libconf/service/call_control.hpp"
#include "libconf/service/dialer.hpp"
#include "libconf/service/ids.hpp"

namespace libconf::service {

enum class CallState { ivr, queued, waiting, in_room, listening, held, ended };
/// "ivr", "queued", "waiting", "in_room", "listening", "held", "ended".
std::string_view to_string(CallState state) noexcept;

/// Why a caller waits in the operator queue.
enum class QueueReason {
  operator_number,  ///< the DID routes to the operator
  requested,        ///< the menu sent the caller there on purpose
  no_input,         ///< the menu got no digits
  invalid_input,    ///< the menu got too few digits or an unknown choice
  wrong_pin,        ///< the menu's PIN attempts were used up
  room_unknown,     ///< the room asked for does not exist
  locked_out,       ///< PIN entry locked for this caller, or the room's PIN queue is full
  pin_required,     ///< a route without menu led to a room that needs a PIN
  room_full,        ///< the room is full (and does not overflow)
  room_locked,      ///< a moderator locked the room
  quota_exceeded,   ///< the tenant's participant quota is used up
};
std::string_view to_string(QueueReason reason) noexcept;

namespace event {

/// A call arrived and was accepted (routed).
struct CallArrived { std::string did; std::string caller_id; std::string external_id; };
/// A call was refused before the service took it: invalid_argument (caller ID,
/// display name or external id not printable UTF-8, or too long) or not_found
/// (no route for the DID, unknown tenant). The texts are cut to 32 bytes.
struct CallRefused { std::string did; std::string caller_id; errc reason; };
/// The operator's own phone was connected.
struct OperatorConnected { std::string name; };
/// The service asked the host to answer (or to open early media).
struct Answered { bool early_media; };
/// The service ended the call (CallControl::hang_up), or the host reported its end.
struct CallEnded { std::string room; room::ExitReason reason; std::string detail; };
/// The room model decided: in `room` with `role`.
struct Admitted { std::string room; room::AdmitOutcome outcome; room::Role role; };
struct Queued { std::string room; QueueReason reason; };
struct TakenFromQueue { std::string room; QueueReason reason; };
struct TakeFailed { std::string room; errc error; };
/// The call's audio is in `room` now (listening: unheard, listen-in).
struct EnteredRoom { std::string room; bool listening; };
struct ListenInStopped { std::string room; };
/// The call waits in its lobby with music: waiting for a moderator, or held.
struct OnHold { std::string room; CallState state; };
struct Resumed { std::string room; };
struct MoveFailed { std::string room; errc error; };
/// A DTMF digit reached the call. masked: typed while a PIN is collected;
/// `digit` is then 0 and `position` counts the digits of the entry so far.
struct DigitReceived { char digit; bool masked; int position; };
struct PromptStarted { std::string prompt; };
struct PromptFailed { std::string prompt; errc error; };
/// The menu asked whether a room exists.
struct RoomLookedUp { std::string room; bool found; };
/// A PIN check finished: the room model's outcome (nullopt: no such room).
struct PinChecked { std::string room; std::optional<room::AdmitOutcome> outcome; };
/// The PIN verifier's queue was full (ServiceConfig::max_pending_pin_checks):
/// the check was not made and the caller takes the menu's locked-out way.
struct PinCheckRefused { std::string room; };
struct KeyPressed { std::string room; ivr::KeyAction action; };
struct KeyFailed { std::string room; ivr::KeyAction action; errc error; };
struct VolumesChanged { std::string room; float talk_gain_db; float listen_gain_db; };
struct WhisperStarted { std::string room; CallId to; };
struct WhisperStopped { std::string room; CallId to; };
struct NameRecording { std::int64_t max_ms; };
/// duration_ms 0: the caller said nothing (no name). ended_by: "'#'" or "the time limit".
struct NameRecorded { std::int64_t duration_ms; std::string ended_by; };
struct NameFailed { errc error; };
struct Announced { std::string room; bool joined; bool recorded_name; };
struct NameSet { std::string room; std::string name; };
struct OperatorCalled { std::string room; std::string caller_id; };
struct OperatorAlerted { std::string room; int phones; };
struct RecordingStarted { std::string room; std::string prefix; std::size_t tracks; };
struct RecordingFull { std::string room; std::string prefix; };
/// reason: "stopped", "full" or "room closed".
struct RecordingFinished {
  std::string room; std::string prefix; std::string reason; std::size_t tracks; std::int64_t duration_ms;
};
struct DialStarted { DialId dial; std::string room; std::string number; std::string caller_id; };
/// Not dialled: invalid_argument (malformed number), permission_denied (not on
/// the allow list, or from a menu), invalid_state (no dialer).
struct DialRefused { std::string room; std::string number; errc reason; };
struct DialProgressed { DialId dial; std::string room; std::string number; DialProgress progress; };
/// The callee answered and joined (the envelope's call is its new CallId).
struct DialAnswered { DialId dial; std::string room; std::string number; };
struct DialFailed { DialId dial; std::string room; std::string number; DialFailure failure; };
/// The callee answered but the room refused it (full, locked, quota).
struct DialRejected { DialId dial; std::string room; std::string number; errc error; };
struct GroupRoomCreated { std::string room; std::string owner; };
struct TransferRequested { std::string room; std::string target; };
struct TransferFailed { std::string room; std::string target; };
/// A room's PIN of `kind` was changed (set_pin).
struct PinChanged { std::string room; room::PinKind kind; };
/// set_pin did not go through: already_exists (another role's PIN), invalid_state
/// (the room's PINs changed meanwhile), not_found (the room went), capacity_exceeded.
struct PinChangeFailed { std::string room; room::PinKind kind; errc error; };
/// A store request failed: `what` names it ("cdr 12", "room 4711", ...).
/// retry_in_ms > 0: it is tried again after that long (later requests wait
/// behind it, in order); dropped: given up for good (refused by the backend,
/// or the outbox was full, error capacity_exceeded).
struct StoreFailed { std::string what; errc error; int attempt; std::int64_t retry_in_ms; bool dropped; };
/// A store request that had failed went through at its `attempt`.
struct StoreRecovered { std::string what; int attempt; };

}  // namespace event

using EventData = std::variant<
    event::CallArrived, event::CallRefused, event::OperatorConnected, event::Answered, event::CallEnded,
    event::Admitted, event::Queued, event::TakenFromQueue, event::TakeFailed, event::EnteredRoom,
    event::ListenInStopped, event::OnHold, event::Resumed, event::MoveFailed, event::DigitReceived,
    event::PromptStarted, event::PromptFailed, event::RoomLookedUp, event::PinChecked, event::PinCheckRefused, event::KeyPressed,
    event::KeyFailed, event::VolumesChanged, event::WhisperStarted, event::WhisperStopped,
    event::NameRecording, event::NameRecorded, event::NameFailed, event::Announced, event::NameSet,
    event::OperatorCalled, event::OperatorAlerted, event::RecordingStarted, event::RecordingFull,
    event::RecordingFinished, event::DialStarted, event::DialRefused, event::DialProgressed,
    event::DialAnswered, event::DialFailed, event::DialRejected, event::GroupRoomCreated,
    event::TransferRequested, event::TransferFailed, event::StoreFailed, event::StoreRecovered, event::PinChanged, event::PinChangeFailed,
    room::Event>;

namespace detail {
template <class T, class V>
struct IsAlternative : std::false_type {};
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
template <class T, class V>
inline constexpr bool is_alternative_v = IsAlternative<T, V>::value;
}  // namespace detail

/// One report of the service.
struct ServiceEvent {
  std::int64_t at_ms = 0;  ///< the service's clock (tick's now_ms)
  CallId call = kNoCall;   ///< the call concerned; kNoCall for room-wide events
  std::string tenant;      ///< the tenant concerned; "" when none is known (a refused call)
  EventData data;

  /// The event as type E (a service::event or a room::event struct), or null.
  template <class E>
  const E* get() const noexcept {
    if constexpr (detail::is_alternative_v<E, EventData>) {
      return std::get_if<E>(&data);
    } else {
      static_assert(detail::is_alternative_v<E, room::Event>, "not an event type");
      const auto* r = std::get_if<room::Event>(&data);
      return r ? std::get_if<E>(r) : nullptr;
    }
  }
};

/// snake_case name of the event ("call_arrived", "queued", ...; a room event by
/// room::event_name: "joined", "pin_rejected", ...). Stable: logs and the API use it.
std::string_view event_name(const ServiceEvent& e) noexcept;
/// One JSON object per event: {"at_ms", "event" (the name), "call" (when set),
/// "tenant" (when set), and the struct's fields by name}. Enums as their
/// snake_case names, errors as their errc name, never a PIN.
std::string to_json(const ServiceEvent& e);

}  // namespace libconf::service
