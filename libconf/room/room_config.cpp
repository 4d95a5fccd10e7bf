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

std::size_t first_invalid_utf8(std::string_view s) noexcept {
  // RFC 3629 / Table 3-7 of the Unicode standard: the allowed range of each
  // lead byte's second byte excludes overlong forms, UTF-16 surrogates and
  // code points above U+10FFFF.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view text) noexcept { return first_invalid_utf8(text) == std::string_view::npos; }

void validate_utf8(std::string_view what, std::string_view text) {
  const std::size_t at = first_invalid_utf8(text);
  if (at == std::string_view::npos) return;
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto b = static_cast<unsigned char>(text[at]);
  throw Error(errc::invalid_argument, std::string(what) + " is not valid UTF-8 (byte 0x" + kDigits[b >> 4] +
                                          kDigits[b & 0xF] + " at offset " + std::to_string(at) + ")");
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
  validate_utf8(what, text);
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
