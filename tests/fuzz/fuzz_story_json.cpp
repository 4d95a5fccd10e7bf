// Fuzzes parse_story: any bytes either parse into a Story (actions sorted by
// time, every name an action uses known) or throw libconf::Error.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/scenario/story.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto s = libconf::scenario::parse_story(text, "fuzz.json", "/nonexistent-libconf-fuzz");
    if (!(s.duration_s >= 1.0)) std::abort();
    for (std::size_t i = 1; i < s.actions.size(); ++i)
      if (s.actions[i].at_s < s.actions[i - 1].at_s) std::abort();
  } catch (const libconf::Error&) {
  }
  return 0;
}
