#include "libconf/dsp/comfort_noise.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libconf/error.hpp"

namespace libconf::dsp {
namespace {
/// Below this level the generator writes exact zeros.
constexpr double kSilentBelowDbfs = -100.0;
}  // namespace

double ComfortNoise::pink_normalisation() {
  static const double norm = [] {
    ComfortNoiseConfig c;
    c.color = NoiseColor::kWhite;  // no recursion into this function
    c.seed = 1;
    ComfortNoise probe(c);
    probe.color_ = NoiseColor::kPink;
    probe.pink_norm_ = 1.0;
    double sum = 0.0;
    constexpr int kN = 1 << 16;
    for (int i = 0; i < kN; ++i) {
      const double v = probe.unit();
      sum += v * v;
    }
    return 1.0 / std::sqrt(sum / kN);
  }();
  return norm;
}

ComfortNoise::ComfortNoise(const ComfortNoiseConfig& config)
    : color_(config.color), seed_(config.seed == 0 ? 1u : config.seed), state_(seed_) {
  if (!(config.level_dbfs <= 0.0))
    throw Error(errc::invalid_argument,
                "ComfortNoiseConfig: level_dbfs " + std::to_string(config.level_dbfs) + " is above 0 dBFS");
  // The pink filter is fixed, so its gain is measured once per process (on
  // 2^16 samples of seed 1's stream; any other seed's level is within
  // 0.05 dB): a leg joining costs microseconds, not the milliseconds of a
  // measurement per instance.
  if (color_ == NoiseColor::kPink) pink_norm_ = pink_normalisation();
  set_level_dbfs(config.level_dbfs);
  reset();
}

void ComfortNoise::reset() noexcept {
  state_ = seed_;
  b0_ = b1_ = b2_ = 0.0;
}

void ComfortNoise::set_level_dbfs(double level_dbfs) noexcept {
  level_dbfs_ = std::min(level_dbfs, 0.0);
  gain_ = level_dbfs_ < kSilentBelowDbfs ? 0.0 : 32768.0 * std::pow(10.0, level_dbfs_ / 20.0);
}

double ComfortNoise::white() noexcept {
  // xorshift32 (Marsaglia 2003): period 2^32-1, plenty for noise. The sum of
  // four uniforms is close to Gaussian; each uniform on [-0.5, 0.5) has
  // variance 1/12, so the sum has 1/3 and sqrt(3) makes it unit-rms.
  double sum = 0.0;
  for (int i = 0; i < 4; ++i) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    sum += static_cast<double>(state_) * (1.0 / 4294967296.0) - 0.5;
  }
  return sum * 1.7320508075688772;
}

double ComfortNoise::next() noexcept { return unit() * gain_; }

double ComfortNoise::unit() noexcept {
  double w = white();
  if (color_ == NoiseColor::kPink) {
    // Paul Kellet's three-pole "economy" pinking filter: -3 dB/octave within
    // about 1 dB over the speech band at 8-48 kHz.
    b0_ = 0.99765 * b0_ + w * 0.0990460;
    b1_ = 0.96300 * b1_ + w * 0.2965164;
    b2_ = 0.57000 * b2_ + w * 1.0526913;
    w = (b0_ + b1_ + b2_ + w * 0.1848) * pink_norm_;
  }
  return w;
}

void ComfortNoise::generate(std::span<std::int16_t> out) noexcept {
  if (gain_ == 0.0) {
    std::fill(out.begin(), out.end(), std::int16_t{0});
    return;
  }
  for (auto& s : out) s = static_cast<std::int16_t>(std::clamp(std::lround(next()), -32768L, 32767L));
}

}  // namespace libconf::dsp
