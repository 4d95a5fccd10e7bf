#include "libconf/scenario/audio_file.hpp"

#include <sndfile.h>

#include <memory>
#include <string>

#include "libconf/audio/resampler.hpp"
#include "libconf/error.hpp"

namespace libconf::scenario {

namespace {
struct SndfileCloser {
  void operator()(SNDFILE* f) const noexcept { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;
}  // namespace

AudioBuffer read_audio_file(const std::filesystem::path& path) {
  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file)
    throw Error(errc::io_error, path.string() + ": cannot read audio: " + sf_strerror(nullptr));
  if (info.channels < 1 || info.samplerate < 1000 || info.samplerate > 384000)
    throw Error(errc::unsupported_sample_rate, path.string() + ": unsupported audio (" + std::to_string(info.channels) +
                                                   " channels at " + std::to_string(info.samplerate) + " Hz)");
  if (info.frames > static_cast<sf_count_t>(384000) * 3600 * 4)
    throw Error(errc::invalid_argument, path.string() + ": longer than 4 hours");
  std::vector<std::int16_t> interleaved(static_cast<std::size_t>(info.frames) * static_cast<std::size_t>(info.channels));
  const sf_count_t got = sf_readf_short(file.get(), interleaved.data(), info.frames);
  AudioBuffer out;
  out.sample_rate_hz = info.samplerate;
  out.samples.resize(static_cast<std::size_t>(got));
  for (std::size_t i = 0; i < out.samples.size(); ++i) {
    int sum = 0;
    for (int c = 0; c < info.channels; ++c) sum += interleaved[i * static_cast<std::size_t>(info.channels) + static_cast<std::size_t>(c)];
    out.samples[i] = static_cast<std::int16_t>(sum / info.channels);
  }
  return out;
}

AudioBuffer read_audio_file(const std::filesystem::path& path, int rate_hz) {
  AudioBuffer in = read_audio_file(path);
  if (in.sample_rate_hz == rate_hz) return in;
  return AudioBuffer{audio::resample_buffer(in.samples, in.sample_rate_hz, rate_hz), rate_hz};
}

void write_wav(const std::filesystem::path& path, std::span<const std::int16_t> samples, int sample_rate_hz) {
  SF_INFO info{};
  info.samplerate = sample_rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SndfilePtr file(sf_open(path.c_str(), SFM_WRITE, &info));
  if (!file) throw Error(errc::io_error, path.string() + ": cannot write WAV: " + sf_strerror(nullptr));
  if (sf_writef_short(file.get(), samples.data(), static_cast<sf_count_t>(samples.size())) !=
      static_cast<sf_count_t>(samples.size()))
    throw Error(errc::io_error, path.string() + ": short write: " + sf_strerror(file.get()));
}

}  // namespace libconf::scenario
