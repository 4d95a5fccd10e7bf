#pragma once
/// @file
/// In-band DTMF detector (ITU-T Q.24 / Telcordia LSSGR receiver criteria) for
/// one leg's decoded audio at 8, 16, 24, 32 or 48 kHz.
///
/// How it works: eight Goertzel filters (the Q.23 frequencies) run on
/// contiguous half-blocks of 6.375 ms (51 samples at 8 kHz). Every half-block
/// a 12.75 ms window (the last two half-blocks) is judged: level, twist,
/// dominance inside each group, share of the window's total energy, and the
/// tone frequencies themselves, measured from the phase advance between the
/// two half-blocks (so a tone 3.5 % off is rejected even though it falls in
/// the Goertzel main lobe). Dominance inside each group is judged after
/// removing what the pair itself leaks into the other bins (both tones fitted
/// at their measured frequencies), so twist does not make a digit's
/// detection depend on the tones' phases. A window that would count as a hit
/// towards a digit not yet confirmed must also show no second harmonic of the
/// high tone, and a run of such windows may hold at most one that shows a
/// harmonic comb (energy at the other multiples of an f0 of which both tones
/// are harmonics): voiced speech does, a DTMF pair does not. A debounce turns
/// window hits into digit events:
///
///   hits needed to start a digit      kOnHits    = 4  (tone ≥ 32 ms always starts, ≤ 25 ms never)
///   misses needed to end a digit      kOffMisses = 5  (drop-out ≤ 19 ms bridged, pause ≥ 26 ms separates)
///
/// Digits need not be aligned to frames: process() takes any number of samples.
/// Thread-safety: one instance per leg, used from one thread at a time.
/// Real-time safety: process() and reset() are noexcept and allocate nothing.

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>

#include "libconf/dsp/dtmf.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {

struct DtmfDetectorConfig {
  /// Input rate: 8000, 16000, 24000, 32000 or 48000.
  int sample_rate_hz = 8000;
  /// Weakest tone (each of the pair) that can operate, dBm0. Q.24 asks for
  /// operation down to -25 dBm0 per tone; -36 leaves room for 8 dB of twist
  /// below that and for codec loss. Range -60..0.
  double min_tone_dbm0 = -36.0;
  /// Largest accepted "normal" twist: high-group tone weaker than the low-group
  /// one, dB. Q.24 asks for 8 dB; 10 covers the -1.4 dB Goertzel scalloping of a
  /// 1633 Hz tone 1.5 % off. Range 0..20.
  double max_normal_twist_db = 10.0;
  /// Largest accepted "reverse" twist: high-group tone louder, dB. Q.24 asks for
  /// 4 dB; 5.5 adds the scalloping margin. Range 0..20.
  double max_reverse_twist_db = 5.5;
  /// Largest accepted frequency deviation, percent of the nominal frequency.
  /// Q.24: operate at ≤ 1.5 %, never at ≥ 3.5 %; 2.5 is the midpoint. Range 0.5..3.5.
  double max_frequency_deviation_percent = 2.5;
  /// The two tones must carry at least this share of the window's energy.
  /// Speech and music spread their energy over many harmonics. Measured on the
  /// bench/dtmf corpus (40 min): 0.6 lets 6 false digits through, 0.7 one;
  /// 0.7 still detects every digit at 6 dB SNR, 0.75 starts missing some.
  /// Range 0.1..1.
  double min_tone_energy_share = 0.7;
  /// Second-harmonic (talk-off) test: a window is no hit when the energy at
  /// twice the high tone's measured frequency is more than this many dB
  /// relative to the tone. Voiced speech whose harmonics mimic a pair has
  /// energy at 2f as well; a DTMF tone has none. In white noise the 2f bin
  /// of a 12.75 ms window holds on average -26 dB (12 dB SNR) / -20 dB
  /// (6 dB SNR) relative to each tone of an equal pair, so it passes -14 dB
  /// in 1e-7 / 2 % of windows; the corpus' one false digit (docs/dsp.md)
  /// shows -12.8 dB. Range -40..0.
  double max_second_harmonic_db = -14.0;
  /// Harmonic-comb (talk-off) test: a window is no hit when, for some f0
  /// (70..500 Hz) of which both tones are harmonics, the mean power at the
  /// other harmonics from 250 Hz to 3.4 kHz exceeds this many dB relative
  /// to the pair's power. Range -40..0.
  double max_comb_db = -13.0;
};

