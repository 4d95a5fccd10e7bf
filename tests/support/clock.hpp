#pragma once
// Time for tests that run transports in real time (UDP on 127.0.0.1): the
// steady clock in µs, the same kind of clock engine::MonotonicClock reads.

#include <chrono>
#include <cstdint>

namespace libconf::test {

inline std::int64_t steady_us() noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace libconf::test
