#include "libconf/audio/resampler.hpp"

#include <speex/speex_resampler.h>

#include <string>

#include "libconf/audio/format.hpp"

namespace libconf::audio {

struct Resampler::State {
  SpeexResamplerState* speex = nullptr;
  ~State() {
    if (speex) speex_resampler_destroy(speex);
  }
};

Resampler::Resampler(int input_rate_hz, int output_rate_hz, int quality)
    : state_(std::make_unique<State>()), in_rate_(input_rate_hz), out_rate_(output_rate_hz) {
  if (!is_supported_sample_rate(input_rate_hz))
    throw Error(errc::unsupported_sample_rate, "Resampler: input rate " + std::to_string(input_rate_hz) +
                                                   " Hz is not one of 8000, 16000, 24000, 32000, 48000");
  if (!is_supported_sample_rate(output_rate_hz))
    throw Error(errc::unsupported_sample_rate, "Resampler: output rate " + std::to_string(output_rate_hz) +
                                                   " Hz is not one of 8000, 16000, 24000, 32000, 48000");
  if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX)
    throw Error(errc::invalid_argument, "Resampler: quality " + std::to_string(quality) + " is outside 0..10");
  if (passthrough()) return;
  int err = 0;
  state_->speex = speex_resampler_init(1, static_cast<spx_uint32_t>(input_rate_hz),
                                       static_cast<spx_uint32_t>(output_rate_hz), quality, &err);
  if (!state_->speex || err != RESAMPLER_ERR_SUCCESS)
    throw Error(errc::invalid_argument, std::string("Resampler: speexdsp refused: ") + speex_resampler_strerror(err));
  // Start with the filter already primed so the first frame is not shortened.
  speex_resampler_skip_zeros(state_->speex);
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

Result<std::size_t> Resampler::process(std::span<const std::int16_t> input, std::span<std::int16_t> output) noexcept {
  if (passthrough()) {
    if (output.size() < input.size()) return errc::buffer_too_small;
    std::copy(input.begin(), input.end(), output.begin());
    return input.size();
  }
  const std::size_t expected = input.size() * static_cast<std::size_t>(out_rate_) / static_cast<std::size_t>(in_rate_);
  if (output.size() < expected) return errc::buffer_too_small;
  spx_uint32_t in_len = static_cast<spx_uint32_t>(input.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(expected);
  speex_resampler_process_int(state_->speex, 0, input.data(), &in_len, output.data(), &out_len);
  // speexdsp may hold back a sample on fractional boundaries; keep frames whole.
  for (std::size_t i = out_len; i < expected; ++i) output[i] = out_len ? output[out_len - 1] : 0;
  return expected;
}

void Resampler::reset() noexcept {
  if (state_->speex) {
    speex_resampler_reset_mem(state_->speex);
    speex_resampler_skip_zeros(state_->speex);
  }
}

}  // namespace libconf::audio

namespace libconf::audio {

std::vector<std::int16_t> resample_buffer(std::span<const std::int16_t> input, int input_rate_hz,
                                          int output_rate_hz, int quality) {
  auto check = [](int rate, const char* which) {
    if (rate < 1000 || rate > 384000)
      throw Error(errc::unsupported_sample_rate,
                  std::string("resample_buffer: ") + which + " rate " + std::to_string(rate) + " Hz is outside 1000..384000");
  };
  check(input_rate_hz, "input");
  check(output_rate_hz, "output");
  if (input_rate_hz == output_rate_hz) return {input.begin(), input.end()};
  int err = 0;
  SpeexResamplerState* st = speex_resampler_init(1, static_cast<spx_uint32_t>(input_rate_hz),
                                                 static_cast<spx_uint32_t>(output_rate_hz), quality, &err);
  if (!st) throw Error(errc::invalid_argument, std::string("resample_buffer: ") + speex_resampler_strerror(err));
  const int latency = speex_resampler_get_input_latency(st);
  std::vector<std::int16_t> padded(input.begin(), input.end());
  padded.resize(padded.size() + static_cast<std::size_t>(latency), 0);  // flush the filter tail
  speex_resampler_skip_zeros(st);
  const std::size_t expected =
      static_cast<std::size_t>(static_cast<long long>(input.size()) * output_rate_hz / input_rate_hz);
  std::vector<std::int16_t> out(expected + 64);
  spx_uint32_t in_len = static_cast<spx_uint32_t>(padded.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(out.size());
  speex_resampler_process_int(st, 0, padded.data(), &in_len, out.data(), &out_len);
  speex_resampler_destroy(st);
  out.resize(std::min<std::size_t>(out_len, expected));
  out.resize(expected, 0);
  return out;
}

}  // namespace libconf::audio
