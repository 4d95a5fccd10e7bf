// Fuzzes SRTP/SRTCP unprotect with fixed keys for all three profiles (the
// first byte picks profile and RTP/RTCP), and the SDES a=crypto parser. A
// forged packet must never authenticate; nothing may read or write out of bounds.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "libconf/transport/srtp.hpp"

using namespace libconf::transport;

namespace {
SrtpSession& session(int profile) {
  static std::optional<SrtpSession> sessions[3];
  if (!sessions[profile]) {
    const auto p = static_cast<SrtpProfile>(profile);
    SrtpKeys keys{p, std::vector<std::uint8_t>(srtp_key_salt_bytes(p))};
    for (std::size_t i = 0; i < keys.key_salt.size(); ++i) keys.key_salt[i] = static_cast<std::uint8_t>(i * 13 + 1);
    sessions[profile].emplace(std::move(*SrtpSession::create(keys, SrtpDirection::inbound)));
  }
  return *sessions[profile];
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> body(data + 1, size - 1);
  if ((mode & 0x80) != 0) {
    (void)parse_sdes_crypto(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    return 0;
  }
  // A copy with room for libsrtp's in-place work, exactly the datagram's bytes valid.
  std::vector<std::uint8_t> buf(body.size() + kSrtpMaxOverheadBytes);
  if (!body.empty()) std::memcpy(buf.data(), body.data(), body.size());
  SrtpSession& s = session(mode % 3);
  const bool rtcp = (mode & 0x40) != 0;
  auto r = rtcp ? s.unprotect_rtcp(buf, body.size()) : s.unprotect(buf, body.size());
  // Random bytes forging an 80-bit (or 128-bit GCM) tag is not a thing a fuzzer finds.
  if (r && mode % 3 != 1) std::abort();
  if (r && *r > body.size()) std::abort();
  return 0;
}
