#include "libconf/store/records.hpp"

namespace libconf::store {

std::string_view to_string(DidTarget target) noexcept {
  switch (target) {
    case DidTarget::room: return "room";
    case DidTarget::menu: return "menu";
    case DidTarget::operator_queue: return "operator";
  }
  return "unknown";
}

std::optional<DidTarget> did_target_from_string(std::string_view text) noexcept {
  for (DidTarget t : {DidTarget::room, DidTarget::menu, DidTarget::operator_queue})
    if (to_string(t) == text) return t;
  return std::nullopt;
}

}  // namespace libconf::store
