#include "libconf/room/events.hpp"

#include <type_traits>

namespace libconf::room {

std::string_view to_string(ExitReason reason) noexcept {
  switch (reason) {
    case ExitReason::hangup: return "hangup";
    case ExitReason::kicked: return "kicked";
    case ExitReason::room_ended: return "room_ended";
    case ExitReason::transferred: return "transferred";
    case ExitReason::error: return "error";
  }
  return "unknown";
}

std::optional<ExitReason> exit_reason_from_string(std::string_view text) noexcept {
  for (ExitReason r : {ExitReason::hangup, ExitReason::kicked, ExitReason::room_ended,
                       ExitReason::transferred, ExitReason::error})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

std::string_view event_name(const Event& e) noexcept {
  return std::visit(
      [](const auto& ev) -> std::string_view {
        using T = std::decay_t<decltype(ev)>;
        using namespace event;
        if constexpr (std::is_same_v<T, TenantCreated>) return "tenant_created";
        else if constexpr (std::is_same_v<T, QuotaChanged>) return "quota_changed";
        else if constexpr (std::is_same_v<T, RoomCreated>) return "room_created";
        else if constexpr (std::is_same_v<T, RoomRemoved>) return "room_removed";
        else if constexpr (std::is_same_v<T, RoomConfigured>) return "room_configured";
        else if constexpr (std::is_same_v<T, Joined>) return "joined";
        else if constexpr (std::is_same_v<T, Left>) return "left";
        else if constexpr (std::is_same_v<T, Released>) return "released";
        else if constexpr (std::is_same_v<T, PinRejected>) return "pin_rejected";
        else if constexpr (std::is_same_v<T, LockedOut>) return "locked_out";
        else if constexpr (std::is_same_v<T, PinThrottled>) return "pin_throttled";
        else if constexpr (std::is_same_v<T, AccessDenied>) return "access_denied";
        else if constexpr (std::is_same_v<T, RoutedToOperator>) return "routed_to_operator";
        else if constexpr (std::is_same_v<T, QueueLeft>) return "queue_left";
        else if constexpr (std::is_same_v<T, OverflowOpened>) return "overflow_opened";
        else if constexpr (std::is_same_v<T, MuteChanged>) return "mute_changed";
        else if constexpr (std::is_same_v<T, MutedAll>) return "muted_all";
        else if constexpr (std::is_same_v<T, DeafChanged>) return "deaf_changed";
        else if constexpr (std::is_same_v<T, Moved>) return "moved";
        else if constexpr (std::is_same_v<T, SideRoomOpened>) return "side_room_opened";
        else if constexpr (std::is_same_v<T, SideRoomClosed>) return "side_room_closed";
        else if constexpr (std::is_same_v<T, LockChanged>) return "lock_changed";
        else if constexpr (std::is_same_v<T, MaxMembersChanged>) return "max_members_changed";
        else if constexpr (std::is_same_v<T, NameChanged>) return "name_changed";
        else if constexpr (std::is_same_v<T, ListenInGranted>) return "listen_in_granted";
        else if constexpr (std::is_same_v<T, WhisperGranted>) return "whisper_granted";
        else if constexpr (std::is_same_v<T, RoomEnding>) return "room_ending";
        else if constexpr (std::is_same_v<T, RoomEnded>) return "room_ended";
        else if constexpr (std::is_same_v<T, ActionDenied>) return "action_denied";
        else static_assert(!sizeof(T), "every event needs a name");
      },
      e);
}

std::int64_t event_time_ms(const Event& e) noexcept {
  return std::visit([](const auto& ev) { return ev.at_ms; }, e);
}

}  // namespace libconf::room
