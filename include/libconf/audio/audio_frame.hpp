#pragma once
/// @file
/// AudioFrame: one packetisation interval of mono 16-bit PCM with its rate and
/// media timestamp. Storage is inline (no heap), sized for the largest frame
/// (60 ms at 48 kHz), so frames can live in per-leg buffers sized at join.

#include <array>
#include <cstdint>
#include <span>

#include "libconf/audio/format.hpp"
#include "libconf/error.hpp"

namespace libconf::audio {

class AudioFrame {
 public:
  AudioFrame() = default;

  /// Sets rate and duration and zeroes the samples. Not for the frame path's
  /// hot loop, but allocation-free. Errors: unsupported_sample_rate,
  /// unsupported_frame_size.
  [[nodiscard]] Result<void> configure(int sample_rate_hz, int ptime_ms) noexcept {
    if (!is_supported_sample_rate(sample_rate_hz)) return errc::unsupported_sample_rate;
    if (!is_supported_ptime(ptime_ms)) return errc::unsupported_frame_size;
    sample_rate_hz_ = sample_rate_hz;
    ptime_ms_ = ptime_ms;
    size_ = samples_per_frame(sample_rate_hz, ptime_ms);
    timestamp_ = 0;
    fill(0);
    return {};
  }

  int sample_rate_hz() const noexcept { return sample_rate_hz_; }
  int ptime_ms() const noexcept { return ptime_ms_; }
  std::size_t size() const noexcept { return size_; }

  /// Media timestamp of the first sample, in samples at sample_rate_hz()
  /// since the stream began.
  std::int64_t timestamp() const noexcept { return timestamp_; }
  void set_timestamp(std::int64_t samples) noexcept { timestamp_ = samples; }

  std::span<std::int16_t> samples() noexcept { return {data_.data(), size_}; }
  std::span<const std::int16_t> samples() const noexcept { return {data_.data(), size_}; }

  void fill(std::int16_t value) noexcept {
    for (auto& s : samples()) s = value;
  }

 private:
  std::array<std::int16_t, kMaxFrameSamples> data_{};
  std::size_t size_ = samples_per_frame(8000, kDefaultPtimeMs);
  std::int64_t timestamp_ = 0;
  int sample_rate_hz_ = 8000;
  int ptime_ms_ = kDefaultPtimeMs;
};

}  // namespace libconf::audio
