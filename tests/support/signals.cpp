#include "support/signals.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace libconf::test {
namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
std::int16_t sat(double v) { return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L)); }
double rms_for(double dbfs) { return 32768.0 * std::pow(10.0, dbfs / 20.0); }
}  // namespace

std::vector<std::int16_t> sine(double freq_hz, double level_dbfs, int sample_rate_hz, std::size_t n, double phase) {
  std::vector<std::int16_t> out(n);
  const double amp = rms_for(level_dbfs) * std::numbers::sqrt2;
  for (std::size_t i = 0; i < n; ++i)
    out[i] = sat(amp * std::sin(phase + kTwoPi * freq_hz * static_cast<double>(i) / sample_rate_hz));
  return out;
}

std::vector<std::int16_t> white_noise(double level_dbfs, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0.0, rms_for(level_dbfs));
  std::vector<std::int16_t> out(n);
  for (auto& s : out) s = sat(dist(rng));
  return out;
}

std::vector<std::int16_t> speech_like(double level_dbfs, int sample_rate_hz, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> buf(n);
  const double base_f0 = 100.0 + 120.0 * u(rng);
  double phase = 0.0;
  const double syllable_hz = 3.5 + u(rng);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sample_rate_hz;
    const double f0 = base_f0 * (1.0 + 0.15 * std::sin(kTwoPi * 0.7 * t));
    phase += kTwoPi * f0 / sample_rate_hz;
    double v = 0.0;
    for (int h = 1; h <= 12 && h * f0 < sample_rate_hz / 2.0 - 200; ++h) {
      // Formant-ish spectral tilt: harmonics near 500 Hz and 1500 Hz stronger.
      const double f = h * f0;
      const double w = 1.0 / h + 0.6 * std::exp(-std::pow((f - 500.0) / 250.0, 2)) +
                       0.3 * std::exp(-std::pow((f - 1500.0) / 400.0, 2));
      v += w * std::sin(h * phase);
    }
    const double env = std::max(0.0, std::sin(std::numbers::pi * std::fmod(t * syllable_hz, 1.0)));
    buf[i] = v * env;
  }
  double sum = 0.0;
  std::size_t voiced = 0;
  for (double v : buf)
    if (v != 0.0) { sum += v * v; ++voiced; }
  const double rms = voiced ? std::sqrt(sum / voiced) : 1.0;
  const double g = rms_for(level_dbfs) / rms;
  std::vector<std::int16_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = sat(buf[i] * g);
  return out;
}

void mix_into(std::span<std::int16_t> a, std::span<const std::int16_t> b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) a[i] = sat(double(a[i]) + b[i]);
}

double correlation(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
  const std::size_t n = std::min(a.size(), b.size());
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) { ab += double(a[i]) * b[i]; aa += double(a[i]) * a[i]; bb += double(b[i]) * b[i]; }
  return (aa == 0 || bb == 0) ? 0.0 : ab / std::sqrt(aa * bb);
}

double max_correlation(std::span<const std::int16_t> a, std::span<const std::int16_t> b, std::size_t max_lag) {
  double best = 0.0;
  for (std::size_t lag = 0; lag <= max_lag && lag < b.size(); ++lag) {
    const double c = std::abs(correlation(a, b.subspan(lag)));
    best = std::max(best, c);
  }
  return best;
}

double tone_level_dbfs(std::span<const std::int16_t> x, double freq_hz, int sample_rate_hz) {
  if (x.empty()) return -120.0;
  const double k = kTwoPi * freq_hz / sample_rate_hz;
  double re = 0, im = 0;
  for (std::size_t i = 0; i < x.size(); ++i) { re += x[i] * std::cos(k * i); im -= x[i] * std::sin(k * i); }
  const double amp = 2.0 * std::sqrt(re * re + im * im) / x.size();  // sine amplitude
  const double rms = amp / std::numbers::sqrt2;
  return rms <= 0 ? -120.0 : std::max(-120.0, 20.0 * std::log10(rms / 32768.0));
}

}  // namespace libconf::test
