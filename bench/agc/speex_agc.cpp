#include "bench/agc/speex_agc.hpp"

#include <speex/speex_preprocess.h>

#include <cmath>
#include <stdexcept>

namespace libconf::bench {

SpeexAgc::SpeexAgc(int sample_rate_hz, std::size_t frame_samples, double target_level_dbfs, int max_gain_db)
    : frame_samples_(frame_samples) {
  state_ = speex_preprocess_state_init(static_cast<int>(frame_samples), sample_rate_hz);
  if (!state_) throw std::runtime_error("speex_preprocess_state_init failed");
  int on = 1;
  int off = 0;
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_DENOISE, &off);
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_DEREVERB, &off);
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_AGC, &on);
  float level = static_cast<float>(32768.0 * std::pow(10.0, target_level_dbfs / 20.0));
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
  int target = static_cast<int>(level);
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_AGC_TARGET, &target);
  speex_preprocess_ctl(state_, SPEEX_PREPROCESS_SET_AGC_MAX_GAIN, &max_gain_db);
}

SpeexAgc::~SpeexAgc() { speex_preprocess_state_destroy(state_); }

void SpeexAgc::process(std::span<std::int16_t> frame) noexcept {
  if (frame.size() != frame_samples_) return;
  speex_preprocess_run(state_, frame.data());
}

}  // namespace libconf::bench
