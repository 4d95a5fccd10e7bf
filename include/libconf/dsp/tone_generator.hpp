#pragma once
/// @file
/// Call-progress tones (dial, ringback, busy, congestion) with the ITU-T
/// E.180 / national defaults of a few regions, and a generator that plays any
/// ToneSpec frame by frame, keeping phase and cadence position across frames.
/// Thread-safety: one instance per stream, one thread at a time.
/// Real-time safety: set_tone(), generate(), stop() allocate nothing.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "libconf/dsp/tone_oscillator.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {

enum class ToneRegion {
  kEurope,         ///< CEPT / ETSI ES 201 970 harmonised tones (425 Hz)
  kNorthAmerica,   ///< the precise tone plan (350+440, 440+480, 480+620)
  kUnitedKingdom,  ///< BT SIN 350 (350+440 dial, 400+450 double-ring)
  kGermany,        ///< Deutsche Telekom 1 TR 110 (425 Hz, 480 ms busy)
  kSwitzerland,    ///< Swisscom (425 Hz, 200 ms congestion)
  kJapan,          ///< NTT (400 Hz; ringback 400 Hz modulated by 16 Hz)
};

enum class CallProgressTone { kDial, kRingback, kBusy, kCongestion };

/// One tone: up to two summed frequencies, optional amplitude modulation, and
/// a cadence of on/off durations repeated forever.
struct ToneSpec {
  /// Frequencies summed, Hz; 0 marks an unused slot. Each < sample rate / 2.
  std::array<double, 2> frequencies_hz{};
  /// Amplitude modulation rate, Hz (0: none). Depth is kModulationDepth.
  double modulation_hz = 0.0;
  /// Level of each frequency component, dBm0 (rms of that sine; for a
  /// modulated tone, of the sine at the envelope's peak).
  double level_dbm0 = -13.0;
  /// on, off, on, off... in ms; a 0 ends the list. All zero: continuous.
  std::array<int, 6> cadence_ms{};
};

/// Modulation depth used for ToneSpec::modulation_hz (E.180 gives the rate,
/// not the depth; 0.85 keeps the 16 Hz "warble" of Japan's ringback distinct
/// without gaps).
inline constexpr double kModulationDepth = 0.85;

/// The preset for a region and tone (values in the source, with their origin).
ToneSpec tone_spec(ToneRegion region, CallProgressTone tone) noexcept;
/// "europe", "north_america", "uk", "germany", "switzerland", "japan";
/// errc::not_found for anything else.
Result<ToneRegion> tone_region_from_name(std::string_view name) noexcept;

class ToneGenerator {
 public:
  /// Silent until set_tone(). Throws libconf::Error naming a bad rate.
  explicit ToneGenerator(int sample_rate_hz);
  /// Plays spec. Throws libconf::Error naming a bad rate or a bad field of spec.
  ToneGenerator(int sample_rate_hz, const ToneSpec& spec);

  /// Starts spec from the beginning of its cadence. Errors: invalid_argument
  /// (a frequency outside [0, rate/2), a negative cadence entry, level > 3 dBm0);
  /// the previous tone keeps playing then.
  [[nodiscard]] Result<void> set_tone(const ToneSpec& spec) noexcept;
  /// Fills out with the next samples of the tone (silence when stopped).
  void generate(std::span<std::int16_t> out) noexcept;
  void stop() noexcept { playing_ = false; }
  bool playing() const noexcept { return playing_; }
  int sample_rate_hz() const noexcept { return rate_; }

 private:
  int rate_;
  bool playing_ = false;
  std::array<ToneOscillator, 2> tones_{};
  ToneOscillator modulator_{};
  bool modulated_ = false;
  std::array<std::uint32_t, 6> cadence_samples_{};
  int segments_ = 0;  // 0: continuous
  int segment_ = 0;
  std::uint32_t segment_left_ = 0;
};

}  // namespace libconf::dsp
