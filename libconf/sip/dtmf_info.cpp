#include "libconf/sip/dtmf_info.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace libconf::sip {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

/// A digit, or an RFC 4733 event code 0..15 written as a number.
char to_digit(std::string_view v) noexcept {
  v = trim(v);
  if (v.size() == 1) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
    if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
    return 0;
  }
  int code = -1;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), code);
  if (ec != std::errc() || p != v.data() + v.size()) return 0;
  static constexpr char kCodes[] = "0123456789*#ABCD";
  return code >= 10 && code <= 15 ? kCodes[code] : 0;
}

Failure bad(std::string message) { return Failure{errc::parse_error, std::move(message), 400}; }

}  // namespace

Outcome<DtmfInfo> parse_dtmf_info(std::string_view content_type, std::string_view body) {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (body.size() > kMaxDtmfInfoBytes) {
    return bad("INFO body of " + std::to_string(body.size()) + " bytes is too large for DTMF (at most " +
               std::to_string(kMaxDtmfInfoBytes) + ")");
  }
  DtmfInfo info;
  if (iequals(type, "application/dtmf")) {
    info.digit = to_digit(body);
    if (info.digit == 0) return bad("application/dtmf body '" + printable(body) + "' is not a DTMF digit");
    return info;
  }
  if (!iequals(type, "application/dtmf-relay")) {
    return Failure{errc::not_supported, "INFO content type '" + printable(type) + "' is not application/dtmf-relay or application/dtmf", 415};
  }
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = trim(body.substr(pos, end - pos));
    pos = end + 1;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (iequals(key, "Signal")) {
      info.digit = to_digit(value);
      if (info.digit == 0) return bad("dtmf-relay Signal '" + printable(value) + "' is not a DTMF digit");
    } else if (iequals(key, "Duration")) {
      int ms = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
      if (ec != std::errc() || p != value.data() + value.size() || ms < 1 || ms > 10'000) {
        return bad("dtmf-relay Duration '" + printable(value) + "' is not 1..10000 ms");
      }
      info.duration_ms = ms;
    }
  }
  if (info.digit == 0) return bad("dtmf-relay body has no Signal line");
  return info;
}

std::string format_dtmf_relay(const DtmfInfo& info) {
  return std::string("Signal=") + info.digit + "\r\nDuration=" + std::to_string(info.duration_ms) + "\r\n";
}

}  // namespace libconf::sip
