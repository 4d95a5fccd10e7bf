#pragma once
// Measurements for codec tests (header-only; owned by the codec area).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numbers>
#include <span>
#include <vector>

#include "support/signals.hpp"

namespace libconf::test {

/// Signal-to-noise ratio in dB of `test` against `ref` over min(size) samples:
/// 10·log10(Σref² / Σ(ref−test)²). Inserting zeros gives exactly 0 dB.
inline double snr_db(std::span<const std::int16_t> ref, std::span<const std::int16_t> test) {
  const std::size_t n = std::min(ref.size(), test.size());
  double sig = 0.0, err = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = double(ref[i]) - double(test[i]);
    sig += double(ref[i]) * ref[i];
    err += d * d;
  }
  if (err == 0.0) return 200.0;
  if (sig == 0.0) return -200.0;
  return 10.0 * std::log10(sig / err);
}

/// The lag (0..max_lag) at which `delayed` best matches `ref` (b[lag + i] ~ a[i]).
inline std::size_t best_lag(std::span<const std::int16_t> ref, std::span<const std::int16_t> delayed,
                            std::size_t max_lag) {
  std::size_t best = 0;
  double best_c = -2.0;
  for (std::size_t lag = 0; lag <= max_lag && lag < delayed.size(); ++lag) {
    const double c = correlation(ref, delayed.subspan(lag));
    if (c > best_c) best_c = c, best = lag;
  }
  return best;
}

/// Largest |x[i] − x[i−1]| for i in [begin, end) (clamped to the signal).
inline int max_step(std::span<const std::int16_t> x, std::size_t begin = 1, std::size_t end = SIZE_MAX) {
  int m = 0;
  for (std::size_t i = std::max<std::size_t>(begin, 1); i < std::min(end, x.size()); ++i)
    m = std::max(m, std::abs(int(x[i]) - int(x[i - 1])));
  return m;
}

/// x through a 2nd-order Butterworth high-pass (RBJ biquad, Q = 1/sqrt 2) at
/// cutoff_hz. Applying the same filter to a reference and a codec output
/// compares them in a band (e.g. the 300 Hz telephone band edge).
inline std::vector<std::int16_t> highpass(std::span<const std::int16_t> x, double cutoff_hz, int sample_rate_hz) {
  const double w = 2.0 * std::numbers::pi * cutoff_hz / sample_rate_hz;
  const double alpha = std::sin(w) / std::numbers::sqrt2, c = std::cos(w), a0 = 1.0 + alpha;
  const double b0 = (1.0 + c) / 2.0 / a0, b1 = -(1.0 + c) / a0, b2 = b0;
  const double a1 = -2.0 * c / a0, a2 = (1.0 - alpha) / a0;
  std::vector<std::int16_t> y(x.size());
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double v = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x[i], y2 = y1, y1 = v;
    y[i] = static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
  }
  return y;
}

}  // namespace libconf::test
