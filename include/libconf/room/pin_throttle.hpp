#pragma once
/// @file
/// Room-wide PIN throttle: slows guessing instead of locking everyone out.
///
/// Failures are counted per key (a room) as in LockoutTracker, but they never
/// refuse a right PIN: once `free_failures` wrong PINs were counted, PIN
/// checks of the key are spaced `base_spacing_ms` apart, doubling with each
/// further `free_failures` failures up to `max_spacing_ms`. A check reserves
/// the next free slot and runs then (the caller waits); only a caller whose
/// slot is more than `max_wait_ms` away is turned away (sent to the
/// operator). At most `max_in_flight` checks of a key run at once, so
/// parallel guesses get at most that many verified before their failures
/// count; legitimate callers arriving together are not slowed by it (checks
/// take milliseconds). With the defaults the long-run guess rate is the old
/// room lock-out's (20 per 60 s, halving per 20 further failures, down to 20
/// per hour), while those who know the PIN wait seconds instead of being
/// refused for minutes.
///
/// Pure logic with an injected clock; not thread-safe (one owner).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace libconf::room {

struct PinThrottlePolicy {
  int free_failures = 20;                 ///< failures before checks are spaced, and per doubling
  std::int64_t base_spacing_ms = 3'000;   ///< spacing at the first level (20 per 60 s)
  std::int64_t max_spacing_ms = 180'000;  ///< cap (20 per hour)
  std::int64_t forget_after_ms = 3'600'000;  ///< quiet this long: the count starts afresh
  std::int64_t max_wait_ms = 30'000;      ///< a caller waits at most this long for its slot
  int max_in_flight = 8;                  ///< checks of one key verifying at once
};

/// Throws Error(invalid_argument) naming the field when a value is not positive,
/// max_spacing_ms < base_spacing_ms, or max_wait_ms < base_spacing_ms.
void validate(const PinThrottlePolicy& policy);

class PinThrottle {
 public:
  /// Keys kept at most before forgotten ones are pruned.
  static constexpr std::size_t kPruneAbove = 10'000;

  /// A reserved check: when it may run, and where it moved the next slot to.
  struct Slot {
    std::int64_t at_ms = 0;
    std::int64_t next_ms = 0;
  };
  /// What reserve() answered.
  struct Reservation {
    enum class Kind {
      granted,  ///< slot holds the check's time
      busy,     ///< max_in_flight checks run: ask again when one reports
      too_far,  ///< the slot would be more than max_wait_ms away (retry_at_ms)
    };
    Kind kind = Kind::granted;
    Slot slot;
    std::int64_t retry_at_ms = 0;
  };

  explicit PinThrottle(PinThrottlePolicy policy);

  /// Reserves a check of `key`. A granted reservation is in flight until
  /// record_result() or release(). queued: the check already waited its turn
  /// (it was busy before), so the wait limit does not turn it away now.
  Reservation reserve(std::string_view key, std::int64_t now_ms, bool queued = false);
  /// The check of a reservation ran: `failed` counts a wrong PIN.
  void record_result(std::string_view key, bool failed, std::int64_t now_ms);
  /// The reserved check will not run (the caller gave up before it). Its slot
  /// is handed back only when no later slot was given out meanwhile; else it
  /// stays unused, so giving up never lets two checks run closer than the spacing.
  void release(std::string_view key, const Slot& slot);
  /// When the next slot of `key` is free (now_ms when no spacing applies).
  std::int64_t next_slot_ms(std::string_view key, std::int64_t now_ms) const;
  /// Current spacing between checks of `key`, ms (0: unthrottled).
  std::int64_t spacing_ms(std::string_view key, std::int64_t now_ms) const;

  const PinThrottlePolicy& policy() const noexcept { return policy_; }
  std::size_t tracked_keys() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t next_slot_ms = 0;
  };
  std::int64_t spacing(const Entry& e) const noexcept;
  bool forgotten(const Entry& e, std::int64_t now_ms) const noexcept;
  void prune(std::int64_t now_ms);

  PinThrottlePolicy policy_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace libconf::room
