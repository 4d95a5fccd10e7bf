#pragma once
/// @file
/// Room and moderator PINs: format rules, hashing with libsodium's Argon2id
/// (crypto_pwhash_str) and constant-time verification. PINs are never stored or
/// logged in clear; error messages name the problem, never the PIN.
/// Thread-safe. Hashing costs CPU and memory on purpose: call it from a control
/// thread, never from the frame path.

#include <cstddef>
#include <string>
#include <string_view>

namespace libconf::room {

/// Shortest and longest PIN accepted, in digits (0-9 only).
inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 16;

/// Argon2id cost of a new PIN hash. Verification reads the cost from the hash.
struct PinHashParams {
  unsigned long long ops_limit;  ///< passes over memory (libsodium opslimit)
  std::size_t mem_limit_bytes;   ///< memory per hash, bytes (libsodium memlimit)

  /// libconf's default for numeric PINs: 3 passes over 8 MiB (about 10-15 ms
  /// on a desktop core). A 4-8 digit PIN has at most 10^8 values: no cost an
  /// online service can afford stops an offline search of a leaked hash for
  /// long (docs/permissions.md gives the figures); the defence is lock-out,
  /// throttling and keeping hashes secret. This cost still makes an 8-digit
  /// search cost core-weeks, keeps a 2-thread verifier at 16 MiB, and lets
  /// 100 callers' PINs verify in under a second.
  static PinHashParams standard() noexcept;
  /// libsodium's INTERACTIVE limits (2 passes, 64 MiB, about 0.1-0.2 s on a
  /// desktop core): for deployments that accept 8x the CPU and memory per check.
  static PinHashParams interactive() noexcept;
  /// libsodium's minimum (1 pass, 8 KiB): for tests only, offers no protection
  /// against offline guessing of a leaked hash.
  static PinHashParams minimum() noexcept;
};

/// True if `pin` is kMinPinDigits..kMaxPinDigits ASCII digits.
bool is_well_formed_pin(std::string_view pin) noexcept;

/// Throws libconf::Error(invalid_argument) naming the rule broken ("PIN has 3
/// digits; it needs 4 to 16", "PIN contains a character that is not a digit").
void validate_pin(std::string_view pin);

/// The crypto_pwhash_str text (ASCII, "$argon2id$..."), salted at random.
/// Throws Error(invalid_argument) for a malformed PIN or params outside
/// libsodium's limits (message names the value), Error(capacity_exceeded) when
/// the hash memory cannot be allocated.
std::string hash_pin(std::string_view pin, const PinHashParams& params);

/// Constant-time check of `pin` against a hash from hash_pin. A malformed PIN
/// (wrong length, non-digit) returns false without hashing, so a hostile caller
/// cannot make the bridge hash megabytes. Never throws.
bool verify_pin(std::string_view hash, std::string_view pin) noexcept;

/// Overwrites a secret held in memory (a typed PIN) with zeros, in a way the
/// compiler may not optimise away (libsodium's sodium_memzero), then clears it.
void wipe_secret(std::string& secret) noexcept;

/// A uniformly random PIN of `digits` digits (kMinPinDigits..kMaxPinDigits,
/// otherwise Error(invalid_argument)), from libsodium's CSPRNG.
std::string generate_pin(std::size_t digits);

}  // namespace libconf::room
