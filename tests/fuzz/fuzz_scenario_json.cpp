// Fuzzes parse_scenario: any bytes either parse into a Scenario whose fields
// are within their documented ranges, or throw libconf::Error (never anything
// else, never a crash). Relative input paths resolve in a folder that does
// not exist, so no file is read unless the input names an absolute path.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto s = libconf::scenario::parse_scenario(text, "fuzz.json", "/nonexistent-libconf-fuzz");
    if (s.rooms.empty() || s.participants.empty()) std::abort();
    for (const auto& p : s.participants)
      if (!s.room(p.room) || p.name.empty() || p.name.size() > 64) std::abort();
    double last = 0.0;
    for (const auto& a : s.timeline) {
      if (a.at_s < last || !s.participant(a.who)) std::abort();
      last = a.at_s;
    }
  } catch (const libconf::Error&) {
  }
  return 0;
}
