#include "libconf/room/pin.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "libconf/error.hpp"

namespace libconf::room {
namespace {

void ensure_sodium() {
  // sodium_init is thread-safe and idempotent; a function-local static runs it once.
  static const int rc = sodium_init();
  if (rc < 0) throw Error(errc::invalid_state, "libsodium: sodium_init failed");
}

}  // namespace

PinHashParams PinHashParams::standard() noexcept { return {3, std::size_t{8} << 20}; }

PinHashParams PinHashParams::interactive() noexcept {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PinHashParams PinHashParams::minimum() noexcept {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

bool is_well_formed_pin(std::string_view pin) noexcept {
  return pin.size() >= kMinPinDigits && pin.size() <= kMaxPinDigits &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void validate_pin(std::string_view pin) {
  if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw Error(errc::invalid_argument, "PIN contains a character that is not a digit 0-9");
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits)
    throw Error(errc::invalid_argument, "PIN has " + std::to_string(pin.size()) +
                                            " digits; it needs " + std::to_string(kMinPinDigits) +
                                            " to " + std::to_string(kMaxPinDigits));
}

std::string hash_pin(std::string_view pin, const PinHashParams& params) {
  validate_pin(pin);
  ensure_sodium();
  if (params.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX)
    throw Error(errc::invalid_argument,
                "PIN hash ops_limit " + std::to_string(params.ops_limit) + " is outside libsodium's limits");
  if (params.mem_limit_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.mem_limit_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX)
    throw Error(errc::invalid_argument, "PIN hash mem_limit_bytes " +
                                            std::to_string(params.mem_limit_bytes) +
                                            " is outside libsodium's limits");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), params.ops_limit, params.mem_limit_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(errc::capacity_exceeded, "PIN hash: cannot allocate " +
                                             std::to_string(params.mem_limit_bytes) + " bytes");
  return std::string(out);
}

bool verify_pin(std::string_view hash, std::string_view pin) noexcept {
  if (!is_well_formed_pin(pin) || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  try {
    ensure_sodium();
  } catch (...) {
    return false;
  }
  char stored[crypto_pwhash_STRBYTES] = {};
  std::copy(hash.begin(), hash.end(), stored);
  return crypto_pwhash_str_verify(stored, pin.data(), pin.size()) == 0;
}

void wipe_secret(std::string& secret) noexcept {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

std::string generate_pin(std::size_t digits) {
  if (digits < kMinPinDigits || digits > kMaxPinDigits)
    throw Error(errc::invalid_argument, "PIN length " + std::to_string(digits) + " is not in " +
                                            std::to_string(kMinPinDigits) + ".." +
                                            std::to_string(kMaxPinDigits));
  ensure_sodium();
  std::string pin(digits, '0');
  for (char& c : pin) c = static_cast<char>('0' + randombytes_uniform(10));
  return pin;
}

}  // namespace libconf::room
