#include "libconf/sip/digest.hpp"

#include <belle-sip/auth-helper.h>
#include <bctoolbox/crypto.h>
#include <sys/random.h>

#include <cstring>

#include "libconf/error.hpp"
#include "libconf/sip/sip_message.hpp"

namespace libconf::sip {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string to_hex(const std::uint8_t* bytes, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += kHex[bytes[i] >> 4];
    s += kHex[bytes[i] & 15];
  }
  return s;
}

bool from_hex(std::string_view text, std::uint8_t* out, std::size_t n) {
  if (text.size() != 2 * n) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

DigestServer::DigestServer(std::string realm, int nonce_lifetime_s) : realm_(std::move(realm)), lifetime_s_(nonce_lifetime_s) {
  if (getrandom(secret_.data(), secret_.size(), 0) != static_cast<ssize_t>(secret_.size())) {
    throw Error(errc::io_error, "getrandom failed for the digest nonce secret");
  }
}

std::array<std::uint8_t, 16> DigestServer::mac(std::uint64_t issued_s, std::string_view source) const {
  std::string input(8, '\0');
  for (int i = 0; i < 8; ++i) input[static_cast<std::size_t>(i)] = static_cast<char>(issued_s >> (56 - 8 * i));
  input += source;
  std::array<std::uint8_t, 16> out{};
  bctbx_hmacSha256(secret_.data(), secret_.size(), reinterpret_cast<const std::uint8_t*>(input.data()), input.size(),
                   static_cast<std::uint8_t>(out.size()), out.data());
  return out;
}

std::string DigestServer::make_nonce(std::int64_t now_s, std::string_view source) const {
  const auto issued = static_cast<std::uint64_t>(now_s);
  std::uint8_t ts[8];
  for (int i = 0; i < 8; ++i) ts[i] = static_cast<std::uint8_t>(issued >> (56 - 8 * i));
  const auto m = mac(issued, source);
  return to_hex(ts, 8) + to_hex(m.data(), m.size());
}

DigestServer::NonceState DigestServer::check_nonce(std::string_view nonce, std::int64_t now_s, std::string_view source) const {
  std::uint8_t ts[8];
  std::uint8_t given[16];
  if (nonce.size() != 48 || !from_hex(nonce.substr(0, 16), ts, 8) || !from_hex(nonce.substr(16), given, 16)) {
    return NonceState::invalid;
  }
  std::uint64_t issued = 0;
  for (std::uint8_t b : ts) issued = issued << 8 | b;
  const auto expected = mac(issued, source);
  if (!equal_constant_time(std::string_view(reinterpret_cast<const char*>(given), 16),
                           std::string_view(reinterpret_cast<const char*>(expected.data()), 16))) {
    return NonceState::invalid;
  }
  const auto age = now_s - static_cast<std::int64_t>(issued);
  if (age < 0 || age > lifetime_s_) return NonceState::stale;
  return NonceState::valid;
}

void DigestServer::challenge(belle_sip_response_t* response, bool proxy, bool stale, std::int64_t now_s,
                             std::string_view source) const {
  belle_sip_header_www_authenticate_t* h =
      proxy ? BELLE_SIP_HEADER_WWW_AUTHENTICATE(belle_sip_header_proxy_authenticate_new())
            : belle_sip_header_www_authenticate_new();
  belle_sip_header_www_authenticate_set_scheme(h, "Digest");
  belle_sip_header_www_authenticate_set_realm(h, realm_.c_str());
  belle_sip_header_www_authenticate_set_nonce(h, make_nonce(now_s, source).c_str());
  belle_sip_header_www_authenticate_set_algorithm(h, "MD5");
  belle_sip_header_www_authenticate_add_qop(h, "auth");
  if (stale) belle_sip_header_www_authenticate_set_stale(h, 1);
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(response), BELLE_SIP_HEADER(h));
}

bool DigestServer::verify(belle_sip_header_authorization_t* auth, std::string_view method, const Credential& credential) const {
  const char* user = belle_sip_header_authorization_get_username(auth);
  const char* nonce = belle_sip_header_authorization_get_nonce(auth);
  const char* response = belle_sip_header_authorization_get_response(auth);
  const char* algorithm = belle_sip_header_authorization_get_algorithm(auth);
  const char* qop = belle_sip_header_authorization_get_qop(auth);
  if (user == nullptr || nonce == nullptr || response == nullptr || credential.user != user) return false;
  if (algorithm != nullptr && std::strcmp(algorithm, "MD5") != 0) return false;
  const std::string uri = to_string(BELLE_SIP_OBJECT(belle_sip_header_authorization_get_uri(auth)));
  if (uri.empty()) return false;

  char ha1[33] = {};
  if (!credential.password.empty()) {
    if (belle_sip_auth_helper_compute_ha1(user, realm_.c_str(), credential.password.c_str(), ha1) != 0) return false;
  } else if (credential.ha1.size() == 32) {
    std::memcpy(ha1, credential.ha1.data(), 32);
  } else {
    return false;
  }
  char ha2[33] = {};
  if (belle_sip_auth_helper_compute_ha2(std::string(method).c_str(), uri.c_str(), ha2) != 0) return false;
  char expected[33] = {};
  if (qop != nullptr) {
    if (std::strcmp(qop, "auth") != 0) return false;
    const char* cnonce = belle_sip_header_authorization_get_cnonce(auth);
    const int nc = belle_sip_header_authorization_get_nonce_count(auth);
    if (cnonce == nullptr || nc <= 0) return false;
    if (belle_sip_auth_helper_compute_response_qop_auth(ha1, nonce, static_cast<unsigned>(nc), cnonce, qop, ha2, expected) != 0) {
      return false;
    }
  } else if (belle_sip_auth_helper_compute_response(ha1, nonce, ha2, expected) != 0) {
    return false;
  }
  return equal_constant_time(expected, response);
}

}  // namespace libconf::sip
