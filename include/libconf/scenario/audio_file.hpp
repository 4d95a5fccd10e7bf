#pragma once
/// @file
/// Audio files through libsndfile: read any format it knows (WAV, FLAC, Ogg,
/// AIFF, ...) as mono 16-bit PCM (channels are averaged), write 16-bit WAV.
/// Configuration-time helpers: they allocate and throw libconf::Error naming
/// the file and the problem.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace libconf::scenario {

struct AudioBuffer {
  std::vector<std::int16_t> samples;
  int sample_rate_hz = 0;
};

AudioBuffer read_audio_file(const std::filesystem::path& path);
/// Reads and converts to rate_hz (any rate libsndfile gives, resampled with SpeexDSP).
AudioBuffer read_audio_file(const std::filesystem::path& path, int rate_hz);
void write_wav(const std::filesystem::path& path, std::span<const std::int16_t> samples, int sample_rate_hz);

}  // namespace libconf::scenario
