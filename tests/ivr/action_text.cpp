#include "ivr/action_text.hpp"

#include <type_traits>

namespace libconf::ivr::test {

std::string to_text(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, PlayPrompt>) {
          return "play " + std::string(a.id);
        } else if constexpr (std::is_same_v<T, StopPrompt>) {
          return "stop";
        } else if constexpr (std::is_same_v<T, LookupRoom>) {
          return "lookup " + std::string(a.room.view());
        } else if constexpr (std::is_same_v<T, CheckPin>) {
          return "check " + std::string(a.room.view()) + " " + std::string(a.pin.view());
        } else if constexpr (std::is_same_v<T, Join>) {
          return "join " + std::string(a.room.view()) + " " + std::string(to_string(a.role_hint));
        } else if constexpr (std::is_same_v<T, RouteToOperator>) {
          return "operator " + std::string(to_string(a.reason)) + " " + std::string(a.room.view());
        } else if constexpr (std::is_same_v<T, RecordName>) {
          return "record";
        } else if constexpr (std::is_same_v<T, DialOut>) {
          return "dial " + std::string(a.number.view());
        } else {
          static_assert(std::is_same_v<T, Hangup>);
          return "hangup " + std::string(to_string(a.reason));
        }
      },
      action);
}

std::vector<std::string> to_text(std::span<const Action> actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(to_text(a));
  return out;
}

}  // namespace libconf::ivr::test
