#pragma once
/// @file
/// Caller access lists: glob patterns over caller IDs or SIP URIs.
/// Pure functions, thread-safe for const use.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace libconf::room {

/// Longest pattern accepted by validate_acl, characters.
inline constexpr std::size_t kMaxAclPatternLength = 256;
/// Most patterns per list accepted by validate_acl.
inline constexpr std::size_t kMaxAclPatterns = 1000;

/// Glob match: '*' matches any run (also empty), '?' exactly one character,
/// everything else itself, ASCII case-insensitively (URIs' hosts are case-blind,
/// digits are unaffected). Runs in O(|pattern| * |text|) worst case, no recursion.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

/// Allow and deny lists of glob patterns. A caller is admitted when no deny
/// pattern matches and either the allow list is empty or one allow pattern matches
/// (deny wins over allow).
struct Acl {
  std::vector<std::string> allow;
  std::vector<std::string> deny;

  bool permits(std::string_view caller) const noexcept;
  bool empty() const noexcept { return allow.empty() && deny.empty(); }
};

/// Throws Error(invalid_argument) naming the pattern that is empty, longer than
/// kMaxAclPatternLength, or holds a control character, or the list that is too long.
void validate_acl(const Acl& acl);

}  // namespace libconf::room
