#include "libconf/mix/limiter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace libconf::mix {

TEST(Limiter, TransparentBelowThreshold) {
  Limiter lim({}, 8000, 160);
  std::vector<float> in(160);
  std::vector<std::int16_t> out(160);
  for (int i = 0; i < 160; ++i) in[i] = 20000.0f * std::sin(i * 0.3f);
  lim.process(in, out);
  for (int i = 0; i < 160; ++i) EXPECT_EQ(out[i], static_cast<std::int16_t>(std::lrint(in[i])));
  EXPECT_EQ(lim.gain(), 1.0f);
}

TEST(Limiter, NeverExceedsThresholdAndReleasesSmoothly) {
  LimiterConfig cfg;
  Limiter lim(cfg, 8000, 160);
  std::vector<float> in(160);
  std::vector<std::int16_t> out(160);
  for (int frame = 0; frame < 20; ++frame) {
    const float amp = frame < 10 ? 200000.0f : 10000.0f;  // +16 dB over full scale, then quiet
    for (int i = 0; i < 160; ++i) in[i] = amp * std::sin((frame * 160 + i) * 0.2f);
    const float before = lim.gain();
    lim.process(in, out);
    for (auto s : out) ASSERT_LE(std::abs(s), static_cast<int>(cfg.threshold) + 1);
    if (frame >= 11) {
      // 60 dB/s release: at most 1.2 dB of gain recovery per 20 ms frame.
      EXPECT_LE(20 * std::log10(lim.gain() / before), 1.21f);
    }
  }
  EXPECT_LT(lim.gain(), 1.0f);
}
}  // namespace libconf::mix
