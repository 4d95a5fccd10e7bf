#pragma once
/// @file
/// Signal levels. dBFS here is RMS relative to a full-scale square wave
/// (32768): a full-scale sine measures -3.01 dBFS. Silence measures kSilenceDbfs.
/// All functions are real-time safe.

#include <cstdint>
#include <span>

namespace libconf::audio {

inline constexpr double kSilenceDbfs = -120.0;
/// 0 dBm0 in G.711 terms, expressed in this library's dBFS: the digital
/// milliwatt sine peaks 3.17 dB below the µ-law maximum, so its RMS sits at
/// -3.17 - 3.01 = -6.18 dBFS.
inline constexpr double kDbm0InDbfs = -6.18;

/// RMS level in dBFS (kSilenceDbfs for an all-zero or empty span).
double rms_dbfs(std::span<const std::int16_t> samples) noexcept;
/// Linear gain for a dB value (20·log10 convention).
double db_to_gain(double db) noexcept;
double gain_to_db(double gain) noexcept;
/// Peak absolute sample value.
int peak_abs(std::span<const std::int16_t> samples) noexcept;

}  // namespace libconf::audio
