#include "libconf/audio/level.hpp"

#include <gtest/gtest.h>

#include "support/signals.hpp"

namespace libconf::audio {

TEST(Level, FullScaleSineIsMinus3Dbfs) {
  auto s = test::sine(1000, -3.0103, 8000, 8000);
  EXPECT_NEAR(rms_dbfs(s), -3.01, 0.05);
  EXPECT_GE(peak_abs(s), 32700);
}

TEST(Level, SilenceAndGains) {
  std::vector<std::int16_t> z(160, 0);
  EXPECT_EQ(rms_dbfs(z), kSilenceDbfs);
  EXPECT_NEAR(db_to_gain(-6.0206), 0.5, 1e-4);
  EXPECT_NEAR(gain_to_db(2.0), 6.0206, 1e-3);
  auto s = test::sine(440, -20.0, 16000, 16000);
  EXPECT_NEAR(rms_dbfs(s), -20.0, 0.05);
}
}  // namespace libconf::audio
