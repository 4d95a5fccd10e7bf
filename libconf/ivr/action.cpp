#include "libconf/ivr/action.hpp"

namespace libconf::ivr {

std::string_view to_string(ExitReason reason) noexcept {
  switch (reason) {
    case ExitReason::requested: return "requested";
    case ExitReason::no_input: return "no_input";
    case ExitReason::invalid_input: return "invalid_input";
    case ExitReason::wrong_pin: return "wrong_pin";
    case ExitReason::room_unknown: return "room_unknown";
    case ExitReason::locked_out: return "locked_out";
  }
  return "unknown";
}

}  // namespace libconf::ivr
