#include "libconf/dsp/tone_generator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::dsp {
namespace {

/// On/off durations (ms) measured from 5 ms blocks' levels.
std::vector<int> measured_cadence(const std::vector<std::int16_t>& x, int rate) {
  std::vector<int> segments;
  const std::size_t block = static_cast<std::size_t>(rate / 200);
  bool on = true;
  int ms = 0;
  for (std::size_t i = 0; i + block <= x.size(); i += block) {
    const bool now = audio::rms_dbfs(std::span(x).subspan(i, block)) > -60.0;
    if (now != on) {
      segments.push_back(ms);
      ms = 0;
      on = now;
    }
    ms += 5;
  }
  return segments;
}

TEST(ToneGenerator, EveryPresetHasItsFrequenciesLevelAndCadence) {
  for (auto region : {ToneRegion::kEurope, ToneRegion::kNorthAmerica, ToneRegion::kUnitedKingdom,
                      ToneRegion::kGermany, ToneRegion::kSwitzerland, ToneRegion::kJapan})
    for (auto tone : {CallProgressTone::kDial, CallProgressTone::kRingback, CallProgressTone::kBusy,
                      CallProgressTone::kCongestion})
      for (int rate : {8000, 48000}) {
        const ToneSpec spec = tone_spec(region, tone);
        ToneGenerator g(rate, spec);
        std::vector<std::int16_t> x(static_cast<std::size_t>(rate) * 12);
        for (std::size_t i = 0; i < x.size(); i += 160) g.generate(std::span(x).subspan(i, 160));
        // 100 ms of the first on-segment; a modulated tone needs whole 16 Hz
        // periods (its 1 s on-segment) to separate the sidebands.
        const auto first_on = std::span(x).first(static_cast<std::size_t>(spec.modulation_hz > 0 ? rate : rate / 10));
        const std::string where = std::to_string(static_cast<int>(region)) + "/" + std::to_string(static_cast<int>(tone));
        for (double f : spec.frequencies_hz) {
          if (f == 0.0) continue;
          // A modulated tone's level is its envelope peak: the carrier sits
          // 20 log10(1 + depth) below it.
          const double expect = spec.level_dbm0 + audio::kDbm0InDbfs -
                                (spec.modulation_hz > 0 ? 20.0 * std::log10(1.0 + kModulationDepth) : 0.0);
          EXPECT_NEAR(test::tone_level_dbfs(first_on, f, rate), expect, 0.3) << where;
        }
        const auto segments = measured_cadence(x, rate);
        if (spec.cadence_ms[0] == 0) {
          EXPECT_TRUE(segments.empty()) << where;  // continuous
          continue;
        }
        int n = 0;
        while (n < 6 && spec.cadence_ms[n] != 0) ++n;
        ASSERT_GE(segments.size(), static_cast<std::size_t>(n)) << where;
        for (std::size_t i = 0; i + 1 < segments.size(); ++i)
          EXPECT_NEAR(segments[i], spec.cadence_ms[i % n], 10) << where << " segment " << i;
      }
}

TEST(ToneGenerator, JapaneseRingbackIsModulatedAt16Hz) {
  ToneGenerator g(8000, tone_spec(ToneRegion::kJapan, CallProgressTone::kRingback));
  std::vector<std::int16_t> x(8000);
  g.generate(x);
  // Envelope in 5 ms blocks over the first second: 16 maxima.
  std::vector<double> env;
  for (std::size_t i = 0; i + 40 <= 8000; i += 40) env.push_back(audio::rms_dbfs(std::span(x).subspan(i, 40)));
  int peaks = 0;
  for (std::size_t i = 1; i + 1 < env.size(); ++i)
    if (env[i] > env[i - 1] && env[i] >= env[i + 1] && env[i] > -30) ++peaks;
  EXPECT_NEAR(peaks, 16, 1);
}

TEST(ToneGenerator, PhaseContinuesAcrossFramesAndNothingAllocates) {
  const auto spec = tone_spec(ToneRegion::kNorthAmerica, CallProgressTone::kDial);
  ToneGenerator a(16000, spec), b(16000, spec);
  std::vector<std::int16_t> one(16000), split(16000);
  a.generate(one);
  test::AllocationScope scope;
  for (std::size_t i = 0; i < split.size(); i += 123) b.generate(std::span(split).subspan(i, std::min<std::size_t>(123, split.size() - i)));
  ASSERT_TRUE(b.set_tone(tone_spec(ToneRegion::kUnitedKingdom, CallProgressTone::kBusy)).has_value());
  b.stop();
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_EQ(one, split);
  EXPECT_FALSE(b.playing());
}

TEST(ToneGenerator, RegionNamesAndErrors) {
  EXPECT_EQ(*tone_region_from_name("japan"), ToneRegion::kJapan);
  EXPECT_EQ(tone_region_from_name("mars").error(), make_error_code(errc::not_found));
  ToneGenerator g(8000);
  ToneSpec bad;
  bad.frequencies_hz = {5000.0, 0.0};
  EXPECT_EQ(g.set_tone(bad).error(), make_error_code(errc::invalid_argument));
  EXPECT_THROW(ToneGenerator(8000, bad), Error);
  EXPECT_THROW(ToneGenerator(12345), Error);
}

}  // namespace
}  // namespace libconf::dsp
