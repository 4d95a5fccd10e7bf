#pragma once
/// @file
/// Sample rates and frame durations libconf works with. All audio inside the
/// library is mono, 16-bit signed linear PCM.

#include <cstddef>
#include <cstdint>

namespace libconf::audio {

/// Rates every stage supports (Hz).
inline constexpr int kSupportedSampleRatesHz[] = {8000, 16000, 24000, 32000, 48000};
/// Frame durations (packetisation times) the engine ticks at (ms).
inline constexpr int kSupportedPtimesMs[] = {10, 20, 40, 60};
inline constexpr int kDefaultPtimeMs = 20;
inline constexpr int kMaxSampleRateHz = 48000;
inline constexpr int kMaxPtimeMs = 60;
/// The largest frame any stage handles: 60 ms at 48 kHz.
inline constexpr std::size_t kMaxFrameSamples = kMaxSampleRateHz / 1000 * kMaxPtimeMs;

constexpr bool is_supported_sample_rate(int sample_rate_hz) noexcept {
  for (int r : kSupportedSampleRatesHz)
    if (r == sample_rate_hz) return true;
  return false;
}

constexpr bool is_supported_ptime(int ptime_ms) noexcept {
  for (int p : kSupportedPtimesMs)
    if (p == ptime_ms) return true;
  return false;
}

/// Samples in one frame of ptime_ms at sample_rate_hz (e.g. 160 for 20 ms at 8 kHz).
constexpr std::size_t samples_per_frame(int sample_rate_hz, int ptime_ms) noexcept {
  return static_cast<std::size_t>(sample_rate_hz / 1000 * ptime_ms);
}

}  // namespace libconf::audio
