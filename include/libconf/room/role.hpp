#pragma once
/// @file
/// The four roles of a conference and their names.

#include <array>
#include <optional>
#include <string_view>

namespace libconf::room {

/// Who a caller is in a conference. Decided by PIN entry (moderator, participant,
/// listener) or by the host for operators (superuser) and invited callees.
enum class Role {
  superuser,    ///< the operator: every action in every room of the tenant
  moderator,    ///< steers rooms: mute, kick, move, side rooms, listen-in
  participant,  ///< talks and listens
  listener,     ///< listens only; always muted
};

inline constexpr std::array kAllRoles{Role::superuser, Role::moderator, Role::participant,
                                      Role::listener};

/// "superuser", "moderator", "participant", "listener".
std::string_view to_string(Role role) noexcept;
/// The inverse of to_string; nullopt for any other text.
std::optional<Role> role_from_string(std::string_view text) noexcept;

/// True for superuser and moderator: the roles that count as "a moderator is present".
/// Power of a role: superuser 3, moderator 2, participant 1, listener 0.
/// An actor may not act on a more powerful role.
constexpr int rank(Role role) noexcept {
  switch (role) {
    case Role::superuser: return 3;
    case Role::moderator: return 2;
    case Role::participant: return 1;
    case Role::listener: return 0;
  }
  return 0;
}

constexpr bool is_moderating(Role role) noexcept {
  return role == Role::superuser || role == Role::moderator;
}

}  // namespace libconf::room
