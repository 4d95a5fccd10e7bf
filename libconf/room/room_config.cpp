#include "libconf/room/room_config.hpp"

#include <algorithm>
#include <cstdint>

#include "libconf/error.hpp"

namespace libconf::room {
namespace {

bool name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

bool is_valid_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= kMaxNameLength && name.front() != '.' &&
         name.front() != '-' && std::all_of(name.begin(), name.end(), name_char);
}

void validate_name(std::string_view what, std::string_view name) {
  if (is_valid_name(name)) return;
  // Quote at most kMaxNameLength characters of a hostile value, printable only.
  std::string shown;
  for (char c : name.substr(0, kMaxNameLength))
    shown += (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) ? c : '?';
  if (name.size() > kMaxNameLength) shown += "...";
  throw Error(errc::invalid_argument,
              std::string(what) + " '" + shown + "' is invalid: it needs 1 to " +
                  std::to_string(kMaxNameLength) +
                  " characters of A-Z a-z 0-9 _ . - and may not start with . or -");
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;  // a continuation byte first, or 0xF8..0xFF
    }
    if (i + n >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF are not UTF-8.
    constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

bool is_valid_text(std::string_view text) noexcept {
  return text.size() <= kMaxTextLength &&
         std::none_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }) &&
         is_valid_utf8(text);
}

void validate_text(std::string_view what, std::string_view text) {
  if (text.size() > kMaxTextLength)
    throw Error(errc::invalid_argument, std::string(what) + " has " + std::to_string(text.size()) +
                                            " bytes; at most " + std::to_string(kMaxTextLength));
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw Error(errc::invalid_argument, std::string(what) + " holds a control character");
  if (!is_valid_utf8(text)) throw Error(errc::invalid_argument, std::string(what) + " is not valid UTF-8");
}

void validate(const TenantQuota& q) {
  if (q.max_participants < 1 || q.max_participants > 1'000'000)
    throw Error(errc::invalid_argument, "TenantQuota.max_participants = " +
                                            std::to_string(q.max_participants) + " is not in 1..1000000");
  if (q.max_rooms < 1 || q.max_rooms > 100'000)
    throw Error(errc::invalid_argument,
                "TenantQuota.max_rooms = " + std::to_string(q.max_rooms) + " is not in 1..100000");
}

std::string_view to_string(FullPolicy policy) noexcept {
  return policy == FullPolicy::overflow ? "overflow" : "route_to_operator";
}

std::optional<FullPolicy> full_policy_from_string(std::string_view text) noexcept {
  if (text == "overflow") return FullPolicy::overflow;
  if (text == "route_to_operator") return FullPolicy::route_to_operator;
  return std::nullopt;
}

void validate(const RoomConfig& c) {
  validate_name("room name", c.name);
  validate_text("room topic", c.topic);
  if (c.max_members < 1 || c.max_members > kMaxRoomMembers)
    throw Error(errc::invalid_argument, "room '" + c.name + "': max_members = " +
                                            std::to_string(c.max_members) + " is not in 1.." +
                                            std::to_string(kMaxRoomMembers));
  if (c.end_grace_ms < 0 || c.end_grace_ms > 86'400'000)
    throw Error(errc::invalid_argument, "room '" + c.name + "': end_grace_ms = " +
                                            std::to_string(c.end_grace_ms) + " is not in 0..86400000");
  for (const std::string* h : {&c.participant_pin_hash, &c.moderator_pin_hash, &c.listener_pin_hash})
    if (!h->empty() && h->rfind("$argon2", 0) != 0)
      throw Error(errc::invalid_argument,
                  "room '" + c.name + "': a PIN hash is not a crypto_pwhash_str string (use hash_pin)");
  validate_acl(c.acl);
}

}  // namespace libconf::room
