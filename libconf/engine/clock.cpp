#include "libconf/engine/clock.hpp"

#include <time.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace libconf::engine {

void Clock::sleep_until_us(std::int64_t t_us) const noexcept {
  for (std::int64_t left = t_us - now_us(); left > 0; left = t_us - now_us())
    std::this_thread::sleep_for(std::chrono::microseconds(left));
}

std::int64_t MonotonicClock::now_us() const noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

void MonotonicClock::sleep_until_us(std::int64_t t_us) const noexcept {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(t_us / 1'000'000);
  ts.tv_nsec = static_cast<long>(t_us % 1'000'000) * 1000;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

}  // namespace libconf::engine
