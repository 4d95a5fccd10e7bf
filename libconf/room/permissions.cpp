#include "libconf/room/permissions.hpp"

namespace libconf::room {

std::string_view to_string(Action action) noexcept {
  switch (action) {
    case Action::join: return "join";
    case Action::speak: return "speak";
    case Action::mute_self: return "mute_self";
    case Action::set_own_name: return "set_own_name";
    case Action::view_roster: return "view_roster";
    case Action::invite: return "invite";
    case Action::mute_other: return "mute_other";
    case Action::unmute_other: return "unmute_other";
    case Action::mute_all: return "mute_all";
    case Action::deafen_other: return "deafen_other";
    case Action::kick: return "kick";
    case Action::move: return "move";
    case Action::create_side_room: return "create_side_room";
    case Action::bring_back: return "bring_back";
    case Action::listen_in: return "listen_in";
    case Action::whisper: return "whisper";
    case Action::lock_room: return "lock_room";
    case Action::set_name: return "set_name";
    case Action::play_prompt: return "play_prompt";
    case Action::record: return "record";
    case Action::end_room: return "end_room";
    case Action::set_max_size: return "set_max_size";
    case Action::create_room: return "create_room";
    case Action::manage_moderators: return "manage_moderators";
    case Action::take_from_queue: return "take_from_queue";
    case Action::transfer: return "transfer";
  }
  return "unknown";
}

std::optional<Action> action_from_string(std::string_view text) noexcept {
  for (Action a : kAllActions)
    if (to_string(a) == text) return a;
  return std::nullopt;
}

bool allowed(Role role, Action action) noexcept {
  switch (role) {
    case Role::superuser:
      return true;
    case Role::moderator:
      // Seed 001: the superuser alone creates rooms, sets their size, manages
      // moderators, answers the operator queue and coaches (whispers); sending
      // a call out of the bridge is toll-relevant, so it is the superuser's too.
      switch (action) {
        case Action::transfer:
        case Action::set_max_size:
        case Action::create_room:
        case Action::manage_moderators:
        case Action::take_from_queue:
        case Action::whisper:
          return false;
        default:
          return true;
      }
    case Role::participant:
      switch (action) {
        case Action::join:
        case Action::speak:
        case Action::mute_self:
        case Action::set_own_name:
        case Action::view_roster:
        case Action::invite:  // seeds 000/001: participants invite others by calling them
          return true;
        default:
          return false;
      }
    case Role::listener:
      return action == Action::join || action == Action::set_own_name ||
             action == Action::view_roster;
  }
  return false;
}

std::string permission_table_markdown() {
  std::string out = "| action |";
  for (Role r : kAllRoles) (out += ' ') += std::string(to_string(r)) + " |";
  out += "\n|---|";
  for (std::size_t i = 0; i < kAllRoles.size(); ++i) out += "---|";
  out += '\n';
  for (Action a : kAllActions) {
    out += "| `" + std::string(to_string(a)) + "` |";
    for (Role r : kAllRoles) out += allowed(r, a) ? " yes |" : " no |";
    out += '\n';
  }
  return out;
}

}  // namespace libconf::room
