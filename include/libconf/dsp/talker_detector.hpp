#pragma once
/// @file
/// TalkerDetector: per-leg talker detection (an energy VAD with an adaptive
/// noise floor) for the conference mixer's top-N selection.
///
/// Each frame's level (dBFS, RMS re full-scale square, after a 40 Hz DC
/// blocker) is compared with a noise floor tracked by minimum statistics over
/// about 1.6 s (four 400 ms sub-windows); a sub-window whose frame levels stay
/// within kStationarySpreadDb moves the floor up to it at once, so a steady
/// noisy line or tone stops counting as talk within about 0.8 s.
///
/// State machine (hysteresis):
///   not talking --(one frame >= floor + start_margin_db, or start_ms of
///                  consecutive frames >= floor + active_margin_db)--> talking
///   talking --(hangover_ms without a frame >= floor + active_margin_db)--> not talking
/// Frames quieter than min_speech_level_dbfs never count as speech.
///
/// Thread-safety: one instance per leg, used from one thread at a time.
/// Real-time safety: process(), force_stop(), reset() and the getters are
/// noexcept, allocate nothing, lock nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace libconf::dsp {

struct TalkerDetectorConfig {
  int sample_rate_hz = 8000;       ///< 8000, 16000, 24000, 32000 or 48000
  std::size_t frame_samples = 160; ///< 10, 20, 40 or 60 ms at sample_rate_hz
  /// Time without a speech frame before a talker stops. 300 ms bridges the
  /// pauses between words and syllables (typically 50..250 ms) without keeping
  /// a finished talker in the top-N long after the sentence ends.
  int hangover_ms = 300;
  /// Consecutive speech time needed to start when no frame is clearly above
  /// the floor (rounded up to whole frames, at least one frame).
  int start_ms = 40;
  /// A frame is speech when its level is at least this far above the noise
  /// floor. 8 dB: the floor is the minimum of frame levels, and for white or
  /// pink noise in 10 ms frames the frame level spreads about ±3 dB around its
  /// mean, so 8 dB above the minimum is rarely reached by stationary noise.
  double active_margin_db = 8.0;
  /// A single frame this far above the floor starts a talker at once
  /// (onset detection within one frame). 15 dB is about twice the largest
  /// excursion of stationary noise measured above (≈ 7 dB over its minimum).
  double start_margin_db = 15.0;
  /// Frames below this level are never speech. −60 dBFS is 34 dB under the
  /// ITU-T nominal active speech level (−26 dBov) and 20 dB under a very quiet
  /// talker (−40 dBFS): nothing below it is worth a mixer slot.
  double min_speech_level_dbfs = -60.0;
  /// Time constant of the smoothed speech level reported for ranking.
  int level_time_constant_ms = 200;
};

/// What one frame changed.
struct TalkerUpdate {
  bool talking = false;    ///< state after this frame
  bool started = false;    ///< this frame started a talk spurt
  bool stopped = false;    ///< this frame ended a talk spurt (hangover expired or force_stop)
  float level_dbfs = -120.f;  ///< smoothed speech level while talking, else -120
  bool speech_frame = false;  ///< this frame alone is above floor + active margin
  /// The frame belongs to a level-modulated signal (levels of the last
  /// ~400 ms above min_speech_level_dbfs span at least kSpeechModulationDb):
  /// true for speech, false for stationary noise and tones. Used by the AGC to
  /// adapt only on real speech.
  bool modulated = false;
  float frame_level_dbfs = -120.f;   ///< this frame's level (DC removed)
  float noise_floor_dbfs = -120.f;   ///< the floor this frame was judged against
  /// The frame's pre-emphasised level (x[n] - x[n-L], L = rate / 8000:
  /// +6 dB/octave below 2 kHz at every rate) above a floor tracked the same
  /// way, dB. Pre-emphasis flattens rumble: brown noise's frame levels swing
  /// by ±8 dB in the full band, so many of its frames pass as speech_frame,
  /// but its emphasised level stays within ~3 dB of its floor. Used by the
  /// AGC to keep its gain off the noise between sentences.
  float emphasised_snr_db = 0.f;
};

