#pragma once
// Digest authentication as a server (registrar, authenticated INVITEs):
// stateless nonces (issue time + HMAC-SHA256 over it and the source address,
// with a per-process secret) and verification of MD5 digests with belle-sip's
// auth helpers (RFC 2617 / RFC 3261 22; qop=auth or none).

#include <belle-sip/belle-sip.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "libconf/sip/credentials.hpp"

namespace libconf::sip {

class DigestServer {
 public:
  /// Throws libconf::Error if the kernel gives no randomness for the secret.
  DigestServer(std::string realm, int nonce_lifetime_s);

  enum class NonceState { valid, stale, invalid };
  std::string make_nonce(std::int64_t now_s, std::string_view source) const;
  NonceState check_nonce(std::string_view nonce, std::int64_t now_s, std::string_view source) const;
  /// Adds a WWW-Authenticate (proxy=false) or Proxy-Authenticate challenge.
  void challenge(belle_sip_response_t* response, bool proxy, bool stale, std::int64_t now_s,
                 std::string_view source) const;
  /// Whether the Authorization's response matches credential for method.
  bool verify(belle_sip_header_authorization_t* auth, std::string_view method, const Credential& credential) const;
  const std::string& realm() const noexcept { return realm_; }

 private:
  std::array<std::uint8_t, 16> mac(std::uint64_t issued_s, std::string_view source) const;
  std::string realm_;
  int lifetime_s_;
  std::array<std::uint8_t, 32> secret_{};
};

}  // namespace libconf::sip
