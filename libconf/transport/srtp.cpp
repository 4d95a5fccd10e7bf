#include "libconf/transport/srtp.hpp"

#include <srtp2/srtp.h>
#include <sys/random.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <mutex>

#include "libconf/transport/base64.hpp"

namespace libconf::transport {

namespace {

srtp_t ctx_of(void* p) noexcept { return static_cast<srtp_t>(p); }

void init_libsrtp() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (srtp_init() != srtp_err_status_ok) throw Error(errc::io_error, "libsrtp2: srtp_init failed");
  });
}

errc map_unprotect_error(srtp_err_status_t s) noexcept {
  switch (s) {
    case srtp_err_status_auth_fail: return errc::authentication_failed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return errc::replayed_packet;
    default: return errc::malformed_packet;
  }
}

bool fits(std::span<std::uint8_t> packet, std::size_t length) noexcept {
  // libsrtp writes up to SRTP_MAX_TRAILER_LEN + 4 (SRTCP index) past the end.
  return length <= packet.size() && packet.size() - length >= SRTP_MAX_TRAILER_LEN + 4 && length <= 0x7fffffff;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view sdes_suite_name(SrtpProfile p) noexcept {
  switch (p) {
    case SrtpProfile::aes_cm_128_hmac_sha1_80: return "AES_CM_128_HMAC_SHA1_80";
    case SrtpProfile::aes_cm_128_hmac_sha1_32: return "AES_CM_128_HMAC_SHA1_32";
    case SrtpProfile::aead_aes_128_gcm: return "AEAD_AES_128_GCM";
  }
  return "";
}

std::optional<SrtpProfile> srtp_profile_from_name(std::string_view s) noexcept {
  for (auto p : {SrtpProfile::aes_cm_128_hmac_sha1_80, SrtpProfile::aes_cm_128_hmac_sha1_32, SrtpProfile::aead_aes_128_gcm})
    if (s == sdes_suite_name(p)) return p;
  return std::nullopt;
}

std::size_t srtp_key_salt_bytes(SrtpProfile p) noexcept {
  return p == SrtpProfile::aead_aes_128_gcm ? 16 + SRTP_AEAD_SALT_LEN : SRTP_AES_ICM_128_KEY_LEN_WSALT;
}

SrtpKeys generate_srtp_keys(SrtpProfile profile) {
  SrtpKeys k{profile, std::vector<std::uint8_t>(srtp_key_salt_bytes(profile))};
  std::size_t got = 0;
  while (got < k.key_salt.size()) {
    const ssize_t n = getrandom(k.key_salt.data() + got, k.key_salt.size() - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(errc::io_error, std::string("getrandom failed: ") + std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  return k;
}

Result<SdesCrypto> parse_sdes_crypto(std::string_view line) {
  line = trim(line);
  if (line.starts_with("a=")) line.remove_prefix(2);
  if (!line.starts_with("crypto:")) return errc::parse_error;
  line.remove_prefix(7);
  // <tag> SP <suite> SP <key-params> [SP <session-params>]
  const auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return errc::parse_error;
  SdesCrypto out;
  const std::string_view tag = line.substr(0, sp1);
  auto [ptr, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), out.tag);
  if (ec != std::errc() || ptr != tag.data() + tag.size() || out.tag < 0 || tag.size() > 9) return errc::parse_error;
  std::string_view rest = trim(line.substr(sp1 + 1));
  const auto sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos) return errc::parse_error;
  const auto profile = srtp_profile_from_name(rest.substr(0, sp2));
  if (!profile) return errc::not_supported;
  rest = trim(rest.substr(sp2 + 1));
  const auto sp3 = rest.find(' ');
  std::string_view key_params = rest.substr(0, sp3);
  if (sp3 != std::string_view::npos) {
    out.session_params = std::string(trim(rest.substr(sp3 + 1)));
    if (out.session_params.find("UNENCRYPTED_") != std::string::npos) return errc::not_supported;
  }
  if (key_params.find(';') != std::string_view::npos) return errc::not_supported;  // several keys
  if (!key_params.starts_with("inline:")) return errc::parse_error;
  key_params.remove_prefix(7);
  const auto bar = key_params.find('|');
  const std::string_view b64 = key_params.substr(0, bar);
  if (bar != std::string_view::npos) {
    std::string_view tail = key_params.substr(bar + 1);
    // Optional lifetime ("2^31" or a decimal), then an optional MKI ("1:4").
    const auto bar2 = tail.find('|');
    const std::string_view first = tail.substr(0, bar2);
    if (first.find(':') != std::string_view::npos || bar2 != std::string_view::npos) return errc::not_supported;  // MKI
    if (first.empty()) return errc::parse_error;
  }
  auto bytes = detail::base64_decode(b64);
  if (!bytes || bytes->size() != srtp_key_salt_bytes(*profile)) return errc::parse_error;
  out.keys = SrtpKeys{*profile, std::move(*bytes)};
  return out;
}

std::string format_sdes_crypto(const SdesCrypto& c) {
  std::string s = "a=crypto:" + std::to_string(c.tag) + " " + std::string(sdes_suite_name(c.keys.profile)) +
                  " inline:" + detail::base64_encode(c.keys.key_salt);
  if (!c.session_params.empty()) s += " " + c.session_params;
  return s;
}

Result<SrtpSession> SrtpSession::create(const SrtpKeys& keys, SrtpDirection direction, std::uint32_t ssrc) {
  init_libsrtp();
  if (keys.key_salt.size() != srtp_key_salt_bytes(keys.profile)) return errc::invalid_argument;
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof(policy));
  switch (keys.profile) {
    case SrtpProfile::aes_cm_128_hmac_sha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpProfile::aes_cm_128_hmac_sha1_32:
      // RFC 4568 6.2.2: the 32-bit tag applies to SRTP only; SRTCP keeps 80 bits.
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpProfile::aead_aes_128_gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      break;
  }
  if (direction == SrtpDirection::outbound && ssrc != 0) {
    policy.ssrc.type = ssrc_specific;
    policy.ssrc.value = ssrc;
  } else {
    policy.ssrc.type = direction == SrtpDirection::outbound ? ssrc_any_outbound : ssrc_any_inbound;
  }
  std::vector<std::uint8_t> key = keys.key_salt;  // libsrtp takes a non-const pointer
  policy.key = key.data();
  policy.window_size = 128;  // RFC 3711 3.3.2 minimum is 64; 128 tolerates reordering bursts
  policy.allow_repeat_tx = 0;
  srtp_t ctx = nullptr;
  const srtp_err_status_t s = srtp_create(&ctx, &policy);
  if (s != srtp_err_status_ok) return s == srtp_err_status_bad_param ? errc::invalid_argument : errc::not_supported;
  return SrtpSession(ctx);
}

SrtpSession::SrtpSession(SrtpSession&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
SrtpSession& SrtpSession::operator=(SrtpSession&& o) noexcept {
  if (this != &o) {
    if (ctx_) srtp_dealloc(ctx_of(ctx_));
    ctx_ = o.ctx_;
    o.ctx_ = nullptr;
  }
  return *this;
}
SrtpSession::~SrtpSession() {
  if (ctx_) srtp_dealloc(ctx_of(ctx_));
}

Result<std::size_t> SrtpSession::protect(std::span<std::uint8_t> packet, std::size_t length) noexcept {
  if (!ctx_) return errc::invalid_state;
  if (!fits(packet, length)) return errc::buffer_too_small;
  int len = static_cast<int>(length);
  const srtp_err_status_t s = srtp_protect(ctx_of(ctx_), packet.data(), &len);
  if (s == srtp_err_status_key_expired) return errc::invalid_state;
  if (s != srtp_err_status_ok) return errc::malformed_packet;
  return static_cast<std::size_t>(len);
}

Result<std::size_t> SrtpSession::protect_rtcp(std::span<std::uint8_t> packet, std::size_t length) noexcept {
  if (!ctx_) return errc::invalid_state;
  if (!fits(packet, length)) return errc::buffer_too_small;
  int len = static_cast<int>(length);
  const srtp_err_status_t s = srtp_protect_rtcp(ctx_of(ctx_), packet.data(), &len);
  if (s == srtp_err_status_key_expired) return errc::invalid_state;
  if (s != srtp_err_status_ok) return errc::malformed_packet;
  return static_cast<std::size_t>(len);
}

Result<std::size_t> SrtpSession::unprotect(std::span<std::uint8_t> packet, std::size_t length) noexcept {
  if (!ctx_) return errc::invalid_state;
  // The shortest SRTP packet: a 12-byte header and a 4-byte tag.
  if (length > packet.size() || length < 16 || length > 0x7fffffff) return errc::malformed_packet;
  int len = static_cast<int>(length);
  const srtp_err_status_t s = srtp_unprotect(ctx_of(ctx_), packet.data(), &len);
  if (s != srtp_err_status_ok) return map_unprotect_error(s);
  return static_cast<std::size_t>(len);
}

Result<std::size_t> SrtpSession::unprotect_rtcp(std::span<std::uint8_t> packet, std::size_t length) noexcept {
  if (!ctx_) return errc::invalid_state;
  // The shortest SRTCP packet: 8-byte header, 4-byte index, 4-byte tag.
  if (length > packet.size() || length < 16 || length > 0x7fffffff) return errc::malformed_packet;
  int len = static_cast<int>(length);
  const srtp_err_status_t s = srtp_unprotect_rtcp(ctx_of(ctx_), packet.data(), &len);
  if (s != srtp_err_status_ok) return map_unprotect_error(s);
  return static_cast<std::size_t>(len);
}

}  // namespace libconf::transport
