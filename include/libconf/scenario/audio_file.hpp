#pragma once
/// @file
/// Audio files through libsndfile: read any format it knows (WAV with 8/16/
/// 24/32-bit integer, 32/64-bit float, A-law or µ-law samples; FLAC; Ogg
/// Vorbis/Opus; AIFF, ...) as mono 16-bit PCM at the file's true level
/// (channels are averaged; ±1.0 in a float file is full scale, never
/// normalised to the file's peak), and write 16-bit WAV.
///
/// Bounded: files are read in chunks of kAudioReadChunkFrames, never by the
/// header's claim, and reading stops with an error past kMaxAudioFileSeconds
/// of audio at the file's own rate. Configuration-time helpers: they allocate
/// and throw libconf::Error naming the file and the problem.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace libconf::scenario {

struct AudioBuffer {
  std::vector<std::int16_t> samples;
  int sample_rate_hz = 0;
};

/// What a file's header says (nothing is decoded).
struct AudioFileInfo {
  int sample_rate_hz = 0;
  int channels = 0;
  /// Frames the header claims (may be wrong for a damaged file; the reader
  /// never trusts it). Negative or huge claims are reported as they are.
  std::int64_t frames = 0;
  double duration_s() const noexcept { return sample_rate_hz > 0 ? static_cast<double>(frames) / sample_rate_hz : 0.0; }
};

/// Longest audio read_audio_file reads, seconds of audio at the file's own rate.
inline constexpr double kMaxAudioFileSeconds = 4.0 * 3600.0;
/// Frames read per libsndfile call (bounds the temporary buffer: 4096 frames
/// of at most kMaxAudioChannels float channels, 1 MiB).
inline constexpr std::int64_t kAudioReadChunkFrames = 4096;
/// Most channels accepted in a file.
inline constexpr int kMaxAudioChannels = 64;

/// Opens the file and reads its header. Throws Error(io_error) when libsndfile
/// cannot read it, unsupported_sample_rate for a rate outside 1000..384000 Hz
/// or a channel count outside 1..kMaxAudioChannels.
AudioFileInfo probe_audio_file(const std::filesystem::path& path);

/// Reads the whole file, mono, at its own rate. Errors as probe_audio_file,
/// plus invalid_argument for an empty file ("holds no audio") or one longer
/// than kMaxAudioFileSeconds, and io_error for a read that fails midway.
AudioBuffer read_audio_file(const std::filesystem::path& path);
/// Reads and converts to rate_hz (any rate libsndfile gives, resampled with SpeexDSP).
AudioBuffer read_audio_file(const std::filesystem::path& path, int rate_hz);
void write_wav(const std::filesystem::path& path, std::span<const std::int16_t> samples, int sample_rate_hz);

/// Memory budget of one file-host run (a scenario or a story): the audio it
/// holds at once — every participant's or phone's input and what it hears,
/// 16-bit samples at its codec rate over the whole run. 4 GiB: e.g. 100
/// participants at 48 kHz for 220 s, 10 at 8 kHz for 7.4 hours; a sixth of
/// the 24 GiB machine this project is measured on.
inline constexpr std::uint64_t kAudioMemoryBudgetBytes = std::uint64_t{4} << 30;
/// Throws Error(invalid_argument) "<what>: needs N MiB of audio buffers
/// (<detail>), more than the budget of 4096 MiB" when bytes exceeds the budget.
void check_audio_budget(std::uint64_t bytes, const std::string& what, const std::string& detail);

}  // namespace libconf::scenario
