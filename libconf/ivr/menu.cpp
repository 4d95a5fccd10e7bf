#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {

std::string_view to_string(StateAction action) noexcept {
  switch (action) {
    case StateAction::collect_room: return "collect_room";
    case StateAction::check_pin: return "check_pin";
    case StateAction::dial_out: return "dial_out";
    case StateAction::choice: return "choice";
    case StateAction::join: return "join";
    case StateAction::route_to_operator: return "route_to_operator";
    case StateAction::hangup: return "hangup";
    case StateAction::record_name: return "record_name";
    case StateAction::goto_state: return "goto";
  }
  return "unknown";
}

int digit_index(char digit) noexcept {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit == '*') return 10;
  if (digit == '#') return 11;
  if (digit >= 'A' && digit <= 'D') return 12 + (digit - 'A');
  return -1;
}

std::optional<StateIndex> Menu::find_state(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].name == name) return static_cast<StateIndex>(i);
  }
  return std::nullopt;
}

}  // namespace libconf::ivr
