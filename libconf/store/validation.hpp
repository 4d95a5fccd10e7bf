#pragma once
// Private to the store layer: the checks every Store backend applies to a record
// before it writes anything, so that both backends refuse the same inputs with
// the same message. Each throws libconf::Error(invalid_argument) naming the field.

#include <string_view>

#include "libconf/room/cdr.hpp"
#include "libconf/store/records.hpp"

namespace libconf::store::detail {

/// Throws unless `text` is well-formed UTF-8 (no overlong forms, no surrogates,
/// nothing above U+10FFFF). PostgreSQL refuses such text; SQLite would store the
/// bytes, so both refuse it here first.
void validate_utf8(std::string_view what, std::string_view text);

/// Free text (topics, caller IDs, details): room::validate_text plus UTF-8.
void validate_free_text(std::string_view what, std::string_view text);

/// Throws unless `text` is 1..max bytes of UTF-8 without control characters.
void validate_field(std::string_view what, std::string_view text, std::size_t max);

/// A lookup key (name, number) that no stored row can have: a NUL byte or
/// invalid UTF-8. Lookups by such a key find nothing instead of failing.
bool impossible_key(std::string_view key) noexcept;

void validate(const TenantRecord& tenant);
void validate(const RoomRecord& room);
void validate(const ModeratorRecord& moderator);
void validate(const GroupRecord& group);
void validate(const DidRecord& did);
void validate(const room::LegRecord& leg);
void validate(const room::ModeratorSession& session);
void validate(const CallerNameRecord& record);

}  // namespace libconf::store::detail
