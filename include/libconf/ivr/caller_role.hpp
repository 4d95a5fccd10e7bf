#pragma once
/// @file
/// The role a caller joins with, as the IVR sees it. The IVR layer does not use
/// libconf/room: the names and order match room::Role one to one, so the host
/// converts by name (to_string / caller_role_from_string) or by value.

#include <optional>
#include <string_view>

namespace libconf::ivr {

enum class CallerRole {
  superuser,    ///< the operator
  moderator,    ///< steers the room
  participant,  ///< talks and listens
  listener,     ///< listens only
};

/// "superuser", "moderator", "participant", "listener".
std::string_view to_string(CallerRole role) noexcept;
/// The inverse of to_string; nullopt for any other text.
std::optional<CallerRole> caller_role_from_string(std::string_view text) noexcept;

}  // namespace libconf::ivr
