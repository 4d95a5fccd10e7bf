// Fuzzes the SDP glue with what belle-sip hands it: parse_sdp (belle_sdp plus
// our reading of its objects), then, when it parses, answering it as an offer
// (and re-parsing the answer we write), reading it as the answer to a fixed
// offer of ours, and comparing sessions. Nothing may crash, leak past ASan,
// or produce an answer our own parser refuses.
#include <belle-sip/belle-sip.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libconf/sip/sdp.hpp"

using namespace libconf::sip;

namespace {
struct Setup {
  Setup() {
    belle_sip_set_log_level(BELLE_SIP_LOG_FATAL);
    policy.srtp = SrtpPolicy::optional;
    origin = SdpOrigin{"fuzz", 1, 1};
    offer = make_offer(policy, LocalMedia{"127.0.0.1", 20000, 0}, origin);
  }
  MediaPolicy policy;
  SdpOrigin origin;
  PendingOffer offer;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Setup setup;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_sdp(text);
  if (!parsed) {
    if (parsed.failure().message.empty()) std::abort();
    return 0;
  }
  if (auto answered = answer_offer(*parsed, setup.policy)) {
    SdpOrigin origin{"fuzz", 2, 2};
    const auto answer = write_answer(*parsed, *answered, LocalMedia{"127.0.0.1", 30000, 0}, setup.policy, origin);
    if (!parse_sdp(answer)) std::abort();  // we must be able to read what we write
    auto again = answer_offer(*parsed, setup.policy, &*answered);
    if (again) (void)compare(*answered, *again);
    (void)rtp_config(*answered);
    (void)codec_params(*answered, 48000);
  }
  if (auto read = read_answer(setup.offer, *parsed, setup.policy)) (void)rtp_config(*read);
  return 0;
}