/// Why a window holds no DTMF pair (the first test it failed, in order).
enum class DtmfVerdict : std::uint8_t {
  kPair,        ///< all tests passed
  kTooWeak,     ///< a tone below min_tone_dbm0
  kTwist,       ///< the level difference exceeds the twist limits
  kNotDominant, ///< another frequency of the group within 8 dB
  kSpread,      ///< the pair carries less than min_tone_energy_share
  kOffFrequency,///< a tone further than max_frequency_deviation_percent off
  kHarmonic,    ///< energy at twice the high tone's frequency (voiced speech)
};

/// The judgement of one analysis window (exposed for DtmfGuard and tests).
struct DtmfWindow {
  std::int64_t begin_sample = 0;  ///< first input sample of the window
  std::int64_t end_sample = 0;    ///< one past its last sample
  char candidate = 0;  ///< digit whose tones this window holds (0: none); may cover a tone edge
  bool hit = false;    ///< candidate with the tone in both halves: counts towards a digit
  DtmfVerdict verdict = DtmfVerdict::kTooWeak;
  /// Measured relative frequency errors of the pair (valid for a candidate).
  double low_deviation = 0.0, high_deviation = 0.0;
  /// Energy at twice the high tone's measured frequency relative to the
  /// tone, dB (-200 when not measured: the test runs only for windows that
  /// would be hits towards a digit not yet confirmed).
  double high_harmonic_db = -200.0;
  /// The harmonic-comb measure (see DtmfDetectorConfig::max_comb_db), dB
  /// relative to the pair (-200 when not measured or when no f0 fits).
  double comb_db = -200.0;
};

class DtmfDetector {
 public:
  /// Hits in a row that confirm a digit (see the table in the file comment).
  static constexpr int kOnHits = 4;
  /// Misses in a row that end a digit.
  static constexpr int kOffMisses = 5;

  /// Throws libconf::Error(unsupported_sample_rate / invalid_argument) naming
  /// the bad field and value.
  explicit DtmfDetector(const DtmfDetectorConfig& config = {});

  /// Analyses any number of samples (continuing the stream) and writes digit
  /// events into out; returns how many were written. Events that do not fit
  /// are kept (up to 32) and returned by later calls. Real-time safe.
  std::size_t process(std::span<const std::int16_t> samples, std::span<DtmfDigitEvent> out) noexcept;

  /// Forgets the stream: sample counter back to 0, no digit active.
  void reset() noexcept;

  int sample_rate_hz() const noexcept { return rate_; }
  /// Samples per half-block (the decision hop): 51 at 8 kHz.
  std::size_t hop_samples() const noexcept { return hop_; }
  /// Samples still needed before the next window decision.
  std::size_t samples_to_next_decision() const noexcept { return hop_ - fill_; }
  /// The most recent window decision (begin_sample < 0 before the first).
  const DtmfWindow& last_window() const noexcept { return window_; }
  /// The digit currently held down, or 0.
  char active_digit() const noexcept { return active_; }
  /// Samples analysed since construction or reset().
  std::int64_t samples_processed() const noexcept { return position_; }
  /// Events dropped because the caller left them unread for too long.
  std::uint64_t dropped_events() const noexcept { return dropped_; }

 private:
  static constexpr int kFilters = 8;
  static constexpr std::size_t kQueue = 32;

