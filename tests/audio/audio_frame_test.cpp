#include "libconf/audio/audio_frame.hpp"

#include <gtest/gtest.h>

namespace libconf::audio {

TEST(AudioFrame, ConfiguresEverySupportedRateAndPtime) {
  AudioFrame f;
  for (int rate : kSupportedSampleRatesHz)
    for (int ptime : kSupportedPtimesMs) {
      ASSERT_TRUE(f.configure(rate, ptime));
      EXPECT_EQ(f.size(), static_cast<std::size_t>(rate / 1000 * ptime));
      EXPECT_EQ(f.samples().size(), f.size());
    }
  EXPECT_EQ(samples_per_frame(8000, 20), 160u);
  EXPECT_EQ(samples_per_frame(48000, 60), kMaxFrameSamples);
}

TEST(AudioFrame, RejectsUnsupportedRateAndPtimeByName) {
  AudioFrame f;
  EXPECT_EQ(f.configure(44100, 20).error(), errc::unsupported_sample_rate);
  EXPECT_EQ(f.configure(8000, 30).error(), errc::unsupported_frame_size);
  EXPECT_EQ(f.sample_rate_hz(), 8000);  // unchanged on error
}
}  // namespace libconf::audio
