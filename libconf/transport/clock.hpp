#pragma once
// Clocks of the transport layer: monotonic µs for arrival times and timers,
// NTP-format wall clock for RTCP sender reports. Both are vDSO calls: no
// syscall, no allocation.

#include <time.h>

#include <cstdint>

namespace libconf::transport::detail {

inline std::int64_t monotonic_us() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

/// NTP timestamp: seconds since 1900-01-01 in the high 32 bits, fraction in the low.
inline std::uint64_t ntp_now() noexcept {
  constexpr std::uint64_t kUnixToNtpSeconds = 2'208'988'800ull;  // 70 years incl. 17 leap days
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const std::uint64_t seconds = static_cast<std::uint64_t>(ts.tv_sec) + kUnixToNtpSeconds;
  const std::uint64_t fraction = (static_cast<std::uint64_t>(ts.tv_nsec) << 32) / 1'000'000'000ull;
  return (seconds << 32) | fraction;
}

/// splitmix64: cheap, allocation-free randomness for RTCP interval jitter.
inline std::uint64_t next_random(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace libconf::transport::detail
