#pragma once
/// @file
/// What the Conference model reports: one event (or more) per operation, failures
/// included, for the host to forward (control API, logs, CDR). Plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/permissions.hpp"
#include "libconf/room/role.hpp"

namespace libconf::room {

using ParticipantId = std::uint64_t;
/// ParticipantId of an actor who is not on a call (operator console, API).
inline constexpr ParticipantId kConsole = 0;

/// Why a participant left the conference.
enum class ExitReason { hangup, kicked, room_ended, transferred, error };
std::string_view to_string(ExitReason reason) noexcept;
std::optional<ExitReason> exit_reason_from_string(std::string_view text) noexcept;

namespace event {
struct TenantCreated { std::int64_t at_ms; std::string tenant; };
struct QuotaChanged { std::int64_t at_ms; std::string tenant; int max_participants; int max_rooms; };
struct RoomCreated { std::int64_t at_ms; std::string tenant; std::string room; std::string overflow_of; };
struct RoomRemoved { std::int64_t at_ms; std::string tenant; std::string room; };
struct RoomConfigured { std::int64_t at_ms; std::string tenant; std::string room; ParticipantId by; };
struct Joined {
  std::int64_t at_ms; ParticipantId id; std::string tenant; std::string room;
  std::string caller_id; Role role; bool waiting;  ///< waiting: on hold until a moderator joins
};
struct Left { std::int64_t at_ms; ParticipantId id; std::string tenant; std::string room; ExitReason reason; std::string detail; };
struct Released { std::int64_t at_ms; ParticipantId id; std::string tenant; std::string room; };
/// A wrong PIN; `failures` counts the caller's consecutive failures.
struct PinRejected { std::int64_t at_ms; std::string tenant; std::string room; std::string caller_id; int failures; };
/// PIN entry refused until until_ms: the caller is locked out (room_wide false),
/// or the room's PIN throttle has no slot within its maximum wait (room_wide true).
struct LockedOut {
  std::int64_t at_ms; std::string tenant; std::string room; std::string caller_id;
  bool room_wide; std::int64_t until_ms;
};
/// The room's PIN throttle delays this caller's check until until_ms (pin_throttle.hpp).
struct PinThrottled { std::int64_t at_ms; std::string tenant; std::string room; std::string caller_id; std::int64_t until_ms; };
struct AccessDenied { std::int64_t at_ms; std::string tenant; std::string room; std::string caller_id; };
struct RoutedToOperator {
  std::int64_t at_ms; std::string tenant; std::string room; std::string caller_id;
  errc reason; std::uint64_t ticket;
};
struct QueueLeft { std::int64_t at_ms; std::string tenant; std::uint64_t ticket; std::int64_t waited_ms; bool answered; };
struct OverflowOpened { std::int64_t at_ms; std::string tenant; std::string room; std::string overflow_room; };
struct MuteChanged { std::int64_t at_ms; ParticipantId id; bool muted; ParticipantId by; };
struct MutedAll { std::int64_t at_ms; std::string tenant; std::string room; int count; ParticipantId by; };
struct DeafChanged { std::int64_t at_ms; ParticipantId id; bool deaf; ParticipantId by; };
struct Moved { std::int64_t at_ms; ParticipantId id; std::string tenant; std::string from; std::string to; ParticipantId by; };
struct SideRoomOpened {
  std::int64_t at_ms; std::string tenant; std::string main_room; std::string side_room;
  std::vector<ParticipantId> members; ParticipantId by;
};
struct SideRoomClosed { std::int64_t at_ms; std::string tenant; std::string side_room; };
struct LockChanged { std::int64_t at_ms; std::string tenant; std::string room; bool locked; ParticipantId by; };
struct MaxMembersChanged { std::int64_t at_ms; std::string tenant; std::string room; int max_members; ParticipantId by; };
struct NameChanged { std::int64_t at_ms; ParticipantId id; std::string name; ParticipantId by; };
struct ListenInGranted { std::int64_t at_ms; std::string tenant; std::string room; ParticipantId by; };
struct WhisperGranted { std::int64_t at_ms; ParticipantId target; ParticipantId by; };
struct RoomEnding { std::int64_t at_ms; std::string tenant; std::string room; std::int64_t ends_at_ms; };
struct RoomEnded { std::int64_t at_ms; std::string tenant; std::string room; };
/// An actor tried something its role or its authority does not allow; room is
/// the room acted on when the refusal was about it ("" otherwise).
struct ActionDenied { std::int64_t at_ms; std::string tenant; Action action; Role role; ParticipantId by; std::string room = {}; };
}  // namespace event

using Event = std::variant<event::TenantCreated, event::QuotaChanged, event::RoomCreated,
                           event::RoomRemoved, event::RoomConfigured, event::Joined, event::Left,
                           event::Released, event::PinRejected, event::LockedOut, event::PinThrottled,
                           event::AccessDenied, event::RoutedToOperator, event::QueueLeft,
                           event::OverflowOpened, event::MuteChanged, event::MutedAll,
                           event::DeafChanged, event::Moved, event::SideRoomOpened,
                           event::SideRoomClosed, event::LockChanged, event::MaxMembersChanged,
                           event::NameChanged, event::ListenInGranted, event::WhisperGranted,
                           event::RoomEnding, event::RoomEnded, event::ActionDenied>;

/// snake_case name of the event's type ("joined", "pin_rejected", ...).
std::string_view event_name(const Event& e) noexcept;
/// The time the event happened, ms on the caller's clock.
std::int64_t event_time_ms(const Event& e) noexcept;

}  // namespace libconf::room
