#pragma once
// Base64 (RFC 4648 section 4, with padding) for SDES inline keys.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace libconf::transport::detail {

std::string base64_encode(std::span<const std::uint8_t> bytes);
/// nullopt for characters outside the alphabet or a bad length/padding.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace libconf::transport::detail
