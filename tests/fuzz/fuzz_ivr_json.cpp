// Fuzzes the IVR's JSON configuration parsers: the first byte picks the menu,
// key-map or DID-router parser, the rest is the text. Each either parses or
// throws libconf::Error (never anything else, never a crash).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/key_map.hpp"
#include "libconf/ivr/menu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 3) {
      case 0: (void)libconf::ivr::Menu::parse(text, "fuzz-menu.json"); break;
      case 1: (void)libconf::ivr::KeyMap::parse(text, "fuzz-keys.json"); break;
      default: (void)libconf::ivr::DidRouter::parse(text, "fuzz-routes.json"); break;
    }
  } catch (const libconf::Error&) {
  }
  return 0;
}
