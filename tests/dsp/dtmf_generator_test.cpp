#include "libconf/dsp/dtmf_generator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "libconf/audio/level.hpp"
#include "libconf/dsp/comfort_noise.hpp"
#include "support/alloc_counter.hpp"
#include "support/dtmf_signals.hpp"
#include "support/signals.hpp"

namespace libconf::dsp {
namespace {

TEST(DtmfGenerator, PlaysDigitsTheDetectorFindsAtEveryRate) {
  for (int rate : {8000, 16000, 48000}) {
    DtmfGeneratorConfig c;
    c.sample_rate_hz = rate;
    c.on_ms = 60;
    c.off_ms = 60;
    DtmfGenerator g(c);
    ASSERT_TRUE(g.queue("0123456789*#abcd").has_value());
    std::vector<std::int16_t> x(static_cast<std::size_t>(rate) * 2);
    // Odd frame sizes: phase and timing must carry across calls.
    for (std::size_t i = 0; i < x.size(); i += 97) g.generate(std::span(x).subspan(i, std::min<std::size_t>(97, x.size() - i)));
    EXPECT_EQ(test::digits_of(test::detect_libconf(x, rate)), "0123456789*#ABCD") << rate;
    EXPECT_TRUE(g.idle());
  }
}

TEST(DtmfGenerator, LevelTwistAndDuration) {
  DtmfGeneratorConfig c;
  c.level_dbm0 = -12.0;
  c.high_minus_low_db = 2.0;
  DtmfGenerator g(c);
  ASSERT_TRUE(g.play('5', 100, 50).has_value());
  std::vector<std::int16_t> x(8000);
  g.generate(x);
  const auto tone = std::span(x).first(800);
  EXPECT_NEAR(test::tone_level_dbfs(tone, 770, 8000), -12.0 + audio::kDbm0InDbfs, 0.1);
  EXPECT_NEAR(test::tone_level_dbfs(tone, 1336, 8000), -10.0 + audio::kDbm0InDbfs, 0.1);
  EXPECT_EQ(audio::peak_abs(std::span(x).subspan(800)), 0);  // exactly 100 ms of tone
  EXPECT_GT(audio::peak_abs(std::span(x).subspan(790, 10)), 0);
  // Split generation equals one-shot generation sample for sample.
  DtmfGenerator a(c), b(c);
  ASSERT_TRUE(a.queue("93").has_value());
  ASSERT_TRUE(b.queue("93").has_value());
  std::vector<std::int16_t> one(4000), split(4000);
  a.generate(one);
  for (std::size_t i = 0; i < split.size(); i += 160) b.generate(std::span(split).subspan(i, 160));
  EXPECT_EQ(one, split);
}

TEST(DtmfGenerator, ErrorsAndAllocationFreeFrames) {
  DtmfGenerator g;
  EXPECT_EQ(g.queue("12x").error(), make_error_code(errc::invalid_argument));
  EXPECT_TRUE(g.idle());
  EXPECT_EQ(g.play('1', 0, 10).error(), make_error_code(errc::invalid_argument));
  EXPECT_EQ(g.queue(std::string(65, '1')).error(), make_error_code(errc::capacity_exceeded));
  DtmfGeneratorConfig c;
  c.level_dbm0 = 9.0;
  try {
    DtmfGenerator bad(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("level_dbm0"), std::string::npos);
  }
  ASSERT_TRUE(g.queue("123").has_value());
  std::vector<std::int16_t> frame(160);
  test::AllocationScope scope;
  for (int i = 0; i < 20; ++i) g.generate(frame);
  ASSERT_TRUE(g.queue("4").has_value());
  g.clear();
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_TRUE(g.idle());
}

TEST(ComfortNoise, LevelSeedAndColour) {
  for (auto color : {NoiseColor::kWhite, NoiseColor::kPink}) {
    ComfortNoiseConfig c;
    c.level_dbfs = -40.0;
    c.color = color;
    c.seed = 7;
    ComfortNoise a(c), b(c);
    std::vector<std::int16_t> x(160000), y(160000);
    a.generate(x);
    for (std::size_t i = 0; i < y.size(); i += 160) b.generate(std::span(y).subspan(i, 160));
    EXPECT_EQ(x, y);  // deterministic, frame-size independent
    EXPECT_NEAR(audio::rms_dbfs(x), -40.0, color == NoiseColor::kWhite ? 0.1 : 0.5);
    // Spectral shape at 8 kHz, averaged over 100 blocks of 200 ms: white is
    // flat, pink falls about 3 dB/octave.
    double low = 0.0, high = 0.0;
    for (std::size_t b = 0; b < 100; ++b) {
      const auto blk = std::span(x).subspan(b * 1600, 1600);
      for (double f : {250.0, 300.0, 350.0}) low += std::pow(10.0, test::tone_level_dbfs(blk, f, 8000) / 10.0);
      for (double f : {2000.0, 2400.0, 2800.0}) high += std::pow(10.0, test::tone_level_dbfs(blk, f, 8000) / 10.0);
    }
    const double tilt_db = 10.0 * std::log10(low / high);
    if (color == NoiseColor::kWhite)
      EXPECT_NEAR(tilt_db, 0.0, 1.0);
    else
      EXPECT_NEAR(tilt_db, 9.0, 2.0);  // 3 octaves at -3 dB/octave
    c.seed = 8;
    ComfortNoise other(c);
    std::vector<std::int16_t> z(160000);
    other.generate(z);
    EXPECT_LT(std::abs(test::correlation(x, z)), 0.05);
  }
  ComfortNoise n;
  std::vector<std::int16_t> frame(160);
  test::AllocationScope scope;
  n.generate(frame);
  n.set_level_dbfs(-130);
  n.generate(frame);
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_EQ(audio::peak_abs(frame), 0);
}

}  // namespace
}  // namespace libconf::dsp
