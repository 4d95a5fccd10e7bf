// Fuzzes the glue that reads what belle-sip hands the UserAgent: a datagram
// parsed by belle-sip's own message parser, then our readers of it (source
// address from the Via, option tags, Require checks, numeric headers,
// Content-Type and body) and the body parsers that follow (SDP, INFO DTMF).
// The first byte picks the body parser; the rest is the datagram.
#include <belle-sip/belle-sip.h>

#include <cstdint>
#include <string>

#include "libconf/sip/dtmf_info.hpp"
#include "libconf/sip/sdp.hpp"
#include "libconf/sip/sip_message.hpp"

using namespace libconf::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool quiet = [] {
    belle_sip_set_log_level(BELLE_SIP_LOG_FATAL);
    return true;
  }();
  (void)quiet;
  if (size < 1 || size > 65535) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  belle_sip_message_t* parsed = belle_sip_message_parse(text.c_str());
  if (parsed == nullptr) return 0;
  belle_sip_object_ref(parsed);
  (void)header_count(parsed);
  (void)lists_token(parsed, "Supported", "timer");
  (void)unsupported_requirements(parsed, {"100rel", "timer"});
  (void)header_number(parsed, "Min-SE");
  (void)header_value(parsed, "RAck");
  (void)call_id_of(parsed);
  if (belle_sip_message_is_request(parsed)) {
    auto* request = BELLE_SIP_REQUEST(parsed);
    (void)request_source(request);
    (void)uri_user(belle_sip_request_get_uri(request));
  }
  const std::string type = content_type(parsed);
  const std::string_view b = body(parsed);
  if (data[0] & 1) {
    (void)parse_dtmf_info(type, b);
  } else if (auto offer = parse_sdp(b)) {
    (void)answer_offer(*offer, MediaPolicy{});
  }
  belle_sip_object_unref(parsed);
  return 0;
}
