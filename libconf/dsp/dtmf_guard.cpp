#include "libconf/dsp/dtmf_guard.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {

DtmfGuard::DtmfGuard(const DtmfGuardConfig& config) {
  DtmfDetectorConfig dc = config.detector;
  dc.sample_rate_hz = config.sample_rate_hz;
  detector_ = std::make_unique<DtmfDetector>(dc);  // validates the rate
  if (config.frame_samples == 0 || config.frame_samples > audio::kMaxFrameSamples)
    throw Error(errc::unsupported_frame_size, "DtmfGuardConfig: frame_samples " +
                                                  std::to_string(config.frame_samples) + " is outside 1..2880");
  const std::int64_t hop = static_cast<std::int64_t>(detector_->hop_samples());
  // Mute two hops before the first candidate window and after the last one:
  // the first window that holds a tone edge may be one hop late (its first
  // half can fail the level test), and a tone may cover the whole first half
  // of the window after the last candidate.
  margin_ = 2 * hop;
  const std::int64_t needed = margin_ + 2 * hop;  // a candidate window is known this long after its begin - margin
  const std::int64_t min_ms = (needed * 1000 + config.sample_rate_hz - 1) / config.sample_rate_hz;
  if (config.lookahead_ms < min_ms || config.lookahead_ms > 200)
    throw Error(errc::invalid_argument, "DtmfGuardConfig: lookahead_ms " + std::to_string(config.lookahead_ms) +
                                            " is outside " + std::to_string(min_ms) + "..200");
  if (!(config.comfort_noise_dbfs <= 0.0))
    throw Error(errc::invalid_argument, "DtmfGuardConfig: comfort_noise_dbfs " +
                                            std::to_string(config.comfort_noise_dbfs) + " is above 0");
  lookahead_ = static_cast<std::size_t>(config.lookahead_ms) * static_cast<std::size_t>(config.sample_rate_hz) / 1000;
  delay_ = std::make_unique<std::int16_t[]>(lookahead_);
  ComfortNoiseConfig nc;
  nc.level_dbfs = config.comfort_noise_dbfs;
  nc.color = NoiseColor::kPink;
  noise_ = std::make_unique<ComfortNoise>(nc);
  // A quarter hop (1.6 ms): inaudible as a click, short against the margin.
  ramp_step_ = 1.0 / std::max<double>(1.0, static_cast<double>(hop) / 4.0);
  reset();
}

DtmfGuard::~DtmfGuard() = default;
DtmfGuard::DtmfGuard(DtmfGuard&&) noexcept = default;
DtmfGuard& DtmfGuard::operator=(DtmfGuard&&) noexcept = default;

void DtmfGuard::reset() noexcept {
  detector_->reset();
  noise_->reset();
  std::fill(delay_.get(), delay_.get() + lookahead_, std::int16_t{0});
  write_ = 0;
  in_position_ = 0;
  gain_ = 1.0;
  r_head_ = r_size_ = 0;
}

void DtmfGuard::note_window() noexcept {
  const DtmfWindow& w = detector_->last_window();
  if (w.candidate == 0) return;
  const Range r{w.begin_sample - margin_, w.end_sample + margin_};
  if (r_size_ > 0) {
    Range& last = ranges_[(r_head_ + r_size_ - 1) % kRanges];
    if (r.begin <= last.end) {
      last.end = std::max(last.end, r.end);
      return;
    }
  }
  if (r_size_ == kRanges) {  // cannot happen with lookahead ≤ 200 ms; keep the newest
    r_head_ = (r_head_ + 1) % kRanges;
    --r_size_;
  }
  ranges_[(r_head_ + r_size_) % kRanges] = r;
  ++r_size_;
}

std::size_t DtmfGuard::process(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                               std::span<DtmfDigitEvent> events) noexcept {
  const std::size_t total = std::min(in.size(), out.size());
  std::size_t written = 0;
  std::size_t i = 0;
  const auto lookahead = static_cast<std::int64_t>(lookahead_);
  while (i < total) {
    // Analyse up to the next window decision first, so every output sample is
    // judged with all windows that end at or before its input position.
    const std::size_t n = std::min(total - i, detector_->samples_to_next_decision());
    written += detector_->process(in.subspan(i, n), events.subspan(written));
    if (detector_->samples_to_next_decision() == detector_->hop_samples()) note_window();
    if (r_size_ == 0 && gain_ >= 1.0) {
      // Nothing to replace in this stretch: a plain delay line, copied in
      // at most two contiguous pieces of the ring each way.
      for (std::size_t done = 0; done < n;) {
        const std::size_t m = std::min(n - done, lookahead_ - write_);
        std::copy_n(delay_.get() + write_, m, out.data() + i + done);
        std::copy_n(in.data() + i + done, m, delay_.get() + write_);
        write_ = write_ + m == lookahead_ ? 0 : write_ + m;
        done += m;
      }
      in_position_ += static_cast<std::int64_t>(n);
      i += n;
      continue;
    }
    for (std::size_t j = 0; j < n; ++j) {
      const std::int16_t delayed = delay_[write_];
      delay_[write_] = in[i + j];
      write_ = write_ + 1 == lookahead_ ? 0 : write_ + 1;
      const std::int64_t p = in_position_ - lookahead;  // output position
      ++in_position_;
      while (r_size_ > 0 && ranges_[r_head_].end <= p) {
        r_head_ = (r_head_ + 1) % kRanges;
        --r_size_;
      }
      const bool mute = r_size_ > 0 && ranges_[r_head_].begin <= p;
      gain_ = mute ? std::max(0.0, gain_ - ramp_step_) : std::min(1.0, gain_ + ramp_step_);
      if (gain_ >= 1.0) {
        out[i + j] = delayed;
      } else {
        const double v = gain_ * delayed + (1.0 - gain_) * noise_->next();
        out[i + j] = static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
      }
    }
    i += n;
  }
  return written;
}

}  // namespace libconf::dsp
