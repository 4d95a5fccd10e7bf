#include "libconf/scenario/audio_file.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "libconf/audio/level.hpp"
#include "libconf/error.hpp"
#include "support/alloc_counter.hpp"

namespace libconf::scenario {
namespace {

class AudioFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("libconf_audio_file_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes 1 s of a 1 kHz sine of amplitude `peak` (full scale = 1) in the
  // given libsndfile format, the same signal on every channel. Returns false
  // when this libsndfile cannot write the format.
  bool write(const std::filesystem::path& path, int format, int rate, double peak, int channels = 1) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    if (!sf_format_check(&info)) return false;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) return false;
    std::vector<double> x(static_cast<std::size_t>(rate * channels));
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = peak * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(i / channels) / rate);
    sf_writef_double(f, x.data(), rate);
    sf_close(f);
    return true;
  }
  std::filesystem::path dir_;
};

struct Format {
  const char* name;
  int format;
  double tolerance_db;  // quantisation and codec loss at -6 dBFS
};

TEST_F(AudioFile, EverySampleFormatReadsAtItsTrueLevel) {
  // A sine of peak 0.5 is -9.03 dBFS RMS (full-scale square = 0 dBFS).
  const double expected = 20.0 * std::log10(0.5 / std::numbers::sqrt2);
  const Format formats[] = {
      {"WAV 8-bit unsigned", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 0.3},
      {"WAV 16-bit", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0.05},
      {"WAV 24-bit", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 0.05},
      {"WAV 32-bit", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 0.05},
      {"WAV 32-bit float", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0.05},
      {"WAV 64-bit float", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 0.05},
      {"WAV A-law", SF_FORMAT_WAV | SF_FORMAT_ALAW, 0.3},
      {"WAV u-law", SF_FORMAT_WAV | SF_FORMAT_ULAW, 0.3},
      {"AIFF 16-bit", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 0.05},
      {"AIFF 32-bit float", SF_FORMAT_AIFF | SF_FORMAT_FLOAT, 0.05},
      {"FLAC 16-bit", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 0.05},
      {"FLAC 24-bit", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 0.05},
      {"Ogg Vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 0.5},
      {"Ogg Opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 0.5},
  };
  int written = 0;
  for (const auto& f : formats) {
    const int rate = (f.format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS ? 48000 : 16000;
    const auto path = dir_ / (std::string("x") + std::to_string(written) + ".audio");
    if (!write(path, f.format, rate, 0.5)) {
      // Vorbis and Opus depend on how libsndfile was built; the others must work.
      const int major = f.format & SF_FORMAT_TYPEMASK;
      EXPECT_EQ(major, SF_FORMAT_OGG) << f.name << " cannot be written";
      continue;
    }
    ++written;
    const AudioBuffer b = read_audio_file(path);
    ASSERT_EQ(b.sample_rate_hz, rate) << f.name;
    ASSERT_GE(b.samples.size(), static_cast<std::size_t>(rate * 9 / 10)) << f.name;
    // Skip codec warm-up at the start.
    const std::span<const std::int16_t> body(b.samples.data() + rate / 10, static_cast<std::size_t>(rate * 7 / 10));
    EXPECT_NEAR(audio::rms_dbfs(body), expected, f.tolerance_db) << f.name;
  }
  EXPECT_GE(written, 12);
}

TEST_F(AudioFile, FloatFullScaleIsFullScaleAndChannelsAreAveraged) {
  ASSERT_TRUE(write(dir_ / "f.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 0.99, 2));
  const AudioBuffer b = read_audio_file(dir_ / "f.wav");
  int peak = 0;
  for (auto s : b.samples) peak = std::max(peak, std::abs(static_cast<int>(s)));
  EXPECT_NEAR(peak, 0.99 * 32768, 40);
  // And resampling on the way keeps the level.
  const AudioBuffer r = read_audio_file(dir_ / "f.wav", 16000);
  EXPECT_EQ(r.sample_rate_hz, 16000);
  EXPECT_NEAR(audio::rms_dbfs(r.samples), audio::rms_dbfs(b.samples), 0.2);
}

TEST_F(AudioFile, NanAndInfinityInAFloatFileAreSilenceAndFullScale) {
  // Found by fuzz_audio_file: a NaN sample was cast to int16 (undefined).
  SF_INFO info{};
  info.samplerate = 8000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open((dir_ / "nan.wav").c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  const float x[] = {0.5f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                     -std::numeric_limits<float>::infinity(), 2.0f, -0.25f};
  sf_writef_float(f, x, 6);
  sf_close(f);
  const AudioBuffer b = read_audio_file(dir_ / "nan.wav");
  ASSERT_EQ(b.samples.size(), 6u);
  EXPECT_EQ(b.samples[0], 16384);
  EXPECT_EQ(b.samples[1], 0);
  EXPECT_EQ(b.samples[2], 32767);
  EXPECT_EQ(b.samples[3], -32768);
  EXPECT_EQ(b.samples[4], 32767);
  EXPECT_EQ(b.samples[5], -8192);
}

TEST_F(AudioFile, AHeaderThatClaimsHoursAllocatesLittle) {
  // A 44-byte WAV whose data chunk claims 2 GiB of 16-bit stereo at 8 kHz
  // (37 hours) and holds nothing.
  const auto path = dir_ / "liar.wav";
  {
    std::ofstream o(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { o.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { o.write(reinterpret_cast<const char*>(&v), 2); };
    o.write("RIFF", 4);
    u32(0x7ffffff0u);
    o.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(2);
    u32(8000);
    u32(32000);
    u16(4);
    u16(16);
    o.write("data", 4);
    u32(0x7fffffc0u);
  }
  ASSERT_EQ(std::filesystem::file_size(path), 44u);
  test::reset_thread_largest_allocation();
  try {
    (void)read_audio_file(path);
    FAIL() << "an empty file read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("liar.wav"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("holds no audio"), std::string::npos) << e.what();
  }
  // The chunk buffer (4096 frames x 2 channels) and a bounded reservation,
  // never the 2 GiB the header claims.
  EXPECT_LE(test::thread_largest_allocation(), std::size_t{4} << 20);
}

TEST_F(AudioFile, ErrorsNameTheFile) {
  std::ofstream(dir_ / "text.wav") << "this is not audio";
  try {
    (void)read_audio_file(dir_ / "text.wav");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::io_error);
    EXPECT_NE(std::string(e.what()).find("text.wav: not an audio file"), std::string::npos) << e.what();
  }
  const auto info = (write(dir_ / "ok.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 0.1), probe_audio_file(dir_ / "ok.wav"));
  EXPECT_EQ(info.sample_rate_hz, 8000);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.frames, 8000);
  EXPECT_DOUBLE_EQ(info.duration_s(), 1.0);
}

TEST(AudioBudget, NamesTheFiguresWhenExceeded) {
  EXPECT_NO_THROW(check_audio_budget(kAudioMemoryBudgetBytes, "x.json", "detail"));
  try {
    check_audio_budget(kAudioMemoryBudgetBytes + 1, "x.json", "3600 s x 1000 participants");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument);
    EXPECT_STREQ(e.what(),
                 "x.json: needs 4096 MiB of audio buffers (3600 s x 1000 participants), more than the budget of "
                 "4096 MiB: invalid argument");
  }
}

}  // namespace
}  // namespace libconf::scenario