class TalkerDetector {
 public:
  /// Throws libconf::Error (invalid_argument, unsupported_sample_rate,
  /// unsupported_frame_size) naming the bad field and value.
  explicit TalkerDetector(const TalkerDetectorConfig& config);

  /// Analyses one frame. A frame whose size is not frame_samples (or empty)
  /// is ignored: the state is unchanged and the current state is returned.
  TalkerUpdate process(std::span<const std::int16_t> frame) noexcept;

  /// Ends the talk spurt now (leg left or muted). stopped is true iff the leg
  /// was talking; afterwards talking() is false. The noise floor is kept.
  TalkerUpdate force_stop() noexcept;

  bool talking() const noexcept { return talking_; }
  /// Smoothed active-speech level for top-N ranking (dBFS); -120 when not talking.
  float level_dbfs() const noexcept;
  /// Current noise floor estimate (dBFS); -120 before the first frame.
  float noise_floor_dbfs() const noexcept;

  /// Forgets everything (new call on the same leg).
  void reset() noexcept;

  const TalkerDetectorConfig& config() const noexcept { return config_; }

  /// Sub-window spread (dB) below which a signal is treated as stationary.
  /// White noise in 10 ms frames at 8 kHz spans ≈ 3 dB per 400 ms; speech
  /// spans 15 dB or more (syllable nuclei vs. gaps).
  static constexpr double kStationarySpreadDb = 5.0;
  /// Modulation (dB over ~400 ms) above which a signal counts as speech-like.
  static constexpr double kSpeechModulationDb = 10.0;

 private:
  static constexpr std::size_t kSubWindows = 4;
  static constexpr std::size_t kMaxRingFrames = 40;  // 400 ms of 10 ms frames

  /// Minimum statistics over kSubWindows sub-windows of sub_window_frames_.
  struct FloorTracker {
    bool known = false;
    double floor_db = -120.0;
    std::array<double, kSubWindows> minima{};
    std::size_t index = 0;
    int count = 0;
    double sub_min = 0.0, sub_max = 0.0;
    void reset() noexcept;
    void observe(double level_db, int sub_window_frames) noexcept;
  };
  void observe_floor(double level_db) noexcept;
  double modulation_db() const noexcept;

  TalkerDetectorConfig config_;
  // The 4-step DC blocker (hot: read every frame, kept together).
  std::array<float, 4> dc_pow_{};                 // R, R^2, R^3, R^4
  std::array<std::array<float, 4>, 4> dc_col_{};  // columns of its lower-triangular matrix
  int frame_ms_ = 20;
  int start_frames_ = 2;
  int hangover_frames_ = 15;
  int sub_window_frames_ = 20;
  int silence_frames_for_floor_ = 5;
  double dc_coeff_ = 0.0;
  double level_alpha_ = 0.0;

  // DC blocker state.
  double dc_x1_ = 0.0;
  double dc_y1_ = 0.0;

  // Minimum-statistics noise floor.
  bool floor_known_ = false;
  double floor_db_ = -120.0;
  std::array<double, kSubWindows> sub_minima_{};
  std::size_t sub_index_ = 0;
  int sub_count_ = 0;
  double sub_min_ = 0.0;
  double sub_max_ = 0.0;
  int digital_silence_run_ = 0;
  FloorTracker emphasised_;
  std::size_t emph_lag_ = 1;
  static constexpr std::size_t kHistory = 8;        // samples kept from the previous frame (lag ≤ 6)
  std::array<std::int16_t, kHistory> emph_hist_{};  // the previous frame's last samples

  // Modulation ring: levels of the last ~400 ms (kNoLevel when below min speech level).
  std::array<double, kMaxRingFrames> ring_{};
  std::size_t ring_len_ = 0;
  std::size_t ring_pos_ = 0;

  // Talk state.
  bool talking_ = false;
  int speech_run_ = 0;
  int quiet_run_ = 0;
  double level_power_ = 0.0;
};

}  // namespace libconf::dsp
