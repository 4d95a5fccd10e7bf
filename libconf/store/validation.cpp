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


}  // namespace

void validate_utf8(std::string_view what, std::string_view text) {
  room::validate_utf8(what, text);
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
  return key.find('\0') != std::string_view::npos || room::first_invalid_utf8(key) != std::string_view::npos;
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
  validate_free_text("CDR host id", l.host_id);
  validate_free_text("CDR call id", l.call_id);
  for (const auto& s : l.segments) validate_free_text("CDR segment room", s.room);
}

void validate(const room::ModeratorSession& m) {
  room::validate_name("tenant name", m.tenant);
  validate_free_text("moderator", m.moderator);  // a caller ID when no named moderator logged in
  validate_free_text("session host id", m.host_id);
  validate_free_text("session call id", m.call_id);
}

void validate(const CallerNameRecord& r) {
  room::validate_name("tenant name", r.tenant);
  validate_field("caller ID", r.caller_id, kMaxNumberLength);
  validate_free_text("caller name", r.name);
}

}  // namespace libconf::store::detail
