#pragma once
/// @file
/// Brute-force protection for PIN entry: failures counted per key (a caller, a
/// room), lock-out with exponential backoff. Pure logic with an injected clock
/// (now_ms, any monotonic millisecond time base). Not thread-safe: one owner.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace libconf::room {

/// After `max_failures` wrong PINs the key is locked for base_delay_ms; each
/// further lock-out doubles the delay up to max_delay_ms. A key that has seen no
/// failure for forget_after_ms (and is not locked) starts afresh.
struct LockoutPolicy {
  int max_failures = 3;
  std::int64_t base_delay_ms = 30'000;
  std::int64_t max_delay_ms = 3'600'000;
  std::int64_t forget_after_ms = 3'600'000;
};

/// Throws Error(invalid_argument) naming the field if a value is not positive or
/// max_delay_ms < base_delay_ms.
void validate(const LockoutPolicy& policy);

class LockoutTracker {
 public:
  /// Keys kept at most; beyond it, forgotten keys are pruned (bounds memory when
  /// an attacker rotates caller IDs).
  static constexpr std::size_t kPruneAbove = 10'000;

  explicit LockoutTracker(LockoutPolicy policy);

  /// The end of the current lock-out of `key`, or nullopt if it may try now.
  std::optional<std::int64_t> locked_until(std::string_view key, std::int64_t now_ms) const;

  struct Failure {
    int failures = 0;                 ///< consecutive failures counted so far (0 after a lock-out starts)
    int lockouts = 0;                 ///< lock-outs of this key so far
    std::optional<std::int64_t> locked_until_ms;  ///< set when this failure locked the key
  };
  /// Counts one wrong PIN for `key`.
  Failure record_failure(std::string_view key, std::int64_t now_ms);
  /// A right PIN: the key's failures and lock-out history are forgotten.
  void record_success(std::string_view key);

  const LockoutPolicy& policy() const noexcept { return policy_; }
  std::size_t tracked_keys() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    int lockouts = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t locked_until_ms = 0;
  };
  void prune(std::int64_t now_ms);

  LockoutPolicy policy_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace libconf::room
