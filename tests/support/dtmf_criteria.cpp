#include "support/dtmf_criteria.hpp"

#include <cmath>

#include "libconf/audio/level.hpp"

namespace libconf::test {
namespace {

constexpr const char* kDigits = "0123456789*#ABCD";
/// Leading silences (ms) that put tones at different offsets to the
/// detector's blocks and the callers' frames.
constexpr double kOffsetsMs[] = {20.0, 21.625, 23.5, 26.875, 30.0, 32.25, 35.5, 38.125};

struct Case {
  DtmfSignal signal;
  std::string expect;
  std::string label;
};

void judge(CriterionResult& r, const DtmfDetectFn& detect, const Case& c) {
  ++r.total;
  const std::string got = digits_of(detect(c.signal.samples()));
  if (got == c.expect) {
    ++r.passed;
  } else if (r.failures.size() < 400) {
    r.failures += c.label + ": expected '" + c.expect + "' got '" + got + "'; ";
  }
}

DtmfTone tone_of(char d, double ms, double low_dbm0 = -10.0, double high_dbm0 = -10.0) {
  DtmfTone t;
  t.digit = d;
  t.duration_ms = ms;
  t.low_dbm0 = low_dbm0;
  t.high_dbm0 = high_dbm0;
  return t;
}

}  // namespace

std::vector<CriterionResult> run_dtmf_criteria(const DtmfDetectFn& detect, int rate, double noise_snr_db) {
  std::vector<CriterionResult> out;
  auto add = [&](const std::string& name, auto&& cases_fn) {
    CriterionResult r;
    r.name = name;
    cases_fn([&](Case c) { judge(r, detect, c); });
    out.push_back(r);
  };
  add("accept every digit at 1.5 % frequency deviation", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (double sl : {-1.0, 1.0})
        for (double sh : {-1.0, 1.0}) {
          auto t = tone_of(d, 60);
          t.low_deviation = 0.015 * sl;
          t.high_deviation = 0.015 * sh;
          DtmfSignal s(rate);
          s.silence(kOffsetsMs[k++ % 8]).tone(t).silence(60);
          judge_case({s, std::string(1, d), std::string(1, d) + (sl > 0 ? "+" : "-") + (sh > 0 ? "+" : "-")});
        }
  });
  add("reject at 3.5 % frequency deviation", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (int which = 0; which < 4; ++which) {
        auto t = tone_of(d, 60);
        (which < 2 ? t.low_deviation : t.high_deviation) = which % 2 ? 0.035 : -0.035;
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone(t).silence(60);
        judge_case({s, "", std::string(1, d) + (which < 2 ? " low " : " high ") + (which % 2 ? "+" : "-")});
      }
  });
  add("accept 40 ms tones", [&](auto judge_case) {
    for (char d : std::string(kDigits))
      for (double off : {kOffsetsMs[0], kOffsetsMs[3], kOffsetsMs[5], kOffsetsMs[6]}) {
        DtmfSignal s(rate);
        s.silence(off).tone(tone_of(d, 40)).silence(60);
        judge_case({s, std::string(1, d), std::string(1, d) + " @" + std::to_string(off)});
      }
  });
  add("reject 23 ms bursts", [&](auto judge_case) {
    for (char d : std::string(kDigits))
      for (double off : {kOffsetsMs[0], kOffsetsMs[2], kOffsetsMs[4], kOffsetsMs[7]}) {
        DtmfSignal s(rate);
        s.silence(off).tone(tone_of(d, 23)).silence(60);
        judge_case({s, "", std::string(1, d) + " @" + std::to_string(off)});
      }
  });
  add("bridge a 10 ms drop-out", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (double len : {80.0, 120.0}) {
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone_with_dropout(tone_of(d, len), 10.0).silence(60);
        judge_case({s, std::string(1, d), std::string(1, d) + " len " + std::to_string(len)});
      }
  });
  add("separate digits by a 40 ms pause", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (int twice = 0; twice < 2; ++twice) {
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone(tone_of(d, 45)).silence(40).tone(tone_of(d, 45)).silence(60);
        judge_case({s, std::string(2, d), std::string(1, d) + " #" + std::to_string(twice)});
      }
  });
  add("accept 8 dB normal twist (high group weaker)", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (double low : {-4.0, -12.0, -17.0}) {
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone(tone_of(d, 60, low, low - 8.0)).silence(60);
        judge_case({s, std::string(1, d), std::string(1, d) + " low " + std::to_string(low)});
      }
  });
  add("accept 4 dB reverse twist (high group louder)", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (double low : {-6.0, -14.0, -25.0}) {
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone(tone_of(d, 60, low, low + 4.0)).silence(60);
        judge_case({s, std::string(1, d), std::string(1, d) + " low " + std::to_string(low)});
      }
  });
  add("accept -25..0 dBm0 per tone", [&](auto judge_case) {
    int k = 0;
    for (char d : std::string(kDigits))
      for (double level : {-25.0, -20.0, -15.0, -10.0, -5.0, 0.0}) {
        DtmfSignal s(rate);
        s.silence(kOffsetsMs[k++ % 8]).tone(tone_of(d, 60, level, level)).silence(60);
        judge_case({s, std::string(1, d), std::string(1, d) + " at " + std::to_string(level)});
      }
  });
  add("accept in white noise at " + std::to_string(static_cast<int>(noise_snr_db)) + " dB SNR",
      [&](auto judge_case) {
        int k = 0;
        for (char d : std::string(kDigits))
          for (double level : {-20.0, -10.0, -3.0}) {
            // Two tones of level L have power L + 3 dB; noise sits SNR below that.
            const double noise_dbfs = level + 3.0103 - noise_snr_db + audio::kDbm0InDbfs;
            DtmfSignal s(rate);
            s.silence(kOffsetsMs[k % 8]).tone(tone_of(d, 60, level, level)).silence(60);
            s.add_noise(noise_dbfs, static_cast<std::uint32_t>(100 + k++));
            judge_case({s, std::string(1, d), std::string(1, d) + " at " + std::to_string(level)});
          }
      });
  return out;
}

double detection_rate(const DtmfDetectFn& detect, int rate, double duration_ms) {
  int hits = 0, total = 0;
  for (char d : std::string(kDigits))
    for (double off : kOffsetsMs) {
      DtmfSignal s(rate);
      s.silence(off).tone(tone_of(d, duration_ms)).silence(60);
      const std::string got = digits_of(detect(s.samples()));
      ++total;
      if (got.find(d) != std::string::npos) ++hits;
    }
  return static_cast<double>(hits) / total;
}

}  // namespace libconf::test
