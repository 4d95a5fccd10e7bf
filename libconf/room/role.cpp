#include "libconf/room/role.hpp"

namespace libconf::room {

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::superuser: return "superuser";
    case Role::moderator: return "moderator";
    case Role::participant: return "participant";
    case Role::listener: return "listener";
  }
  return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) noexcept {
  for (Role r : kAllRoles)
    if (to_string(r) == text) return r;
  return std::nullopt;
}

}  // namespace libconf::room
