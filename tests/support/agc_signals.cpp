#include "support/agc_signals.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "support/signals.hpp"

namespace libconf::test {
namespace {
std::int16_t sat(double v) { return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L)); }
double rms_for(double dbfs) { return 32768.0 * std::pow(10.0, dbfs / 20.0); }
std::size_t block_samples(int sample_rate_hz) { return static_cast<std::size_t>(sample_rate_hz / 100); }
double block_power(std::span<const std::int16_t> x) {
  double s = 0.0;
  for (auto v : x) s += double(v) * v;
  return x.empty() ? 0.0 : s / double(x.size());
}
double power_db(double p) { return p > 0 ? std::max(-120.0, 10.0 * std::log10(p / (32768.0 * 32768.0))) : -120.0; }
}  // namespace

std::vector<std::int16_t> pink_noise(double level_dbfs, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0.0, 1.0);
  std::vector<double> y(n);
  double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = dist(rng);
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.96900 * b2 + w * 0.1538520;
    b3 = 0.86650 * b3 + w * 0.3104856;
    b4 = 0.55000 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.0168980;
    y[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    sum += y[i] * y[i];
  }
  const double g = n && sum > 0 ? rms_for(level_dbfs) / std::sqrt(sum / double(n)) : 0.0;
  std::vector<std::int16_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = sat(y[i] * g);
  return out;
}

std::vector<std::int16_t> brown_noise(double level_dbfs, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> y(n);
  double acc = 0.0, sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = 0.998 * acc + g(rng);
    y[i] = acc;
    sum += acc * acc;
  }
  const double scale = 32768.0 * std::pow(10.0, level_dbfs / 20.0) / std::sqrt(sum / static_cast<double>(n));
  std::vector<std::int16_t> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<std::int16_t>(std::clamp(std::lround(y[i] * scale), -32768L, 32767L));
  return out;
}

std::vector<std::int16_t> talk_spurts(double level_dbfs, int sample_rate_hz, std::size_t n, int spurt_ms, int gap_ms,
                                      std::uint32_t seed) {
  std::vector<std::int16_t> out(n, 0);
  const auto speech = speech_like(level_dbfs, sample_rate_hz, n, seed);
  const std::size_t spurt = static_cast<std::size_t>(sample_rate_hz / 1000 * spurt_ms);
  const std::size_t period = spurt + static_cast<std::size_t>(sample_rate_hz / 1000 * gap_ms);
  for (std::size_t i = 0; i < n; ++i)
    if (i % period < spurt) out[i] = speech[i];
  return out;
}

std::vector<std::int16_t> concat(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
  std::vector<std::int16_t> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<bool> active_blocks(std::span<const std::int16_t> reference, int sample_rate_hz, double range_db,
                                double floor_dbfs) {
  const std::size_t bs = block_samples(sample_rate_hz);
  const std::size_t blocks = reference.size() / bs;
  std::vector<double> levels(blocks);
  double loudest = -120.0;
  for (std::size_t b = 0; b < blocks; ++b) {
    levels[b] = power_db(block_power(reference.subspan(b * bs, bs)));
    loudest = std::max(loudest, levels[b]);
  }
  std::vector<bool> mask(blocks);
  const double threshold = std::max(floor_dbfs, loudest - range_db);
  for (std::size_t b = 0; b < blocks; ++b) mask[b] = levels[b] > threshold;
  return mask;
}

double masked_level_dbfs(std::span<const std::int16_t> x, int sample_rate_hz, const std::vector<bool>& mask,
                         std::size_t begin, std::size_t end) {
  const std::size_t bs = block_samples(sample_rate_hz);
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t b = begin / bs; (b + 1) * bs <= std::min(end, x.size()) && b < mask.size(); ++b) {
    if (!mask[b]) continue;
    sum += block_power(x.subspan(b * bs, bs));
    ++count;
  }
  return count ? power_db(sum / double(count)) : -120.0;
}

double convergence_time_s(std::span<const std::int16_t> x, int sample_rate_hz, const std::vector<bool>& mask,
                          std::size_t begin, std::size_t end, double target_dbfs, double tol_db, int window_ms) {
  const std::size_t bs = block_samples(sample_rate_hz);
  const std::size_t window_blocks = static_cast<std::size_t>(window_ms / 10);
  const std::size_t window = bs * window_blocks;
  end = std::min(end, x.size());
  if (end < begin + window) return -1.0;
  std::size_t converged_at = begin + window;  // end of the first window
  bool any = false;
  for (std::size_t start = begin; start + window <= end; start += bs) {
    std::size_t active = 0;
    for (std::size_t b = start / bs; b < start / bs + window_blocks && b < mask.size(); ++b) active += mask[b];
    if (2 * active < window_blocks) continue;
    any = true;
    const double level = masked_level_dbfs(x, sample_rate_hz, mask, start, start + window);
    if (std::abs(level - target_dbfs) > tol_db) converged_at = start + bs + window;
  }
  if (!any || converged_at > end) return -1.0;
  return double(converged_at - begin) / sample_rate_hz;
}

}  // namespace libconf::test
