#pragma once
// Test signal generators and measurements. Levels are dBFS as defined in
// libconf/audio/level.hpp (RMS relative to full-scale square).

#include <cstdint>
#include <span>
#include <vector>

namespace libconf::test {

/// Sine of freq_hz at rms level_dbfs, n samples, starting at phase 0.
std::vector<std::int16_t> sine(double freq_hz, double level_dbfs, int sample_rate_hz, std::size_t n,
                               double phase = 0.0);
/// Gaussian white noise at rms level_dbfs, deterministic for a seed.
std::vector<std::int16_t> white_noise(double level_dbfs, std::size_t n, std::uint32_t seed = 1);
/// Speech-like signal: harmonics of a gliding f0 with a syllable envelope
/// (about 4 syllables/s), rms about level_dbfs while voiced. Deterministic.
std::vector<std::int16_t> speech_like(double level_dbfs, int sample_rate_hz, std::size_t n,
                                      std::uint32_t seed = 1);
/// Adds b into a with saturation.
void mix_into(std::span<std::int16_t> a, std::span<const std::int16_t> b);
/// Normalised cross-correlation at lag 0 (−1..1); 0 when either is silent.
double correlation(std::span<const std::int16_t> a, std::span<const std::int16_t> b);
/// Largest |normalised cross-correlation| over lags 0..max_lag (b delayed vs a).
double max_correlation(std::span<const std::int16_t> a, std::span<const std::int16_t> b, std::size_t max_lag);
/// Level in dBFS of the component at freq_hz (Goertzel), as rms of that sine.
double tone_level_dbfs(std::span<const std::int16_t> x, double freq_hz, int sample_rate_hz);

}  // namespace libconf::test
