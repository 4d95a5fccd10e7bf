#pragma once
// The baseline the AGC is evaluated against: SpeexDSP's preprocessor with
// only its AGC on (denoise, VAD and dereverb off), set to the same target
// level and maximum gain as libconf::dsp::Agc. Bench-only.

#include <cstddef>
#include <cstdint>
#include <span>

struct SpeexPreprocessState_;

namespace libconf::bench {

class SpeexAgc {
 public:
  /// target_level_dbfs as in libconf/audio/level.hpp; speex takes the target
  /// as an RMS sample value (32768 · 10^(dBFS/20)).
  SpeexAgc(int sample_rate_hz, std::size_t frame_samples, double target_level_dbfs, int max_gain_db);
  ~SpeexAgc();
  SpeexAgc(const SpeexAgc&) = delete;
  SpeexAgc& operator=(const SpeexAgc&) = delete;

  void process(std::span<std::int16_t> frame) noexcept;
  std::size_t frame_samples() const noexcept { return frame_samples_; }

 private:
  SpeexPreprocessState_* state_ = nullptr;
  std::size_t frame_samples_;
};

}  // namespace libconf::bench
