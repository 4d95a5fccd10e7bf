#pragma once
// Renders IVR actions as short text ("play welcome", "check 4711 1234") so that
// tests read as the conversation they drive.

#include <span>
#include <string>
#include <vector>

#include "libconf/ivr/action.hpp"

namespace libconf::ivr::test {

std::string to_text(const Action& action);
std::vector<std::string> to_text(std::span<const Action> actions);

}  // namespace libconf::ivr::test
