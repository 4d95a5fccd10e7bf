#include "libconf/scenario/audio_file.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
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

SndfilePtr open_checked(const std::filesystem::path& path, SF_INFO& info) {
  info = SF_INFO{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file)
    throw Error(errc::io_error, path.string() + ": not an audio file libsndfile can read (" + sf_strerror(nullptr) + ")");
  if (info.channels < 1 || info.channels > kMaxAudioChannels || info.samplerate < 1000 || info.samplerate > 384000)
    throw Error(errc::unsupported_sample_rate, path.string() + ": unsupported audio (" + std::to_string(info.channels) +
                                                   " channels at " + std::to_string(info.samplerate) +
                                                   " Hz; 1.." + std::to_string(kMaxAudioChannels) +
                                                   " channels at 1000..384000 Hz are read)");
  return file;
}

/// Largest reservation made from a header's claim (64 chunks, 512 KiB).
constexpr std::size_t kReserveFrames = 64 * static_cast<std::size_t>(kAudioReadChunkFrames);

}  // namespace

AudioFileInfo probe_audio_file(const std::filesystem::path& path) {
  SF_INFO info{};
  (void)open_checked(path, info);
  return AudioFileInfo{info.samplerate, info.channels, static_cast<std::int64_t>(info.frames)};
}

AudioBuffer read_audio_file(const std::filesystem::path& path) {
  SF_INFO info{};
  SndfilePtr file = open_checked(path, info);
  // Every format is read as float, ±1.0 = full scale, and scaled to 16 bits
  // here. Reading shorts straight from a float or double file returns
  // digital zero (libsndfile does not scale them), and its
  // SFC_SET_SCALE_FLOAT_INT_READ scales by the file's own peak, which would
  // turn every file up to full scale. Integer formats (8/16/24/32-bit,
  // A-law, µ-law, FLAC...) come back exactly: a 16-bit sample s reads as
  // s / 32768.
  sf_command(file.get(), SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  const auto channels = static_cast<std::size_t>(info.channels);
  const auto max_frames = static_cast<std::size_t>(std::llround(kMaxAudioFileSeconds * info.samplerate));
  std::vector<float> chunk(static_cast<std::size_t>(kAudioReadChunkFrames) * channels);
  AudioBuffer out;
  out.sample_rate_hz = info.samplerate;
  // The header's frame count sizes at most the first chunks' reservation:
  // a 42-byte file may claim hours. Beyond that the buffer grows with what
  // is actually read.
  if (info.frames > 0)
    out.samples.reserve(std::min(static_cast<std::size_t>(info.frames), kReserveFrames));
  for (;;) {
    const sf_count_t got = sf_readf_float(file.get(), chunk.data(), kAudioReadChunkFrames);
    if (got < 0) throw Error(errc::io_error, path.string() + ": read failed: " + sf_strerror(file.get()));
    if (got == 0) break;
    const auto frames = static_cast<std::size_t>(got);
    if (out.samples.size() + frames > max_frames)
      throw Error(errc::invalid_argument,
                  path.string() + ": longer than " + std::to_string(static_cast<int>(kMaxAudioFileSeconds / 3600)) +
                      " hours at " + std::to_string(info.samplerate) + " Hz");
    for (std::size_t i = 0; i < frames; ++i) {
      double sum = 0.0;
      for (std::size_t c = 0; c < channels; ++c) sum += chunk[i * channels + c];
      // NaN (a damaged float file) reads as silence, infinities as full scale.
      const double v = sum * 32768.0 / static_cast<double>(channels);
      const double c = v >= 32767.0 ? 32767.0 : v <= -32768.0 ? -32768.0 : v == v ? std::nearbyint(v) : 0.0;
      out.samples.push_back(static_cast<std::int16_t>(c));
    }
    if (got < kAudioReadChunkFrames) break;
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR)
    throw Error(errc::io_error, path.string() + ": read failed: " + sf_strerror(file.get()));
  if (out.samples.empty()) throw Error(errc::invalid_argument, path.string() + ": holds no audio (0 samples)");
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

void check_audio_budget(std::uint64_t bytes, const std::string& what, const std::string& detail) {
  if (bytes <= kAudioMemoryBudgetBytes) return;
  throw Error(errc::invalid_argument, what + ": needs " + std::to_string(bytes >> 20) + " MiB of audio buffers (" +
                                          detail + "), more than the budget of " +
                                          std::to_string(kAudioMemoryBudgetBytes >> 20) + " MiB");
}

}  // namespace libconf::scenario
