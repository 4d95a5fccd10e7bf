#include "libconf/sip/sip_message.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace libconf::sip {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// Calls f on each comma-separated token of every instance of header.
template <class F>
void for_each_token(belle_sip_message_t* message, const char* header, F&& f) {
  for (const belle_sip_list_t* l = belle_sip_message_get_headers(message, header); l != nullptr; l = l->next) {
    auto* h = static_cast<belle_sip_header_t*>(l->data);
    const char* raw = belle_sip_header_get_unparsed_value(h);
    std::string_view value = raw ? raw : "";
    std::size_t pos = 0;
    while (pos <= value.size()) {
      auto end = value.find(',', pos);
      if (end == std::string_view::npos) end = value.size();
      const auto token = trim(value.substr(pos, end - pos));
      if (!token.empty()) f(token);
      pos = end + 1;
    }
  }
}

}  // namespace

RequestSource request_source(belle_sip_request_t* request) {
  RequestSource s;
  auto* via = belle_sip_message_get_header_by_type(request, belle_sip_header_via_t);
  if (via == nullptr) return s;
  const char* host = belle_sip_header_via_get_host(via);
  const char* received = belle_sip_header_via_get_received(via);
  s.address = received ? received : (host ? host : "");
  s.via_matches_source = received == nullptr || (host != nullptr && std::string_view(host) == received);
  const int rport = belle_sip_header_via_get_rport(via);
  const int port = rport > 0 ? rport : belle_sip_header_via_get_listening_port(via);
  s.port = static_cast<std::uint16_t>(std::clamp(port, 0, 65535));
  const char* t = belle_sip_header_via_get_transport(via);
  s.transport = transport_from_name(t ? t : "udp").value_or(Transport::udp);
  return s;
}

std::string header_value(belle_sip_message_t* message, const char* name) {
  belle_sip_header_t* h = belle_sip_message_get_header(message, name);
  if (h == nullptr) return {};
  const char* v = belle_sip_header_get_unparsed_value(h);
  return v ? std::string(trim(v)) : std::string();
}

bool lists_token(belle_sip_message_t* message, const char* header, std::string_view token) {
  bool found = false;
  for_each_token(message, header, [&](std::string_view t) { found |= iequals(t, token); });
  return found;
}

std::string unsupported_requirements(belle_sip_message_t* message, std::initializer_list<std::string_view> supported) {
  std::string out;
  for_each_token(message, "Require", [&](std::string_view t) {
    if (std::none_of(supported.begin(), supported.end(), [&](std::string_view s) { return iequals(s, t); })) {
      if (!out.empty()) out += ", ";
      out += std::string(t.substr(0, 40));
    }
  });
  return out;
}

std::string content_type(belle_sip_message_t* message) {
  auto* ct = belle_sip_message_get_header_by_type(message, belle_sip_header_content_type_t);
  if (ct == nullptr) return {};
  const char* type = belle_sip_header_content_type_get_type(ct);
  const char* sub = belle_sip_header_content_type_get_subtype(ct);
  std::string s = std::string(type ? type : "") + "/" + (sub ? sub : "");
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string_view body(belle_sip_message_t* message) {
  const char* b = belle_sip_message_get_body(message);
  const std::size_t n = belle_sip_message_get_body_size(message);
  if (b == nullptr || n == 0) return {};
  return std::string_view(b, n);
}

void set_body(belle_sip_message_t* message, const std::string& type, const std::string& text) {
  const auto slash = type.find('/');
  belle_sip_message_set_header(
      message, BELLE_SIP_HEADER(belle_sip_header_content_type_create(type.substr(0, slash).c_str(),
                                                                     type.substr(slash + 1).c_str())));
  belle_sip_message_set_header(message, BELLE_SIP_HEADER(belle_sip_header_content_length_create(text.size())));
  belle_sip_message_set_body(message, text.data(), text.size());
}

std::size_t header_count(belle_sip_message_t* message) {
  belle_sip_list_t* all = belle_sip_message_get_all_headers(message);
  std::size_t n = 0;
  for (belle_sip_list_t* l = all; l != nullptr; l = l->next) ++n;
  belle_sip_list_free(all);
  return n;
}

std::optional<long long> header_number(belle_sip_message_t* message, const char* name) {
  const std::string v = header_value(message, name);
  const std::string_view digits = trim(std::string_view(v).substr(0, v.find(';')));
  long long n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
  return n;
}

std::string uri_user(belle_sip_uri_t* uri) {
  if (uri == nullptr) return {};
  const char* u = belle_sip_uri_get_user(uri);
  return u ? u : "";
}

std::string to_string(belle_sip_object_t* object) {
  if (object == nullptr) return {};
  char* s = belle_sip_object_to_string(object);
  std::string out = s ? s : "";
  belle_sip_free(s);
  return out;
}

std::string call_id_of(belle_sip_message_t* message) {
  auto* h = belle_sip_message_get_header_by_type(message, belle_sip_header_call_id_t);
  const char* id = h ? belle_sip_header_call_id_get_call_id(h) : nullptr;
  return id ? id : "";
}

}  // namespace libconf::sip
