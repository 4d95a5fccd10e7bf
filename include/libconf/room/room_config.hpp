#pragma once
/// @file
/// Configuration of tenants and rooms: quotas, PIN hashes, access list and the
/// policies the Conference model applies (max size, when full, wait for a
/// moderator, end with the last moderator). Plain values, thread-compatible.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libconf/room/acl.hpp"

namespace libconf::room {

/// Longest tenant, room, moderator or group name, characters.
inline constexpr std::size_t kMaxNameLength = 64;
/// Longest display name or room topic, bytes.
inline constexpr std::size_t kMaxTextLength = 256;

/// Throws Error(invalid_argument) unless `name` is 1..kMaxNameLength characters
/// of [A-Za-z0-9_.-] not starting with '.' or '-'; `what` ("room name") starts the message.
void validate_name(std::string_view what, std::string_view name);
/// Same check without throwing.
bool is_valid_name(std::string_view name) noexcept;
/// Throws Error(invalid_argument) if `text` is longer than kMaxTextLength, holds
/// a control character or is not valid UTF-8 (topics, display names, caller IDs).
void validate_text(std::string_view what, std::string_view text);
/// Same check without throwing.
bool is_valid_text(std::string_view text) noexcept;
/// True for well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;
/// Offset of the first byte that does not start or continue well-formed UTF-8
/// (no overlong forms, surrogates or code points above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view text) noexcept;
/// Throws Error(invalid_argument) "<what> is not valid UTF-8 (byte 0xNN at offset K)".
void validate_utf8(std::string_view what, std::string_view text);

/// What a tenant's contract allows at any moment.
struct TenantQuota {
  int max_participants = 100;  ///< concurrent participants over all rooms (1..1'000'000)
  int max_rooms = 10;          ///< rooms (not side rooms), incl. overflow rooms (1..100'000)
};
void validate(const TenantQuota& quota);

/// What happens to a caller who arrives at a full room.
enum class FullPolicy {
  route_to_operator,  ///< the caller joins the operator queue
  overflow,           ///< the caller joins "<room>-2" (then -3...), opened on the same topic
};
std::string_view to_string(FullPolicy policy) noexcept;
std::optional<FullPolicy> full_policy_from_string(std::string_view text) noexcept;

/// Largest value of RoomConfig::max_members.
inline constexpr int kMaxRoomMembers = 10'000;

struct RoomConfig {
  std::string name;   ///< unique within the tenant, see validate_name
  std::string topic;  ///< free text, shown to operators; copied to overflow rooms
  int max_members = 50;  ///< seats incl. side-room members of this room, 1..kMaxRoomMembers
  /// crypto_pwhash_str hashes (see pin.hpp); an empty string means "no PIN of
  /// this kind". A room without participant PIN admits callers as participants.
  std::string participant_pin_hash;
  std::string moderator_pin_hash;
  std::string listener_pin_hash;
  FullPolicy when_full = FullPolicy::route_to_operator;
  bool wait_for_moderator = false;      ///< non-moderators wait (music on hold) until a moderator is in
  bool end_with_last_moderator = false; ///< end the room when the last moderator leaves...
  std::int64_t end_grace_ms = 0;        ///< ...after this grace time, unless one returns
  Acl acl;
};

/// Throws Error(invalid_argument) naming the field and value that is out of range.
void validate(const RoomConfig& config);

}  // namespace libconf::room
