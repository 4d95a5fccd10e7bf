// libFuzzer target: arbitrary bytes into the store's UTF-8 validator
// (detail::validate_utf8) and lookup-key check (detail::impossible_key).
// Invariants checked against an independent decoder written from RFC 3629's
// definition (decode each code point, reject overlong forms, surrogates and
// values above U+10FFFF, re-encode): the validator accepts exactly the inputs
// the reference accepts; when it refuses, its message names the offset of the
// first byte the reference could not decode; impossible_key is true exactly
// for refused input or input holding a NUL byte.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/store/validation.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void encode(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Offset of the first sequence that does not decode to a Unicode scalar value
// in its shortest form, or npos.
std::size_t reference_first_invalid(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    std::string again;
    encode(cp, again);
    if (again != s.substr(i, len)) return i;  // overlong
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t expected = reference_first_invalid(text);
  bool accepted = true;
  try {
    libconf::store::detail::validate_utf8("fuzz", text);
  } catch (const libconf::Error& e) {
    accepted = false;
    check(e.code_enum() == libconf::errc::invalid_argument);
    check(expected != std::string_view::npos);
    const std::string want = "at offset " + std::to_string(expected) + ")";
    check(std::string_view(e.what()).find(want) != std::string_view::npos);
  }
  check(accepted == (expected == std::string_view::npos));
  const bool has_nul = text.find('\0') != std::string_view::npos;
  check(libconf::store::detail::impossible_key(text) == (!accepted || has_nul));
  return 0;
}
