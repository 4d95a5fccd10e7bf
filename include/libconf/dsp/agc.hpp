#pragma once
/// @file
/// Agc: per-leg automatic gain control toward a target active-speech level.
///
/// How it works, per frame:
/// 1. A TalkerDetector judges the frame: the Agc's own, or — in the engine,
///    which needs the same analysis for talker detection — the caller's,
///    passed to process(frame, analysis). The speech level estimate and the
///    gain move only inside a talk spurt that has shown speech-like level
///    modulation (TalkerUpdate::modulated), and only on frames at least
///    kLevelMarginDb above the adaptive noise floor; noise, silence, steady
///    tones (even one that starts after silence and so opens a spurt) and
///    the pauses between words never steer it.
/// 2. Speech level: power average of those frames, time constant
///    level_time_constant_ms (an unbiased running mean until that much speech
///    has been seen). Level-domain power averaging is what "active speech
///    level" means (ITU-T P.56 style), so the target is in the same unit.
/// 3. Gain toward target_level_dbfs − speech level, clamped to
///    [min_gain_db, max_gain_db], moving at most max_gain_change_db_per_s.
/// 4. The gain is applied to speech, not to what lies between: a frame
///    within pause_hold_ms of a speech frame (TalkerUpdate::speech_frame, and
///    at least kEmphasisedMarginDb above the floor pre-emphasised, so that
///    low-frequency rumble never opens the gate)
///    gets the speech gain; after that the applied gain falls, at
///    pause_release_db_per_s, to min(gain, 0 dB), so the line noise between
///    sentences stays at its input level. The next speech frame brings the
///    gain back within its first kAttackMs.
/// 5. Fast path: the gain is interpolated across the frame in 1 ms
///    segments, each segment's gain capped so its sample peak stays under
///    peak_ceiling_db. When the cap bites, the slow gain drops to it at once
///    and recovers only at the slow rate (no clipping, no pumping).
///
/// Levels are dBFS as in libconf/audio/level.hpp (RMS re full-scale square).
/// Thread-safety: one instance per leg, one thread at a time.
/// Real-time safety: process(), gain_db(), reset(), set_enabled() are noexcept,
/// allocate nothing, lock nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "libconf/dsp/talker_detector.hpp"

namespace libconf::dsp {

struct AgcConfig {
  int sample_rate_hz = 8000;        ///< 8000, 16000, 24000, 32000 or 48000
  std::size_t frame_samples = 160;  ///< 10, 20, 40 or 60 ms at sample_rate_hz
  /// Target active-speech level. −20 dBFS is 6 dB above the ITU-T nominal
  /// −26 dBov, so quiet legs come out clearly, and leaves ≈ 19 dB for speech
  /// peaks (speech crest factor is typically 12–18 dB) before the ceiling.
  /// Range −40..−3.
  double target_level_dbfs = -20.0;
  double max_gain_db = 24.0;   ///< most amplification (−40 dBFS talker reaches −16 dBFS at worst). Range 0..40
  double min_gain_db = -12.0;  ///< most attenuation by the level loop. Range −40..0
  /// Slew limit of the level loop, both directions. 10 dB/s is 0.2 dB per
  /// 20 ms frame (inaudible, and interpolated within the frame) yet brings a
  /// −40 dBFS talker to target in ≈ 2.5 s of speech. SpeexDSP uses +12/−40.
  /// Range (0, 200].
  double max_gain_change_db_per_s = 10.0;
  bool enabled = true;  ///< false: process() leaves samples untouched
  /// Sample-peak ceiling of the fast path, dB re full-scale sample (32767).
  /// −1 dB leaves room for the G.711/Opus encoders' own overshoot. Range −20..0.
  double peak_ceiling_db = -1.0;
  /// Time constant of the speech level estimate (of speech time, not wall
  /// time). 400 ms spans about two syllables: short enough to follow a talker
  /// moving closer to the phone, long enough that one loud syllable does not
  /// steer the gain. Range 20..10000.
  int level_time_constant_ms = 400;
  /// How long after the last speech frame the speech gain is held. 200 ms
  /// bridges the gaps between words and syllables (50..250 ms), so the noise
  /// under a sentence does not pump. Range 0..2000.
  int pause_hold_ms = 200;
  /// How fast the applied gain falls to its pause value after the hold.
  /// 100 dB/s takes +20 dB back in 200 ms: faster than a listener notices
  /// hiss swelling, slow enough not to click. Range (0, 1000].
  double pause_release_db_per_s = 100.0;
};

class Agc {
 public:
  /// Throws libconf::Error (invalid_argument, unsupported_sample_rate,
  /// unsupported_frame_size) whose message names the bad field and value.
  explicit Agc(const AgcConfig& config);

