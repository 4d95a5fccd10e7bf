#include "libconf/room/pin_throttle.hpp"

#include <algorithm>

#include "libconf/error.hpp"

namespace libconf::room {

void validate(const PinThrottlePolicy& p) {
  auto positive = [](std::int64_t v, const char* name) {
    if (v <= 0)
      throw Error(errc::invalid_argument,
                  std::string("PinThrottlePolicy.") + name + " = " + std::to_string(v) + " must be > 0");
  };
  positive(p.free_failures, "free_failures");
  positive(p.base_spacing_ms, "base_spacing_ms");
  positive(p.max_spacing_ms, "max_spacing_ms");
  positive(p.forget_after_ms, "forget_after_ms");
  positive(p.max_wait_ms, "max_wait_ms");
  positive(p.max_in_flight, "max_in_flight");
  if (p.max_spacing_ms < p.base_spacing_ms)
    throw Error(errc::invalid_argument, "PinThrottlePolicy.max_spacing_ms = " + std::to_string(p.max_spacing_ms) +
                                            " is below base_spacing_ms = " + std::to_string(p.base_spacing_ms));
  if (p.max_wait_ms < p.base_spacing_ms)
    throw Error(errc::invalid_argument, "PinThrottlePolicy.max_wait_ms = " + std::to_string(p.max_wait_ms) +
                                            " is below base_spacing_ms = " + std::to_string(p.base_spacing_ms));
}

PinThrottle::PinThrottle(PinThrottlePolicy policy) : policy_(policy) { validate(policy_); }

bool PinThrottle::forgotten(const Entry& e, std::int64_t now_ms) const noexcept {
  return e.in_flight == 0 && e.failures > 0 && e.last_failure_ms + policy_.forget_after_ms <= now_ms;
}

std::int64_t PinThrottle::spacing(const Entry& e) const noexcept {
  const int level = e.failures / policy_.free_failures;
  if (level == 0) return 0;
  std::int64_t s = policy_.base_spacing_ms;
  for (int i = 1; i < std::min(level, 40) && s < policy_.max_spacing_ms; ++i) s *= 2;
  return std::min(s, policy_.max_spacing_ms);
}

std::int64_t PinThrottle::spacing_ms(std::string_view key, std::int64_t now_ms) const {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || forgotten(it->second, now_ms)) return 0;
  return spacing(it->second);
}

std::int64_t PinThrottle::next_slot_ms(std::string_view key, std::int64_t now_ms) const {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || forgotten(it->second, now_ms)) return now_ms;
  return std::max(now_ms, it->second.next_slot_ms);
}

PinThrottle::Reservation PinThrottle::reserve(std::string_view key, std::int64_t now_ms, bool queued) {
  if (entries_.size() > kPruneAbove) prune(now_ms);
  Entry& e = entries_[std::string(key)];
  if (forgotten(e, now_ms)) e = Entry{};
  Reservation r;
  if (e.in_flight >= policy_.max_in_flight) {
    r.kind = Reservation::Kind::busy;
    return r;
  }
  const std::int64_t at = std::max(now_ms, e.next_slot_ms);
  if (!queued && at - now_ms > policy_.max_wait_ms) {
    r.kind = Reservation::Kind::too_far;
    r.retry_at_ms = at - policy_.max_wait_ms;
    return r;
  }
  ++e.in_flight;
  e.next_slot_ms = at + spacing(e);
  r.slot = Slot{at, e.next_slot_ms};
  return r;
}

void PinThrottle::record_result(std::string_view key, bool failed, std::int64_t now_ms) {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  Entry& e = it->second;
  e.in_flight = std::max(0, e.in_flight - 1);
  if (failed) {
    ++e.failures;
    e.last_failure_ms = now_ms;
  }
}

void PinThrottle::release(std::string_view key, const Slot& slot) {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  Entry& e = it->second;
  e.in_flight = std::max(0, e.in_flight - 1);
  if (e.next_slot_ms == slot.next_ms) e.next_slot_ms = slot.at_ms;
}

void PinThrottle::prune(std::int64_t now_ms) {
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    return e.in_flight == 0 && std::max(e.last_failure_ms, e.next_slot_ms) + policy_.forget_after_ms <= now_ms;
  });
}

}  // namespace libconf::room
