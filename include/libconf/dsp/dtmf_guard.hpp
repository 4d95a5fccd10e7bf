#pragma once
/// @file
/// DtmfGuard keeps PINs private: placed in a leg's input path, it delays the
/// audio by a small look-ahead and replaces every DTMF tone by comfort noise
/// (or silence) for the digit's duration plus margins, so other listeners
/// never hear the digits, not even their onset. It also emits the digit
/// events of its DtmfDetector.
///
/// How the onset is caught: the detector judges a 12.75 ms window every
/// 6.375 ms (at 8 kHz). Any window that already holds a DTMF pair (a
/// "candidate", decided before the digit is confirmed) mutes that window plus
/// two hops either side. The output lags the input by lookahead_samples(),
/// which is at least the window plus those two hops, so the mute always
/// starts before the first tone sample leaves. Gain ramps over a quarter hop
/// avoid clicks; the ramps lie inside the margins.
///
/// Thread-safety: one instance per leg, one thread at a time.
/// Real-time safety: process() and reset() are noexcept and allocate nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "libconf/dsp/comfort_noise.hpp"
#include "libconf/dsp/dtmf_detector.hpp"

namespace libconf::dsp {

struct DtmfGuardConfig {
  int sample_rate_hz = 8000;  ///< 8000, 16000, 24000, 32000 or 48000
  /// The frame size the engine feeds (validated: 1..audio::kMaxFrameSamples).
  /// process() accepts any size; this only documents and checks the contract.
  std::size_t frame_samples = 160;
  /// Delay added to the leg's audio, ms. Must be ≥ 26 (a 12.75 ms window plus
  /// two 6.375 ms hops, rounded up); 30 leaves room for a late first window.
  int lookahead_ms = 30;
  /// Level of the noise that replaces a digit, dBFS; below -100 gives silence.
  /// -65 dBFS is a typical quiet-line floor, well under the -50 dBFS the
  /// privacy test allows at the DTMF frequencies.
  double comfort_noise_dbfs = -65.0;
  /// Detector settings; its sample_rate_hz is replaced by the one above.
  DtmfDetectorConfig detector{};
};

class DtmfGuard {
 public:
  /// Throws libconf::Error naming a bad rate, frame size, look-ahead or level.
  explicit DtmfGuard(const DtmfGuardConfig& config = {});
  ~DtmfGuard();
  DtmfGuard(DtmfGuard&&) noexcept;
  DtmfGuard& operator=(DtmfGuard&&) noexcept;

  /// Takes in.size() samples and writes as many to out (out.size() must be ≥
  /// in.size(); extra input is ignored otherwise): the input of
  /// lookahead_samples() earlier, with DTMF replaced. Digit events go to
  /// events (timestamps in input samples); returns how many were written.
  std::size_t process(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                      std::span<DtmfDigitEvent> events) noexcept;

  /// The delay between in and out, samples.
  std::size_t lookahead_samples() const noexcept { return lookahead_; }
  /// True while the most recent output sample was (partly) replaced.
  bool suppressing() const noexcept { return gain_ < 1.0; }
  /// Empties the delay line (zeros) and forgets detector state.
  void reset() noexcept;
  const DtmfDetector& detector() const noexcept { return *detector_; }

 private:
  struct Range {
    std::int64_t begin, end;  // output positions [begin, end) to replace
  };
  static constexpr std::size_t kRanges = 16;
  void note_window() noexcept;

  std::unique_ptr<DtmfDetector> detector_;  // heap: keeps DtmfGuard cheap to move
  std::unique_ptr<std::int16_t[]> delay_;
  std::unique_ptr<ComfortNoise> noise_;
  std::size_t lookahead_ = 0;
  std::size_t write_ = 0;
  std::int64_t in_position_ = 0;
  std::int64_t margin_ = 0;
  double ramp_step_ = 0.0;
  double gain_ = 1.0;
  std::array<Range, kRanges> ranges_{};
  std::size_t r_head_ = 0, r_size_ = 0;
};

}  // namespace libconf::dsp
