#pragma once
/// @file
/// PacketLossConcealer: waveform-substitution packet loss concealment in the
/// style of ITU-T G.711 Appendix I, usable at any supported rate (8-48 kHz;
/// the Appendix I constants, defined at 8 kHz, scale with the rate).
///
/// On the first lost sample the pitch period is estimated by normalised
/// autocorrelation of the last 20 ms of history against lags of 5..15 ms
/// (66-200 Hz; shorter periods are found as multiples). The loss is filled by
/// repeating the last pitch period; after 10 ms of loss the last two periods,
/// after 20 ms the last three (cross-faded over a quarter period at each
/// change, and at every wrap of the repeated buffer), which avoids the buzz of
/// one period repeated for long. From 10 ms on the output is attenuated by
/// 20% per 10 ms, so it is silent after 60 ms. The first good frame after a
/// loss is cross-faded with the continued synthetic signal over a quarter
/// period plus 4 ms per extra 10 ms lost (at most 10 ms).
///
/// Difference from Appendix I, by design: Appendix I delays all output by
/// 3.75 ms to overlap-add the start of a loss into already-decoded audio.
/// libconf keeps decoding delay-free (G.711 decode stays bit-exact) and
/// instead joins the loss onset by a decaying offset correction over a
/// quarter period, which removes the step at the join.
///
/// State lives in fixed member buffers; no call allocates, locks or throws
/// after construction. Thread-safety: one thread at a time per instance.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace libconf::codec {

class PacketLossConcealer {
 public:
  /// Throws libconf::Error (unsupported_sample_rate) naming the rate unless it
  /// is 8000, 16000, 24000, 32000 or 48000.
  explicit PacketLossConcealer(int sample_rate_hz = 8000);

  /// Hands over a correctly received frame. After a loss, smooths its start
  /// in place (cross-fade from the synthetic signal); always records it as
  /// history. Real-time safe.
  void receive(std::span<std::int16_t> pcm) noexcept;
  /// Fills pcm with synthetic signal for lost audio (any length; successive
  /// calls continue the same loss). Real-time safe.
  void conceal(std::span<std::int16_t> pcm) noexcept;
  /// Forgets history and any loss in progress.
  void reset() noexcept;

  int sample_rate_hz() const noexcept { return sample_rate_hz_; }
  /// Pitch period (samples) estimated at the start of the current or last loss; 0 before any loss.
  int pitch_period_samples() const noexcept { return pitch_; }
  /// Samples concealed in the loss in progress (0 when not in a loss).
  std::int64_t concealed_samples() const noexcept { return erased_; }

  /// History kept: three longest periods plus one overlap, 390 samples at 8 kHz.
  static constexpr std::size_t kMaxHistorySamples = 390 * 6;

 private:
  float source(int periods, int cursor) const noexcept;
  float next_synthetic() noexcept;
  void estimate_pitch() noexcept;
  void push_history(std::span<const std::int16_t> pcm) noexcept;

  int sample_rate_hz_;
  int scale_;         // sample_rate_hz / 8000
  int history_len_;   // 390 * scale_
  int pitch_min_;     // 40 * scale_  (200 Hz)
  int pitch_max_;     // 120 * scale_ (66.7 Hz)
  int corr_len_;      // 160 * scale_ (20 ms template)
  int ten_ms_;        // 80 * scale_

  std::array<std::int16_t, kMaxHistorySamples> history_{};  // newest sample last
  std::array<float, kMaxHistorySamples> frozen_{};          // history at loss onset
  std::int64_t erased_ = 0;  // samples concealed in this loss
  int pitch_ = 0;
  int overlap_ = 0;          // quarter pitch period
  int periods_ = 1;          // periods being repeated (1..3)
  int cursor_ = 0;           // position in the repeated buffer
  int old_periods_ = 1;      // during a period-count change: the previous buffer
  int old_cursor_ = 0;
  int xfade_left_ = 0;       // samples left in that cross-fade
  float onset_offset_ = 0.0f;
};

}  // namespace libconf::codec
