#include "libconf/dsp/dtmf_guard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/dtmf_signals.hpp"
#include "support/signals.hpp"

namespace libconf::dsp {
namespace {

struct GuardRun {
  std::vector<std::int16_t> out;
  std::string digits;
  std::size_t max_suppressed_run = 0;
};

GuardRun run_guard(DtmfGuard& guard, const std::vector<std::int16_t>& in, std::size_t frame) {
  GuardRun r;
  r.out.resize(in.size());
  std::array<DtmfDigitEvent, 8> ev{};
  for (std::size_t i = 0; i < in.size(); i += frame) {
    const std::size_t n = std::min(frame, in.size() - i);
    const auto k = guard.process(std::span(in).subspan(i, n), std::span(r.out).subspan(i, n), ev);
    for (std::size_t e = 0; e < k; ++e)
      if (!ev[e].end) r.digits += ev[e].digit;
  }
  return r;
}

/// Loudest DTMF-frequency component in 10 ms blocks of x[begin, end), dBFS.
double max_dtmf_level(const std::vector<std::int16_t>& x, std::size_t begin, std::size_t end, int rate) {
  double worst = -120.0;
  const std::size_t block = static_cast<std::size_t>(rate / 100);
  for (std::size_t b = begin; b + block <= end; b += block / 2) {
    const auto s = std::span(x).subspan(b, block);
    for (double f : kDtmfLowHz) worst = std::max(worst, test::tone_level_dbfs(s, f, rate));
    for (double f : kDtmfHighHz) worst = std::max(worst, test::tone_level_dbfs(s, f, rate));
  }
  return worst;
}

class DtmfGuardRates : public ::testing::TestWithParam<int> {};

TEST_P(DtmfGuardRates, NoDtmfEnergyLeaksWhileDigitsAreTyped) {
  const int rate = GetParam();
  for (double level : {-10.0, -5.0, 0.0}) {
    test::DtmfSignal s(rate);
    s.silence(100);
    int k = 0;
    for (char d : std::string("0123456789*#ABCD")) {
      test::DtmfTone t;
      t.digit = d;
      t.low_dbm0 = t.high_dbm0 = level;
      t.duration_ms = 45 + 15 * (k % 4);
      s.tone(t).silence(45 + 7 * (k++ % 5));
    }
    s.silence(100);
    DtmfGuardConfig c;
    c.sample_rate_hz = rate;
    DtmfGuard guard(c);
    const auto r = run_guard(guard, s.samples(), static_cast<std::size_t>(rate / 50));
    EXPECT_EQ(r.digits, s.digits()) << level;
    const std::size_t delay = guard.lookahead_samples();
    // From 10 ms before the first digit to 10 ms after the last, shifted by the delay.
    const auto begin = static_cast<std::size_t>(s.truth().front().begin) + delay - rate / 100;
    const auto end = std::min(r.out.size(), static_cast<std::size_t>(s.truth().back().end) + delay + rate / 100);
    const double leak = max_dtmf_level(r.out, begin, end, rate);
    std::printf("  %d Hz, tones at %+.0f dBm0: loudest DTMF component in the output %.1f dBFS\n", rate, level, leak);
    EXPECT_LT(leak, -50.0) << level;
  }
}

TEST_P(DtmfGuardRates, SpeechPassesUnchangedApartFromTheDelay) {
  const int rate = GetParam();
  auto speech = test::speech_corpus(rate, 40.0, LIBCONF_DTMF_CORPUS_DIR, 3);
  ASSERT_FALSE(speech.empty());
  auto synthetic = test::speech_like(-20.0, rate, static_cast<std::size_t>(rate) * 5, 11);
  speech.push_back({"speech_like", synthetic});
  for (const auto& piece : speech) {
    DtmfGuardConfig c;
    c.sample_rate_hz = rate;
    DtmfGuard guard(c);
    const auto r = run_guard(guard, piece.samples, static_cast<std::size_t>(rate / 50));
    const std::size_t delay = guard.lookahead_samples();
    ASSERT_GT(piece.samples.size(), delay);
    const auto in = std::span(piece.samples).first(piece.samples.size() - delay);
    const auto out = std::span(r.out).subspan(delay);
    const double corr = test::correlation(in, out);
    EXPECT_GT(corr, 0.99) << piece.name;
    EXPECT_TRUE(r.digits.empty()) << piece.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Rates, DtmfGuardRates, ::testing::Values(8000, 16000, 48000));

TEST(DtmfGuard, DigitsOverSpeechAreRemovedButSpeechAroundThemStays) {
  auto speech = test::speech_like(-24.0, 8000, 8000 * 4, 21);
  test::DtmfSignal s(8000);
  s.silence(1000);
  for (char d : std::string("4321")) {
    test::DtmfTone t;
    t.digit = d;
    t.low_dbm0 = t.high_dbm0 = -4.0;
    t.duration_ms = 70;
    s.tone(t).silence(80);
  }
  auto x = s.samples();
  x.resize(speech.size(), 0);
  test::mix_into(x, speech);
  DtmfGuard guard;
  const auto r = run_guard(guard, x, 160);
  EXPECT_EQ(r.digits, "4321");
  const std::size_t delay = guard.lookahead_samples();
  // The first second (speech only) is untouched.
  EXPECT_GT(test::correlation(std::span(x).first(7000), std::span(r.out).subspan(delay, 7000)), 0.999);
  // Inside each digit (speech there is replaced too) nothing at the DTMF
  // frequencies is left; the tones were at -10 dBFS.
  for (const auto& t : s.truth())
    EXPECT_LT(max_dtmf_level(r.out, t.begin + delay, t.end + delay, 8000), -50.0) << t.digit;
}

TEST(DtmfGuard, ReplacementIsComfortNoiseAtTheConfiguredLevel) {
  test::DtmfSignal s(8000);
  test::DtmfTone t;
  t.digit = '8';
  t.duration_ms = 800;
  s.silence(50).tone(t).silence(200);
  DtmfGuardConfig c;
  c.comfort_noise_dbfs = -60.0;
  DtmfGuard guard(c);
  const auto r = run_guard(guard, s.samples(), 160);
  const auto mid = std::span(r.out).subspan(s.truth()[0].begin + guard.lookahead_samples() + 800, 4800);
  EXPECT_NEAR(audio::rms_dbfs(mid), -60.0, 1.5);
  c.comfort_noise_dbfs = -120.0;
  DtmfGuard silent(c);
  const auto q = run_guard(silent, s.samples(), 160);
  EXPECT_EQ(audio::peak_abs(std::span(q.out).subspan(s.truth()[0].begin + silent.lookahead_samples() + 800, 1600)), 0);
}

TEST(DtmfGuard, SuppressingFollowsTheDigitAndProcessAllocatesNothing) {
  test::DtmfSignal s(8000);
  test::DtmfTone t;
  t.digit = '#';
  t.duration_ms = 200;
  s.silence(100).tone(t).silence(300);
  DtmfGuard guard;
  std::vector<std::int16_t> out(160);
  std::array<DtmfDigitEvent, 4> ev{};
  const auto& x = s.samples();
  (void)guard.process(std::span(x).first(160), out, ev);
  test::AllocationScope scope;
  bool seen = false;
  for (std::size_t i = 160; i + 160 <= x.size(); i += 160) {
    (void)guard.process(std::span(x).subspan(i, 160), out, ev);
    seen = seen || guard.suppressing();
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_TRUE(seen);
  EXPECT_FALSE(guard.suppressing());
}

TEST(DtmfGuard, ConfigErrorsNameTheValue) {
  DtmfGuardConfig c;
  c.lookahead_ms = 10;
  try {
    DtmfGuard g(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lookahead_ms 10"), std::string::npos) << e.what();
  }
  c = {};
  c.sample_rate_hz = 44100;
  EXPECT_THROW(DtmfGuard g(c), Error);
}

}  // namespace
}  // namespace libconf::dsp
