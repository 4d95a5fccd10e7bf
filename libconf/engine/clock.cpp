#include "libconf/engine/clock.hpp"

#include <chrono>

namespace libconf::engine {

std::int64_t MonotonicClock::now_us() const noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace libconf::engine
