#include "libconf/codec/plc.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/error.hpp"

namespace libconf::codec {
namespace {

// Appendix I constants at 8 kHz; all scale with sample_rate_hz / 8000.
constexpr int kPitchMin8k = 40;     // 5 ms: 200 Hz, the highest pitch searched directly
constexpr int kPitchMax8k = 120;    // 15 ms: 66.7 Hz, the lowest male voices
constexpr int kCorrLen8k = 160;     // 20 ms template: spans at least 1.3 of the longest periods
constexpr int kHistory8k = 390;     // 3 * kPitchMax8k + kPitchMax8k / 4: room for three periods + overlap
constexpr int kTenMs8k = 80;
constexpr int kEndOverlapStep8k = 32;  // 4 ms more end overlap per extra 10 ms lost (Appendix I EOVERLAPINCR)
constexpr int kMaxPeriods = 3;         // repeat up to the last three periods
// Attenuation: 20% of full scale per 10 ms after the first 10 ms, i.e. the
// gain reaches 0 after five more 10 ms steps: silent at 60 ms.
constexpr int kFadeSteps10ms = 5;
constexpr float kAttenuationPer10ms = 1.0f / kFadeSteps10ms;

std::int16_t to_sample(float v) noexcept {
  const long r = std::lrintf(v);
  return static_cast<std::int16_t>(std::clamp(r, -32768L, 32767L));
}

}  // namespace

PacketLossConcealer::PacketLossConcealer(int sample_rate_hz) : sample_rate_hz_(sample_rate_hz) {
  if (!audio::is_supported_sample_rate(sample_rate_hz))
    throw Error(errc::unsupported_sample_rate,
                "PacketLossConcealer: unsupported sample rate " + std::to_string(sample_rate_hz) + " Hz");
  scale_ = sample_rate_hz / 8000;
  history_len_ = kHistory8k * scale_;
  pitch_min_ = kPitchMin8k * scale_;
  pitch_max_ = kPitchMax8k * scale_;
  corr_len_ = kCorrLen8k * scale_;
  ten_ms_ = kTenMs8k * scale_;
}

void PacketLossConcealer::reset() noexcept {
  history_.fill(0);
  erased_ = 0;
  pitch_ = 0;
  xfade_left_ = 0;
}

void PacketLossConcealer::push_history(std::span<const std::int16_t> pcm) noexcept {
  const std::size_t len = static_cast<std::size_t>(history_len_);
  if (pcm.size() >= len) {
    std::memcpy(history_.data(), pcm.data() + (pcm.size() - len), len * sizeof(std::int16_t));
    return;
  }
  std::memmove(history_.data(), history_.data() + pcm.size(), (len - pcm.size()) * sizeof(std::int16_t));
  std::memcpy(history_.data() + (len - pcm.size()), pcm.data(), pcm.size() * sizeof(std::int16_t));
}

void PacketLossConcealer::estimate_pitch() noexcept {
  // Maximise corr(P) / sqrt(energy(P)) where corr correlates the last
  // corr_len_ samples (the template) with the samples P earlier. A coarse pass
  // on a 4 kHz grid (every 2*scale_ samples and lags, as Appendix I decimates
  // by 2) is refined at full resolution around the best coarse lag.
  const float* b = frozen_.data();
  const int tmpl = history_len_ - corr_len_;
  auto score = [&](int lag, int step) {
    float corr = 0.0f, energy = 0.0f;
    for (int i = 0; i < corr_len_; i += step) {
      const float x = b[tmpl - lag + i];
      corr += b[tmpl + i] * x;
      energy += x * x;
    }
    return energy > 0.0f ? corr / std::sqrt(energy) : 0.0f;
  };
  const int step = 2 * scale_;
  int best = pitch_max_;
  float best_score = -1e30f;
  for (int lag = pitch_min_; lag <= pitch_max_; lag += step) {
    const float s = score(lag, step);
    if (s > best_score) best_score = s, best = lag;
  }
  const int lo = std::max(pitch_min_, best - step + 1), hi = std::min(pitch_max_, best + step - 1);
  best_score = -1e30f;
  int fine = best;
  for (int lag = lo; lag <= hi; ++lag) {
    const float s = score(lag, 1);
    if (s > best_score) best_score = s, fine = lag;
  }
  pitch_ = fine;
}

float PacketLossConcealer::source(int periods, int cursor) const noexcept {
  // Sample `cursor` of the last `periods` pitch periods. Its last quarter
  // period is cross-faded into the samples just before the buffer's start, so
  // wrapping from the end back to the start is continuous.
  const int span = periods * pitch_;
  const int idx = history_len_ - span + cursor;
  const int into_tail = cursor - (span - overlap_);
  if (into_tail < 0) return frozen_[idx];
  const float w = static_cast<float>(into_tail + 1) / static_cast<float>(overlap_ + 1);
  return (1.0f - w) * frozen_[idx] + w * frozen_[idx - span];
}

float PacketLossConcealer::next_synthetic() noexcept {
  const std::int64_t fade_start = ten_ms_;
  const std::int64_t silent_at = fade_start + std::int64_t{kFadeSteps10ms} * ten_ms_;
  if (erased_ >= silent_at) {
    ++erased_;
    return 0.0f;
  }
  if (periods_ < kMaxPeriods && erased_ == static_cast<std::int64_t>(periods_) * ten_ms_) {
    // Add an older period, keeping the phase within the period, and cross-fade.
    old_periods_ = periods_;
    old_cursor_ = cursor_;
    ++periods_;
    cursor_ = cursor_ % pitch_;
    xfade_left_ = overlap_;
  }
  float v = source(periods_, cursor_);
  if (xfade_left_ > 0) {
    const float w_old = static_cast<float>(xfade_left_) / static_cast<float>(overlap_ + 1);
    v = w_old * source(old_periods_, old_cursor_) + (1.0f - w_old) * v;
    old_cursor_ = (old_cursor_ + 1) % (old_periods_ * pitch_);
    --xfade_left_;
  }
  cursor_ = (cursor_ + 1) % (periods_ * pitch_);
  if (erased_ < overlap_)
    v += onset_offset_ * static_cast<float>(overlap_ - erased_) / static_cast<float>(overlap_);
  if (erased_ >= fade_start)
    v *= std::max(0.0f, 1.0f - kAttenuationPer10ms * static_cast<float>(erased_ - fade_start) /
                                   static_cast<float>(ten_ms_));
  ++erased_;
  return v;
}

void PacketLossConcealer::conceal(std::span<std::int16_t> pcm) noexcept {
  if (erased_ == 0) {
    for (int i = 0; i < history_len_; ++i) frozen_[i] = history_[i];
    estimate_pitch();
    overlap_ = std::max(1, pitch_ / 4);
    periods_ = 1;
    cursor_ = 0;
    xfade_left_ = 0;
    // The first synthetic sample follows frozen_[end - P - 1] in the original;
    // shift the start by the step to the real last sample, decaying over the overlap.
    onset_offset_ = frozen_[history_len_ - 1] - frozen_[history_len_ - pitch_ - 1];
  }
  for (auto& s : pcm) s = to_sample(next_synthetic());
  push_history(pcm);
}

void PacketLossConcealer::receive(std::span<std::int16_t> pcm) noexcept {
  if (erased_ > 0) {
    const std::int64_t lost_10ms = (erased_ + ten_ms_ - 1) / ten_ms_;
    const std::int64_t end_overlap =
        std::min<std::int64_t>(overlap_ + (lost_10ms - 1) * kEndOverlapStep8k * scale_, ten_ms_);
    const std::size_t n = std::min(pcm.size(), static_cast<std::size_t>(end_overlap));
    for (std::size_t i = 0; i < n; ++i) {
      const float w = static_cast<float>(i + 1) / static_cast<float>(end_overlap + 1);
      pcm[i] = to_sample((1.0f - w) * next_synthetic() + w * static_cast<float>(pcm[i]));
    }
    erased_ = 0;
    xfade_left_ = 0;
  }
  push_history(pcm);
}

}  // namespace libconf::codec
