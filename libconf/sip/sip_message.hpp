#pragma once
// Small readers and writers over belle-sip messages, shared by the ua_*.cpp
// files: header values, option tags, bodies, where a request came from.

#include <belle-sip/belle-sip.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libconf/sip/user_agent.hpp"

namespace libconf::sip {

/// Where a request came from, as belle-sip saw it (top Via with the
/// received/rport parameters belle-sip adds).
struct RequestSource {
  std::string address;   ///< numeric IP (received, else the Via host)
  std::uint16_t port = 0;
  Transport transport = Transport::udp;
  /// The Via sent-by host equals the source address (no received parameter,
  /// or one equal to the host). Only such requests may be trusted by IP:
  /// belle-sip keeps a received parameter the peer wrote itself when the Via
  /// host equals the packet source, so a received that differs from the host
  /// may be forged.
  bool via_matches_source = false;
};
RequestSource request_source(belle_sip_request_t* request);

/// The raw value of the first header called name ("" if absent).
std::string header_value(belle_sip_message_t* message, const char* name);
/// Whether a Require/Supported/Allow-style header (any of its instances)
/// lists token (case-insensitive).
bool lists_token(belle_sip_message_t* message, const char* header, std::string_view token);
/// Option tags of Require headers that are not in supported (comma-separated).
std::string unsupported_requirements(belle_sip_message_t* message, std::initializer_list<std::string_view> supported);
/// "type/subtype" of the Content-Type, lower case ("" without one).
std::string content_type(belle_sip_message_t* message);
std::string_view body(belle_sip_message_t* message);
void set_body(belle_sip_message_t* message, const std::string& content_type, const std::string& body);
std::size_t header_count(belle_sip_message_t* message);
/// A header parsed as a whole number (e.g. Min-SE, Expires); nullopt if absent or malformed.
std::optional<long long> header_number(belle_sip_message_t* message, const char* name);
/// The user part of a URI ("" if none).
std::string uri_user(belle_sip_uri_t* uri);
std::string to_string(belle_sip_object_t* object);
std::string call_id_of(belle_sip_message_t* message);

}  // namespace libconf::sip
