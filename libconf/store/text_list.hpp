#pragma once
// Private to the store layer: how a list of patterns (a room's ACL) is kept in
// one text column. ACL patterns hold no control characters (room::validate_acl),
// so '\n' separates them.

#include <string>
#include <vector>

namespace libconf::store::detail {

std::string join_lines(const std::vector<std::string>& list);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace libconf::store::detail