  /// Applies the gain in place. frame.size() must be frame_samples; a frame
  /// of another size gets the current gain (saturated) and does not adapt.
  /// Never wraps: every output sample is clamped to int16.
  void process(std::span<std::int16_t> frame) noexcept;
  /// The same with the caller's analysis of this frame (before the gain), so
  /// that a leg's talker detection and its AGC share one level analysis: the
  /// Agc's own detector is then not used. `analysis` must come from a
  /// TalkerDetector with this Agc's rate and frame size, fed every frame.
  void process(std::span<std::int16_t> frame, const TalkerUpdate& analysis) noexcept;

  /// Gain of the level loop at the end of the last frame, dB (0 when disabled):
  /// what speech gets.
  double gain_db() const noexcept;
  /// Gain actually applied at the end of the last frame, dB (0 when
  /// disabled): gain_db() in speech, at most 0 dB in pauses.
  double applied_gain_db() const noexcept;
  /// The speech level estimate of the input (dBFS); -120 until speech was seen.
  double input_level_dbfs() const noexcept;
  /// Noise floor of the input as tracked by the internal detector (dBFS).
  double noise_floor_dbfs() const noexcept { return detector_.noise_floor_dbfs(); }
  /// True if the last frame's gain was capped by the peak ceiling.
  bool limiting() const noexcept { return limiting_; }

  /// Enables or bypasses the AGC; the learned level and gain are kept.
  void set_enabled(bool enabled) noexcept { enabled_ = enabled; }
  bool enabled() const noexcept { return enabled_; }
  /// Back to the initial state (gain 0 dB clamped to the range, nothing learned).
  void reset() noexcept;

  const AgcConfig& config() const noexcept { return config_; }

  /// Frames within this margin of the noise floor do not feed the speech
  /// level. 3 dB keeps steady noise (which sits at most ≈ 3 dB above its own
  /// minimum, the floor) out while keeping syllable onsets and decays in:
  /// leaving those out biases the estimate up by 1.5 dB at 60 ms frames.
  static constexpr double kLevelMarginDb = 3.0;
  /// Time in which the gain returns to the speech gain at a speech onset
  /// after a pause: 2 ms, short against a syllable's rise (10..30 ms).
  static constexpr int kAttackMs = 2;
  /// A speech frame must stand this far above the floor pre-emphasised too
  /// (TalkerUpdate::emphasised_snr_db): brown noise at -50 dBFS shows at most
  /// ~3 dB, speech 10 dB over white noise 4.5 dB or more.
  static constexpr double kEmphasisedMarginDb = 3.5;

 private:
  static constexpr std::size_t kMaxSegments = 60;  // 1 ms segments of a 60 ms frame

  AgcConfig config_;
  TalkerDetector detector_;
  bool enabled_ = true;
  std::size_t segment_samples_ = 8;
  std::size_t segments_ = 20;
  double max_step_db_ = 0.2;
  double level_alpha_ = 0.05;
  int warmup_frames_ = 20;
  double ceiling_ = 29204.0;
  int hold_frames_ = 10;
  double release_step_db_ = 2.0;

  double gain_db_ = 0.0;
  double applied_gain_ = 1.0;  // linear gain at the end of the last frame
  double level_power_ = 0.0;   // mean square re full-scale square
  int level_frames_ = 0;
  bool limiting_ = false;
  bool spurt_is_speech_ = false;
  int frames_since_speech_ = 1 << 20;
  double applied_db_ = 0.0;    // gain in dB the last frame ended on (before the peak cap)
  std::array<float, kMaxSegments> limits_{};
};

}  // namespace libconf::dsp
