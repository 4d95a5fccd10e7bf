#include "libconf/room/lockout.hpp"

#include <algorithm>

#include "libconf/error.hpp"

namespace libconf::room {

void validate(const LockoutPolicy& p) {
  auto need_positive = [](std::int64_t v, const char* name) {
    if (v <= 0) throw Error(errc::invalid_argument, std::string("LockoutPolicy.") + name + " = " +
                                                        std::to_string(v) + " must be > 0");
  };
  need_positive(p.max_failures, "max_failures");
  need_positive(p.base_delay_ms, "base_delay_ms");
  need_positive(p.max_delay_ms, "max_delay_ms");
  need_positive(p.forget_after_ms, "forget_after_ms");
  if (p.max_delay_ms < p.base_delay_ms)
    throw Error(errc::invalid_argument, "LockoutPolicy.max_delay_ms = " + std::to_string(p.max_delay_ms) +
                                            " is below base_delay_ms = " + std::to_string(p.base_delay_ms));
}

LockoutTracker::LockoutTracker(LockoutPolicy policy) : policy_(policy) { validate(policy_); }

std::optional<std::int64_t> LockoutTracker::locked_until(std::string_view key, std::int64_t now_ms) const {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.locked_until_ms <= now_ms) return std::nullopt;
  return it->second.locked_until_ms;
}

LockoutTracker::Failure LockoutTracker::record_failure(std::string_view key, std::int64_t now_ms) {
  if (entries_.size() > kPruneAbove) prune(now_ms);
  Entry& e = entries_[std::string(key)];
  // Quiet for forget_after_ms since the last failure and the end of the last
  // lock-out: start afresh (a new entry is already fresh).
  if (std::max(e.last_failure_ms, e.locked_until_ms) + policy_.forget_after_ms <= now_ms)
    e = Entry{};
  e.last_failure_ms = now_ms;
  Failure out;
  if (++e.failures >= policy_.max_failures) {
    // delay = base * 2^lockouts, capped; the shift is bounded so it cannot overflow.
    const int shift = std::min(e.lockouts, 40);
    std::int64_t delay = policy_.base_delay_ms;
    for (int i = 0; i < shift && delay < policy_.max_delay_ms; ++i) delay *= 2;
    delay = std::min(delay, policy_.max_delay_ms);
    ++e.lockouts;
    e.failures = 0;
    e.locked_until_ms = now_ms + delay;
    out.locked_until_ms = e.locked_until_ms;
  }
  out.failures = e.failures;
  out.lockouts = e.lockouts;
  return out;
}

void LockoutTracker::record_success(std::string_view key) { entries_.erase(std::string(key)); }

void LockoutTracker::prune(std::int64_t now_ms) {
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    return std::max(e.last_failure_ms, e.locked_until_ms) + policy_.forget_after_ms <= now_ms;
  });
}

}  // namespace libconf::room
