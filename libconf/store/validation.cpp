#include "libconf/store/validation.hpp"

#include <algorithm>
#include <string>

#include "libconf/error.hpp"
#include "libconf/room/room_config.hpp"

namespace libconf::store::detail {
namespace {

constexpr std::size_t kMaxGroupMembers = 1000;
constexpr std::size_t kMaxNumberLength = 128;  // a SIP URI fits
constexpr std::size_t kMaxDidLength = 32;

// Offset of the first byte that does not start or continue a well-formed UTF-8
// sequence (RFC 3629, Table 3-7 of the Unicode standard), or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
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
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;  // no UTF-16 surrogates
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;  // nothing above U+10FFFF
    else return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string hex_byte(unsigned char c) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {'0', 'x', kDigits[c >> 4], kDigits[c & 0xF]};
}

}  // namespace

void validate_utf8(std::string_view what, std::string_view text) {
  const std::size_t at = first_invalid_utf8(text);
  if (at != std::string_view::npos)
    throw Error(errc::invalid_argument, std::string(what) + " is not valid UTF-8 (byte " +
                                            hex_byte(static_cast<unsigned char>(text[at])) + " at offset " +
                                            std::to_string(at) + ")");
}

void validate_free_text(std::string_view what, std::string_view text) {
  room::validate_text(what, text);
  validate_utf8(what, text);
}

void validate_field(std::string_view what, std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max)
    throw Error(errc::invalid_argument, std::string(what) + " has " + std::to_string(text.size()) +
                                            " bytes; it needs 1 to " + std::to_string(max));
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw Error(errc::invalid_argument, std::string(what) + " holds a control character");
  validate_utf8(what, text);
}

bool impossible_key(std::string_view key) noexcept {
  return key.find('\0') != std::string_view::npos || first_invalid_utf8(key) != std::string_view::npos;
}

void validate(const TenantRecord& t) {
  room::validate_name("tenant name", t.name);
  room::validate(t.quota);
}

void validate(const RoomRecord& r) {
  room::validate_name("tenant name", r.tenant);
  room::validate(r.config);
  validate_utf8("room topic", r.config.topic);
  for (const auto& p : r.config.acl.allow) validate_utf8("ACL allow pattern", p);
  for (const auto& p : r.config.acl.deny) validate_utf8("ACL deny pattern", p);
}

void validate(const ModeratorRecord& m) {
  room::validate_name("tenant name", m.tenant);
  room::validate_name("moderator name", m.name);
  validate_free_text("moderator caller ID", m.caller_id);
  if (m.pin_hash.rfind("$argon2", 0) != 0)
    throw Error(errc::invalid_argument,
                "moderator '" + m.name + "': pin_hash is not a crypto_pwhash_str string (use room::hash_pin)");
  validate_free_text("moderator PIN hash", m.pin_hash);
}

void validate(const GroupRecord& g) {
  room::validate_name("tenant name", g.tenant);
  room::validate_name("group name", g.name);
  if (g.members.size() > kMaxGroupMembers)
    throw Error(errc::invalid_argument, "group '" + g.name + "' has " + std::to_string(g.members.size()) +
                                            " members; at most " + std::to_string(kMaxGroupMembers));
  for (const auto& m : g.members) validate_field("group member number", m, kMaxNumberLength);
}

void validate(const DidRecord& d) {
  // Dialled numbers and service codes: '+' only first, then digits, '*' or '#'.
  const bool ok = d.number.size() >= 2 && d.number.size() <= kMaxDidLength &&
                  std::all_of(d.number.begin(), d.number.end(),
                              [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#' || c == '+'; }) &&
                  d.number.find('+', 1) == std::string::npos;
  if (!ok)
    throw Error(errc::invalid_argument, "DID number of " + std::to_string(d.number.size()) +
                                            " characters is invalid: it needs 2 to 32 of 0-9 * # and an optional "
                                            "leading +");
  room::validate_name("tenant name", d.tenant);
  if (d.target == DidTarget::room) room::validate_name("DID room", d.room);
  else if (!d.room.empty())
    throw Error(errc::invalid_argument, "DID " + d.number + ": a room is only allowed with target 'room'");
}

void validate(const room::LegRecord& l) {
  room::validate_name("tenant name", l.tenant);
  validate_free_text("CDR caller ID", l.caller_id);
  validate_free_text("CDR DID", l.did);
  validate_free_text("CDR exit detail", l.exit_detail);
  for (const auto& s : l.segments) validate_free_text("CDR segment room", s.room);
}

void validate(const room::ModeratorSession& m) {
  room::validate_name("tenant name", m.tenant);
  room::validate_name("moderator name", m.moderator);
}

}  // namespace libconf::store::detail