  void finish_half_block() noexcept;
  void decide() noexcept;
  char judge(bool& balanced, DtmfWindow& window) const noexcept;
  /// The pair fitted at its measured frequencies (per half-block amplitude
  /// of e^{jwm}, referenced to the half-block's first sample).
  struct PairFit {
    double w_low = 0.0, w_high = 0.0;
    std::complex<double> low[2], high[2];
  };
  static constexpr double kCombMinF0Hz = 70.0;
  static constexpr double kCombMaxF0Hz = 500.0;
  static constexpr double kCombRatioTolerance = 0.01;
  static constexpr double kCombBottomHz = 250.0;
  static constexpr double kCombTopHz = 3400.0;
  static constexpr int kCombReach = 2;
  static constexpr double kCombGuardHz = 90.0;
  bool dominant(int low, int high, double low_dev_rad, double high_dev_rad, double low_power, double high_power,
                PairFit& fit) const noexcept;
  bool fit_pair(int low, int high, double low_dev_rad, double high_dev_rad, PairFit& fit) const noexcept;
  std::complex<double> window_dft(double w) const noexcept;
  double comb_db(const PairFit& fit, double pair_power) const noexcept;
  double second_harmonic_db(int high, double tone_power, double deviation) const noexcept;
  void debounce(char hit, bool voiced) noexcept;
  /// Windows with a harmonic comb that end a run towards a new digit.
  static constexpr int kVoicedWindowsPerRun = 2;
  void push(const DtmfDigitEvent& e) noexcept;
  std::uint32_t to_ms(std::int64_t samples) const noexcept;

  int rate_;
  std::size_t hop_;
  // Goertzel coefficients and per-filter constants (see finish_half_block()).
  /// Two Goertzel chains run side by side over the two halves of a
  /// half-block (an odd hop gets one zero appended): two independent
  /// recurrences hide the multiply-add latency one chain would wait on, and
  /// their 8 vector registers of state fit the 16 SSE registers.
  static constexpr int kChains = 2;
  static constexpr std::size_t kMaxHop = 51 * 6;  // at 48 kHz
  alignas(16) std::array<float, kFilters> coeff_{};
  // The last kHarmonicBlocks half-blocks (a ring; the one being filled is
  // cur_block_), each followed by a zero pad for an odd hop: the window, kept
  // for the second-harmonic test.
  static constexpr std::size_t kHarmonicBlocks = 2;
  static constexpr std::size_t kBlockStride = kMaxHop + kChains;
  alignas(16) std::array<float, kHarmonicBlocks * kBlockStride> blocks_{};
  std::size_t cur_block_ = 0;
  alignas(16) std::array<float, kFilters> cos_w_{}, sin_w_{};
  // e^{-jw((c+1)L - 1)}: turns chain c's Goertzel output into its share of
  // the half-block's DFT term referenced to the half-block's first sample.
  alignas(16) std::array<std::array<float, kFilters>, kChains> rot_re_{}, rot_im_{};
  std::array<double, kFilters> omega_{};                // w, rad per sample
  std::array<double, kFilters> hop_re_{}, hop_im_{};    // e^{-jwH}
  std::array<double, kFilters> hop_phase_{};            // wH mod 2pi
  std::array<double, kFilters> hop_phase_rad_{};        // wH
  std::array<double, kFilters> max_dev_rad_{};          // tolerance on phase advance per hop
  // leak_[low][high]: share of a high-group tone's own-bin value that shows up
  // in a low-group bin over one half-block, (1/H) sum e^{j(wh - wl)m}.
  std::array<std::array<double, 4>, 4> leak_re_{}, leak_im_{};
  std::size_t fill_ = 0;
  // Spectra of the previous and current half-block, referenced to their starts.
  std::array<double, kFilters> prev_re_{}, prev_im_{}, cur_re_{}, cur_im_{};
  double prev_energy_ = 0.0, cur_energy_ = 0.0;
  bool have_prev_ = false;
  // Thresholds derived from the config in the constructor.
  double min_tone_power_ = 0.0;  // |Z|^2 over a full window
  double quiet_energy_ = 0.0;    // half-blocks below this skip the filters
  double normal_twist_ = 0.0, reverse_twist_ = 0.0, share_ = 0.0;
  double max_harmonic_db_ = 0.0;
  double max_comb_db_ = 0.0;

  std::int64_t position_ = 0;  // samples analysed
  DtmfWindow window_{};
  // Debounce.
  char run_digit_ = 0;
  int run_hits_ = 0;
  int run_voiced_ = 0;
  std::int64_t run_begin_ = 0;
  char active_ = 0;
  int misses_ = 0;
  std::int64_t active_begin_ = 0, active_end_ = 0;

  std::array<DtmfDigitEvent, kQueue> queue_{};
  std::size_t q_head_ = 0, q_size_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace libconf::dsp
