#include "libconf/ivr/caller_role.hpp"

#include <array>

namespace libconf::ivr {
namespace {
constexpr std::array<std::string_view, 4> kNames{"superuser", "moderator", "participant", "listener"};
}

std::string_view to_string(CallerRole role) noexcept {
  auto i = static_cast<std::size_t>(role);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<CallerRole> caller_role_from_string(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<CallerRole>(i);
  }
  return std::nullopt;
}

}  // namespace libconf::ivr
