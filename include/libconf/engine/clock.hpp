#pragma once
/// @file
/// Clock: where the engine's time comes from. The SIP host ticks from a
/// monotonic clock; the file host and every test from a VirtualClock, as fast
/// as the CPU allows. Times are microseconds since an arbitrary epoch.

#include <atomic>
#include <cstdint>

namespace libconf::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Current time in µs. Thread-safe, real-time safe.
  virtual std::int64_t now_us() const noexcept = 0;
  /// Blocks the calling thread until now_us() >= t_us (the engine's
  /// real-time loop sleeps to each tick's absolute deadline with it, so
  /// sleeping late never accumulates). The default sleeps in steps of the
  /// remaining time; MonotonicClock sleeps once, to the absolute time.
  virtual void sleep_until_us(std::int64_t t_us) const noexcept;
};

/// CLOCK_MONOTONIC (what std::chrono::steady_clock reads on Linux); sleeps
/// with clock_nanosleep(TIMER_ABSTIME).
class MonotonicClock final : public Clock {
 public:
  std::int64_t now_us() const noexcept override;
  void sleep_until_us(std::int64_t t_us) const noexcept override;
};

/// Time that moves only when told to. Thread-safe.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(std::int64_t start_us = 0) noexcept : now_(start_us) {}
  std::int64_t now_us() const noexcept override { return now_.load(std::memory_order_acquire); }
  /// Returns at once: virtual time moves only when told to.
  void sleep_until_us(std::int64_t) const noexcept override {}
  void advance_us(std::int64_t delta_us) noexcept { now_.fetch_add(delta_us, std::memory_order_acq_rel); }
  void set_us(std::int64_t t_us) noexcept { now_.store(t_us, std::memory_order_release); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace libconf::engine
