#include "libconf/audio/level.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace libconf::audio {

double rms_dbfs(std::span<const std::int16_t> samples) noexcept {
  if (samples.empty()) return kSilenceDbfs;
  double sum = 0.0;
  for (std::int16_t s : samples) sum += static_cast<double>(s) * s;
  if (sum == 0.0) return kSilenceDbfs;
  const double rms = std::sqrt(sum / static_cast<double>(samples.size()));
  return std::max(kSilenceDbfs, 20.0 * std::log10(rms / 32768.0));
}

double db_to_gain(double db) noexcept { return std::pow(10.0, db / 20.0); }

double gain_to_db(double gain) noexcept {
  return gain <= 0.0 ? kSilenceDbfs : std::max(kSilenceDbfs, 20.0 * std::log10(gain));
}

int peak_abs(std::span<const std::int16_t> samples) noexcept {
  int peak = 0;
  for (std::int16_t s : samples) peak = std::max(peak, std::abs(static_cast<int>(s)));
  return peak;
}

}  // namespace libconf::audio
