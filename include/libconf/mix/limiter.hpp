#pragma once
/// @file
/// Limiter: turns a float mix into int16 without clipping or wrap-around.
/// Attack is instant (computed per sub-frame from the peaks, so no sample
/// ever exceeds the threshold), release is smooth. Below the threshold the
/// limiter is transparent (gain exactly 1). Real-time safe.

#include <cstdint>
#include <span>

namespace libconf::mix {

struct LimiterConfig {
  /// Peak ceiling: -1 dBFS peak (29205) leaves headroom for codec overshoot
  /// (G.711 and Opus may add up to ~0.5 dB on peaks) without touching ±32767.
  float threshold = 29205.0f;
  /// Release in dB per second. 60 dB/s returns from 6 dB of limiting in
  /// 100 ms: short enough not to duck the next syllable, long enough to avoid
  /// audible pumping on a sustained loud talker (WebRTC's limiter releases on a
  /// similar time scale).
  float release_db_per_s = 60.0f;
};

class Limiter {
 public:
  /// Sub-frames per frame: the gain envelope has one point per sub-frame.
  static constexpr std::size_t kSubframes = 8;

  Limiter() = default;
  Limiter(const LimiterConfig& config, int sample_rate_hz, std::size_t frame_samples) noexcept;

  /// Writes the limited mix to out (in.size() == out.size() == frame samples,
  /// a multiple of kSubframes). Real-time safe.
  void process(std::span<const float> in, std::span<std::int16_t> out) noexcept;
  /// Current gain (1 = transparent).
  float gain() const noexcept { return gain_; }
  void reset() noexcept { gain_ = 1.0f; }

 private:
  float threshold_ = 29205.0f;
  float release_per_subframe_ = 1.0f;  // gain multiplier per sub-frame when releasing
  float gain_ = 1.0f;
};

}  // namespace libconf::mix
