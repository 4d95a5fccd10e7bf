#pragma once
/// @file
/// The permission table: which role may perform which action. The one source of
/// truth; docs/permissions.md carries the table printed by permission_table_markdown()
/// and a test fails when the two differ. Pure functions, thread-safe.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "libconf/room/role.hpp"

namespace libconf::room {

/// Everything a role may be allowed to do in a conference.
enum class Action {
  join,              ///< enter a room
  speak,             ///< be heard (be unmuted)
  mute_self,         ///< mute or unmute one's own line
  set_own_name,      ///< choose one's own display name
  view_roster,       ///< see who is in the room and the participant count
  invite,            ///< dial out and bring a callee into the room without a PIN
  mute_other,        ///< mute another participant
  unmute_other,      ///< unmute another participant
  mute_all,          ///< mute everyone but moderators
  deafen_other,      ///< make another participant deaf (hears nothing) or undo it
  kick,              ///< remove a participant from the conference
  move,              ///< move a participant to another room of the tenant
  create_side_room,  ///< open a séparée and move participants into it
  bring_back,        ///< return side-room participants to their main room
  listen_in,         ///< hear a room or side room without being heard
  whisper,           ///< talk to one participant without the others hearing
  lock_room,         ///< lock or unlock a room against new callers
  set_name,          ///< set another participant's display name
  play_prompt,       ///< play a recording into a room
  record,            ///< record a room
  end_room,          ///< end a room's session for everyone
  set_max_size,      ///< change a room's maximum number of members, live
  create_room,       ///< create or remove rooms and change PINs and policies
  manage_moderators, ///< create and change moderators
  take_from_queue,   ///< answer callers waiting in the operator queue
  transfer,          ///< send a call out of the bridge to another number (SIP REFER or 302)
};

inline constexpr std::array kAllActions{
    Action::join,         Action::speak,           Action::mute_self,     Action::set_own_name,
    Action::view_roster,  Action::invite,          Action::mute_other,    Action::unmute_other,
    Action::mute_all,     Action::deafen_other,    Action::kick,          Action::move,
    Action::create_side_room, Action::bring_back,  Action::listen_in,     Action::whisper,
    Action::lock_room,    Action::set_name,        Action::play_prompt,   Action::record,
    Action::end_room,     Action::set_max_size,    Action::create_room,   Action::manage_moderators,
    Action::take_from_queue, Action::transfer};

/// snake_case name of the action, as in the enum.
std::string_view to_string(Action action) noexcept;
std::optional<Action> action_from_string(std::string_view text) noexcept;

/// True if `role` may perform `action`.
bool allowed(Role role, Action action) noexcept;

/// The table as GitHub Markdown: one row per action, one column per role, "yes"/"no".
/// docs/permissions.md embeds exactly this text between its marker comments.
std::string permission_table_markdown();

}  // namespace libconf::room
