#pragma once
/// @file
/// ComfortNoise: deterministic background noise at a given level, white
/// (spectrally flat) or pink-ish (-3 dB/octave over the speech band), used to
/// fill gaps such as a suppressed DTMF digit so the listener does not hear a
/// hole. Same seed, same samples.
/// Thread-safety: one instance per stream, one thread at a time.
/// Real-time safety: generate(), next(), set_level_dbfs(), reset() allocate nothing.

#include <cstdint>
#include <span>

namespace libconf::dsp {

enum class NoiseColor { kWhite, kPink };

struct ComfortNoiseConfig {
  /// RMS level, dBFS (audio/level.hpp convention). Below -100 gives silence. At most 0.
  double level_dbfs = -60.0;
  NoiseColor color = NoiseColor::kPink;
  std::uint32_t seed = 1;  ///< any value (0 is mapped to 1)
};

class ComfortNoise {
 public:
  /// Throws libconf::Error naming a level above 0 dBFS.
  explicit ComfortNoise(const ComfortNoiseConfig& config = {});
  /// Writes the next out.size() samples of noise.
  void generate(std::span<std::int16_t> out) noexcept;
  /// The next noise sample (sample units, not rounded).
  double next() noexcept;
  /// Changes the level from the next sample on (clamped to ≤ 0 dBFS).
  void set_level_dbfs(double level_dbfs) noexcept;
  double level_dbfs() const noexcept { return level_dbfs_; }
  /// Restarts the sequence from the seed.
  void reset() noexcept;

 private:
  double white() noexcept;
  double unit() noexcept;  // unit-rms noise of the chosen colour

  NoiseColor color_;
  std::uint32_t seed_;
  std::uint32_t state_;
  double level_dbfs_ = -60.0;
  double gain_ = 0.0;       // sample units per unit-rms noise
  static double pink_normalisation();
  double pink_norm_ = 1.0;  // makes the pink filter's output unit-rms
  double b0_ = 0.0, b1_ = 0.0, b2_ = 0.0;
};

}  // namespace libconf::dsp
