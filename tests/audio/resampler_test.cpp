#include "libconf/audio/resampler.hpp"

#include <gtest/gtest.h>

#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::audio {

TEST(Resampler, EveryRatePairKeepsToneLevelAndFrameSize) {
  for (int in : kSupportedSampleRatesHz)
    for (int out : kSupportedSampleRatesHz) {
      Resampler r(in, out);
      auto x = test::sine(1000, -20.0, in, static_cast<std::size_t>(in));  // 1 s
      std::vector<std::int16_t> y;
      const std::size_t fin = samples_per_frame(in, 20), fout = samples_per_frame(out, 20);
      std::vector<std::int16_t> buf(fout);
      for (std::size_t i = 0; i + fin <= x.size(); i += fin) {
        auto n = r.process(std::span(x).subspan(i, fin), buf);
        ASSERT_TRUE(n);
        ASSERT_EQ(*n, fout) << in << "->" << out;
        y.insert(y.end(), buf.begin(), buf.end());
      }
      // Skip the filter's start-up; the tone keeps its level within 0.5 dB.
      auto steady = std::span(y).subspan(y.size() / 4);
      EXPECT_NEAR(test::tone_level_dbfs(steady, 1000, out), -20.0, 0.5) << in << "->" << out;
    }
}

TEST(Resampler, RemovesContentAboveTheNewNyquist) {
  Resampler r(48000, 8000);
  auto x = test::sine(6000, -10.0, 48000, 48000);
  std::vector<std::int16_t> y(8000);
  for (std::size_t i = 0; i < 50; ++i) {
    auto n = r.process(std::span(x).subspan(i * 960, 960), std::span(y).subspan(i * 160, 160));
    ASSERT_TRUE(n);
  }
  EXPECT_LT(rms_dbfs(std::span(y).subspan(2000)), -50.0);  // 6 kHz aliases to 2 kHz if not filtered
}

TEST(Resampler, ErrorsNameTheBadValue) {
  try {
    Resampler r(44100, 8000);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("44100"), std::string::npos);
  }
  Resampler r(8000, 16000);
  std::vector<std::int16_t> in(160), out(100);
  EXPECT_EQ(r.process(in, out).error(), errc::buffer_too_small);
}

TEST(Resampler, ProcessDoesNotAllocate) {
  Resampler r(8000, 48000);
  std::vector<std::int16_t> in(160, 100), out(960);
  (void)r.process(in, out);
  test::AllocationScope scope;
  for (int i = 0; i < 100; ++i) (void)r.process(in, out);
  EXPECT_EQ(scope.count(), 0u);
}
}  // namespace libconf::audio
