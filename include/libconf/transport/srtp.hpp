#pragma once
/// @file
/// SRTP/SRTCP (RFC 3711, RFC 7714) through libsrtp2, keyed by SDES (RFC 4568):
/// parsing and formatting of the SDP a=crypto attribute and one SrtpSession
/// per direction of a leg.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::transport {

/// The crypto suites libconf offers (RFC 4568 and RFC 7714 names).
enum class SrtpProfile {
  aes_cm_128_hmac_sha1_80,  ///< "AES_CM_128_HMAC_SHA1_80": 80-bit tag (SRTCP always 80)
  aes_cm_128_hmac_sha1_32,  ///< "AES_CM_128_HMAC_SHA1_32": 32-bit RTP tag, 80-bit SRTCP tag
  aead_aes_128_gcm,         ///< "AEAD_AES_128_GCM": 16-byte tag (RFC 7714)
};

/// SDP crypto-suite name of a profile.
std::string_view sdes_suite_name(SrtpProfile profile) noexcept;
/// Profile for a crypto-suite name; nullopt for suites libconf does not offer.
std::optional<SrtpProfile> srtp_profile_from_name(std::string_view suite) noexcept;
/// Master key + salt bytes of a profile: 30 for AES-CM (16 + 14), 28 for GCM (16 + 12).
std::size_t srtp_key_salt_bytes(SrtpProfile profile) noexcept;
/// Most bytes protect() adds to an RTP packet (tag), protect_rtcp() to RTCP (index + tag).
inline constexpr std::size_t kSrtpMaxOverheadBytes = 4 + 16 + 128;

/// One direction's keying: the concatenated master key and salt.
struct SrtpKeys {
  SrtpProfile profile = SrtpProfile::aes_cm_128_hmac_sha1_80;
  std::vector<std::uint8_t> key_salt;  ///< exactly srtp_key_salt_bytes(profile) bytes
};

/// Fresh random keys for profile (from the kernel CSPRNG, getrandom(2)).
/// Throws libconf::Error(io_error) if the kernel cannot provide randomness.
SrtpKeys generate_srtp_keys(SrtpProfile profile);

/// One a=crypto attribute (RFC 4568 section 9.1).
struct SdesCrypto {
  int tag = 1;  ///< 1..999999999
  SrtpKeys keys;
  std::string session_params;  ///< kept verbatim (e.g. "UNENCRYPTED_SRTCP" is rejected by the parser)
};

/// Parses "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<base64 key||salt>[|2^31][|1:4]"
/// (the "a=" prefix is optional). A lifetime is accepted and ignored. Errors:
/// parse_error (syntax, bad base64, wrong key length), not_supported (unknown
/// suite, MKI, more than one key, UNENCRYPTED_* session parameters).
Result<SdesCrypto> parse_sdes_crypto(std::string_view line);
/// Formats "a=crypto:<tag> <suite> inline:<base64>" (no lifetime, no MKI).
std::string format_sdes_crypto(const SdesCrypto& crypto);

enum class SrtpDirection { outbound, inbound };

/// One libsrtp2 session for one direction. Outbound sessions are bound to the
/// leg's own SSRC (no per-stream allocation on the first packet); inbound
/// sessions accept any SSRC (libsrtp clones its stream template once per new
/// authenticated SSRC, with malloc, outside the AllocationScope's view).
/// Not thread-safe: one thread at a time. protect*/unprotect* are noexcept,
/// allocation-free after the first packet of a stream and real-time safe.
class SrtpSession {
 public:
  /// Errors: invalid_argument (key length does not match the profile),
  /// not_supported (this libsrtp2 build lacks the profile).
  static Result<SrtpSession> create(const SrtpKeys& keys, SrtpDirection direction, std::uint32_t ssrc = 0);
  SrtpSession(SrtpSession&&) noexcept;
  SrtpSession& operator=(SrtpSession&&) noexcept;
  ~SrtpSession();

  /// Encrypts and tags packet[0, length) in place; packet must have room for
  /// kSrtpMaxOverheadBytes more. Returns the new length.
  /// Errors: buffer_too_small, malformed_packet, invalid_state (key expired).
  Result<std::size_t> protect(std::span<std::uint8_t> packet, std::size_t length) noexcept;
  Result<std::size_t> protect_rtcp(std::span<std::uint8_t> packet, std::size_t length) noexcept;
  /// Verifies and decrypts in place; returns the plain length.
  /// Errors: authentication_failed, replayed_packet, malformed_packet.
  Result<std::size_t> unprotect(std::span<std::uint8_t> packet, std::size_t length) noexcept;
  Result<std::size_t> unprotect_rtcp(std::span<std::uint8_t> packet, std::size_t length) noexcept;

 private:
  explicit SrtpSession(void* ctx) noexcept : ctx_(ctx) {}
  void* ctx_ = nullptr;  ///< srtp_t
};

}  // namespace libconf::transport
