#pragma once
// Signals and measurements for the AGC and talker-detector tests and the AGC
// bench. Levels are dBFS as in libconf/audio/level.hpp (RMS re full-scale
// square). Generators are deterministic for a seed.

#include <cstdint>
#include <span>
#include <vector>

namespace libconf::test {

/// Pink (1/f) noise at rms level_dbfs: Gaussian white noise through Paul
/// Kellet's 7-pole 1/f filter (±0.05 dB from 9 Hz to Nyquist at 44.1 kHz),
/// rescaled to the exact rms.
std::vector<std::int16_t> pink_noise(double level_dbfs, std::size_t n, std::uint32_t seed = 1);

/// Brown (1/f^2, "red") noise at rms level_dbfs: Gaussian white noise through
/// a leaky integrator (pole at 0.998, i.e. flat below ~2.5 Hz at 8 kHz and
/// -6 dB/octave above), rescaled to the exact rms.
std::vector<std::int16_t> brown_noise(double level_dbfs, std::size_t n, std::uint32_t seed = 1);

/// Talk spurts: speech_like() bursts of spurt_ms at level_dbfs separated by
/// gap_ms of digital silence, n samples in all.
std::vector<std::int16_t> talk_spurts(double level_dbfs, int sample_rate_hz, std::size_t n, int spurt_ms,
                                      int gap_ms, std::uint32_t seed = 1);

/// Concatenation of a and b.
std::vector<std::int16_t> concat(std::span<const std::int16_t> a, std::span<const std::int16_t> b);

/// Per-block flags: true where the reference's 10 ms block level is above
/// max(floor_dbfs, loudest block − range_db). Marks the active speech of a
/// clean reference so the same blocks can be measured in a processed copy.
std::vector<bool> active_blocks(std::span<const std::int16_t> reference, int sample_rate_hz, double range_db = 35.0,
                                double floor_dbfs = -70.0);

/// Power-average level (dBFS) of x over the 10 ms blocks flagged in mask,
/// restricted to samples [begin, end). -120 if no block is flagged.
double masked_level_dbfs(std::span<const std::int16_t> x, int sample_rate_hz, const std::vector<bool>& mask,
                         std::size_t begin, std::size_t end);

/// Convergence time (s, from `begin`) of x's level toward target_dbfs, as a
/// listener measuring over window_ms would see it: the end of the first
/// window (hop 10 ms) after which every window that ends by `end` and is at
/// least half active speech (per mask) has a masked level within tol_db of
/// the target. Windows with less active speech are skipped. Returns a
/// negative value if it never converges.
double convergence_time_s(std::span<const std::int16_t> x, int sample_rate_hz, const std::vector<bool>& mask,
                          std::size_t begin, std::size_t end, double target_dbfs, double tol_db = 2.0,
                          int window_ms = 500);

}  // namespace libconf::test
