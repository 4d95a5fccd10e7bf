#include "libconf/room/acl.hpp"

#include <algorithm>

#include "libconf/error.hpp"

namespace libconf::room {
namespace {

char fold(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void validate_list(const std::vector<std::string>& list, const char* which) {
  if (list.size() > kMaxAclPatterns)
    throw Error(errc::invalid_argument, std::string("ACL ") + which + " list has " +
                                            std::to_string(list.size()) + " patterns; at most " +
                                            std::to_string(kMaxAclPatterns));
  for (const auto& p : list) {
    if (p.empty()) throw Error(errc::invalid_argument, std::string("ACL ") + which + " pattern is empty");
    if (p.size() > kMaxAclPatternLength)
      throw Error(errc::invalid_argument, std::string("ACL ") + which + " pattern of " +
                                              std::to_string(p.size()) + " characters; at most " +
                                              std::to_string(kMaxAclPatternLength));
    if (std::any_of(p.begin(), p.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      throw Error(errc::invalid_argument,
                  std::string("ACL ") + which + " pattern holds a control character");
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  // Greedy matching with one backtrack point (the last '*'): a later '*' makes
  // earlier choices final, which keeps the cost at O(|pattern| * |text|).
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p]) == fold(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool Acl::permits(std::string_view caller) const noexcept {
  for (const auto& d : deny)
    if (glob_match(d, caller)) return false;
  if (allow.empty()) return true;
  return std::any_of(allow.begin(), allow.end(), [&](const std::string& a) { return glob_match(a, caller); });
}

void validate_acl(const Acl& acl) {
  validate_list(acl.allow, "allow");
  validate_list(acl.deny, "deny");
}

}  // namespace libconf::room
