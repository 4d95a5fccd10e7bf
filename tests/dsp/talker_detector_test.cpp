#include "libconf/dsp/talker_detector.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "libconf/error.hpp"
#include "support/agc_signals.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::dsp {
namespace {

struct Run {
  std::vector<TalkerUpdate> updates;
  int starts = 0;
  int stops = 0;
  int first_start = -1;  // frame index
  int last_stop = -1;
};

Run run(TalkerDetector& d, const std::vector<std::int16_t>& x) {
  Run r;
  const std::size_t n = d.config().frame_samples;
  for (std::size_t i = 0; i + n <= x.size(); i += n) {
    const auto u = d.process(std::span<const std::int16_t>(x).subspan(i, n));
    const int f = static_cast<int>(i / n);
    if (u.started) {
      ++r.starts;
      if (r.first_start < 0) r.first_start = f;
    }
    if (u.stopped) {
      ++r.stops;
      r.last_stop = f;
    }
    r.updates.push_back(u);
  }
  return r;
}

TalkerDetectorConfig config(int rate_hz, int frame_ms) {
  TalkerDetectorConfig c;
  c.sample_rate_hz = rate_hz;
  c.frame_samples = static_cast<std::size_t>(rate_hz / 1000 * frame_ms);
  return c;
}

struct Format {
  int rate_hz;
  int frame_ms;
};

class TalkerDetectorFormats : public ::testing::TestWithParam<Format> {};

// Onset at -30 dBFS after silence, and after a -60 dBFS noise floor: start is
// reported in the first or second frame of speech (at 10 ms frames within 20 ms).
TEST_P(TalkerDetectorFormats, StartsWithinTwoFramesOfOnsetAtMinus30) {
  const auto [rate, frame_ms] = GetParam();
  const std::size_t one_s = static_cast<std::size_t>(rate);
  for (bool noisy : {false, true}) {
    TalkerDetector d(config(rate, frame_ms));
    auto lead = noisy ? test::white_noise(-60.0, one_s, 7) : std::vector<std::int16_t>(one_s, 0);
    auto speech = test::speech_like(-30.0, rate, 2 * one_s, 3);
    if (noisy) test::mix_into(speech, test::white_noise(-60.0, speech.size(), 8));
    const auto r = run(d, test::concat(lead, speech));
    const int onset_frame = 1000 / frame_ms;
    ASSERT_EQ(r.starts, 1) << "noisy=" << noisy;
    EXPECT_GE(r.first_start, onset_frame) << "noisy=" << noisy;
    EXPECT_LE(r.first_start, onset_frame + (frame_ms == 10 ? 2 : 1)) << "noisy=" << noisy;
    EXPECT_TRUE(d.talking());
  }
}

// White and pink noise at -40 dBFS from the first frame: never a talker.
TEST_P(TalkerDetectorFormats, NeverStartsOnSteadyNoiseAtMinus40) {
  const auto [rate, frame_ms] = GetParam();
  const std::size_t n = static_cast<std::size_t>(rate) * 10;
  for (int pink = 0; pink < 2; ++pink) {
    TalkerDetector d(config(rate, frame_ms));
    const auto noise = pink ? test::pink_noise(-40.0, n, 11) : test::white_noise(-40.0, n, 12);
    const auto r = run(d, noise);
    EXPECT_EQ(r.starts, 0) << (pink ? "pink" : "white");
    // The floor is the minimum of DC-blocked frame levels: at most 1 dB above
    // the noise, and below it by the min-statistics bias plus, for pink noise,
    // the sub-40 Hz energy the DC blocker removes (≈ 7 dB at 8 kHz).
    EXPECT_LE(d.noise_floor_dbfs(), -39.0);
    EXPECT_GE(d.noise_floor_dbfs(), -48.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, TalkerDetectorFormats,
                         ::testing::Values(Format{8000, 10}, Format{8000, 20}, Format{16000, 20}, Format{24000, 40},
                                           Format{32000, 60}, Format{48000, 10}, Format{48000, 20}),
                         [](const auto& info) {
                           return std::to_string(info.param.rate_hz) + "Hz_" + std::to_string(info.param.frame_ms) +
                                  "ms";
                         });

// The stop comes exactly hangover_ms after the last speech frame, and the
// talk spurt is not broken up by the pauses between syllables.
TEST(TalkerDetector, StopsAfterHangover) {
  TalkerDetector d(config(8000, 20));
  auto x = test::concat(std::vector<std::int16_t>(8000, 0), test::speech_like(-30.0, 8000, 3 * 8000, 5));
  auto noise = test::white_noise(-65.0, 8000 * 2, 6);
  x = test::concat(x, noise);
  const auto r = run(d, x);
  ASSERT_EQ(r.starts, 1);
  ASSERT_EQ(r.stops, 1);
  int last_speech = -1;
  for (int f = 0; f < r.last_stop; ++f)
    if (r.updates[f].speech_frame) last_speech = f;
  EXPECT_EQ(r.last_stop - last_speech, 300 / 20);
  // The signal ends 4 s in (frame 200): the stop is at most hangover + 1 frame later.
  const double stop_after_end_ms = (r.last_stop + 1 - 200) * 20.0;
  EXPECT_GE(stop_after_end_ms, 300.0 - 250.0);
  EXPECT_LE(stop_after_end_ms, 300.0 + 20.0);
  EXPECT_FALSE(d.talking());
}

TEST(TalkerDetector, SpeechInNoiseIsOneSpurt) {
  TalkerDetector d(config(16000, 20));
  auto x = test::concat(test::white_noise(-50.0, 16000, 1), test::speech_like(-30.0, 16000, 4 * 16000, 9));
  x = test::concat(x, test::white_noise(-50.0, 16000 * 2, 2));
  test::mix_into(std::span<std::int16_t>(x).subspan(16000, 4 * 16000), test::white_noise(-50.0, 4 * 16000, 3));
  const auto r = run(d, x);
  EXPECT_EQ(r.starts, 1);
  EXPECT_EQ(r.stops, 1);
  EXPECT_NEAR(d.noise_floor_dbfs(), -50.0, 4.0);
}

// A line that goes from digital silence to steady noise looks like an onset;
// the floor must catch up and the talker stop within 1.5 s, for good.
TEST(TalkerDetector, SteadyNoiseAfterSilenceStopsCounting) {
  TalkerDetector d(config(8000, 20));
  const auto x = test::concat(std::vector<std::int16_t>(8000, 0), test::white_noise(-40.0, 8000 * 8, 21));
  const auto r = run(d, x);
  ASSERT_LE(r.starts, 1);
  if (r.starts == 1) {
    EXPECT_EQ(r.stops, 1);
    EXPECT_LE((r.last_stop - 50) * 20, 1500);
  }
  EXPECT_FALSE(d.talking());
}

// Isolated lost frames (digital zeros) in a noisy line must not drop the
// floor and make the next noise frames look like speech.
TEST(TalkerDetector, DropoutsInNoiseDoNotStartTalk) {
  TalkerDetector d(config(8000, 20));
  auto x = test::white_noise(-45.0, 8000 * 10, 31);
  for (std::size_t f = 25; f * 160 < x.size(); f += 37)
    std::fill_n(x.begin() + static_cast<std::ptrdiff_t>(f * 160), 160, 0);
  EXPECT_EQ(run(d, x).starts, 0);
}

TEST(TalkerDetector, ForceStopGivesTheFinalStop) {
  TalkerDetector d(config(8000, 20));
  const auto x = test::concat(std::vector<std::int16_t>(8000, 0), test::speech_like(-25.0, 8000, 8000, 4));
  const auto r = run(d, x);
  ASSERT_TRUE(d.talking());
  ASSERT_EQ(r.stops, 0);
  const auto u = d.force_stop();
  EXPECT_TRUE(u.stopped);
  EXPECT_FALSE(u.talking);
  EXPECT_FALSE(d.talking());
  EXPECT_EQ(d.level_dbfs(), -120.f);
  EXPECT_FALSE(d.force_stop().stopped);  // only one stop per spurt
  // Speech continuing (unmuted) starts a new spurt.
  const auto again = run(d, test::speech_like(-25.0, 8000, 8000, 5));
  EXPECT_EQ(again.starts, 1);
  // Not talking: no stop.
  TalkerDetector quiet(config(8000, 20));
  EXPECT_FALSE(quiet.force_stop().stopped);
}

// The ranking level follows the talker's level and orders talkers.
TEST(TalkerDetector, LevelRanksTalkers) {
  TalkerDetector loud(config(8000, 20));
  TalkerDetector soft(config(8000, 20));
  const auto lead = std::vector<std::int16_t>(8000, 0);
  run(loud, test::concat(lead, test::speech_like(-20.0, 8000, 3 * 8000, 1)));
  run(soft, test::concat(lead, test::speech_like(-32.0, 8000, 3 * 8000, 1)));
  ASSERT_TRUE(loud.talking());
  ASSERT_TRUE(soft.talking());
  EXPECT_GT(loud.level_dbfs(), soft.level_dbfs() + 8.0f);
  EXPECT_NEAR(loud.level_dbfs(), -20.0, 6.0);
  EXPECT_NEAR(soft.level_dbfs(), -32.0, 6.0);
}

TEST(TalkerDetector, ProcessIsAllocationFree) {
  TalkerDetector d(config(48000, 20));
  const auto x = test::concat(test::white_noise(-50.0, 48000, 1), test::speech_like(-30.0, 48000, 48000, 2));
  run(d, x);  // warm-up
  const std::span<const std::int16_t> s(x);
  test::AllocationScope scope;
  for (std::size_t i = 0; i + 960 <= s.size(); i += 960) (void)d.process(s.subspan(i, 960));
  (void)d.force_stop();
  d.reset();
  EXPECT_EQ(scope.count(), 0u);
}

TEST(TalkerDetector, WrongFrameSizeIsIgnored) {
  TalkerDetector d(config(8000, 20));
  std::vector<std::int16_t> big(1000, 20000);
  const auto u = d.process(big);
  EXPECT_FALSE(u.talking);
  EXPECT_FALSE(u.started);
  EXPECT_FALSE(d.process({}).started);
}

TEST(TalkerDetector, BadConfigNamesTheValue) {
  auto expect_error = [](TalkerDetectorConfig c, errc code, const std::string& needle) {
    try {
      TalkerDetector d(c);
      ADD_FAILURE() << "no throw for " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), code);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  auto c = config(8000, 20);
  c.sample_rate_hz = 11025;
  expect_error(c, errc::unsupported_sample_rate, "sample_rate_hz: 11025");
  c = config(8000, 20);
  c.frame_samples = 100;
  expect_error(c, errc::unsupported_frame_size, "frame_samples: 100");
  c = config(8000, 20);
  c.hangover_ms = -1;
  expect_error(c, errc::invalid_argument, "hangover_ms: -1");
  c = config(8000, 20);
  c.start_margin_db = 3.0;
  expect_error(c, errc::invalid_argument, "start_margin_db");
}

}  // namespace
}  // namespace libconf::dsp
