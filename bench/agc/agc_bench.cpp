// bench_agc: ns per 20 ms frame of libconf::dsp::Agc, TalkerDetector and the
// SpeexDSP AGC baseline, at 8 and 48 kHz, on speech-like input at -30 dBFS.
// Compare libconf's rows with the Speex rows of the same run (ratio).

#include <benchmark/benchmark.h>

#include <vector>

#include "bench/agc/speex_agc.hpp"
#include "libconf/dsp/agc.hpp"
#include "libconf/dsp/talker_detector.hpp"
#include "support/signals.hpp"

namespace {

std::vector<std::int16_t> input(int rate_hz) {
  return libconf::test::speech_like(-30.0, rate_hz, static_cast<std::size_t>(rate_hz) * 4, 1);
}

void BM_LibconfAgc(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  libconf::dsp::AgcConfig c;
  c.sample_rate_hz = rate;
  c.frame_samples = static_cast<std::size_t>(rate / 50);
  libconf::dsp::Agc agc(c);
  const auto x = input(rate);
  std::vector<std::int16_t> frame(c.frame_samples);
  std::size_t pos = 0;
  for (auto _ : state) {
    std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(pos), frame.size(), frame.begin());
    agc.process(frame);
    benchmark::DoNotOptimize(frame.data());
    pos = (pos + frame.size()) % (x.size() - frame.size());
  }
}

void BM_SpeexAgc(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  libconf::bench::SpeexAgc agc(rate, static_cast<std::size_t>(rate / 50), -20.0, 24);
  const auto x = input(rate);
  std::vector<std::int16_t> frame(agc.frame_samples());
  std::size_t pos = 0;
  for (auto _ : state) {
    std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(pos), frame.size(), frame.begin());
    agc.process(frame);
    benchmark::DoNotOptimize(frame.data());
    pos = (pos + frame.size()) % (x.size() - frame.size());
  }
}

void BM_TalkerDetector(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  libconf::dsp::TalkerDetectorConfig c;
  c.sample_rate_hz = rate;
  c.frame_samples = static_cast<std::size_t>(rate / 50);
  libconf::dsp::TalkerDetector det(c);
  const auto x = input(rate);
  std::size_t pos = 0;
  for (auto _ : state) {
    auto u = det.process(std::span<const std::int16_t>(x).subspan(pos, c.frame_samples));
    benchmark::DoNotOptimize(u);
    pos = (pos + c.frame_samples) % (x.size() - c.frame_samples);
  }
}

BENCHMARK(BM_LibconfAgc)->Arg(8000)->Arg(48000);
BENCHMARK(BM_SpeexAgc)->Arg(8000)->Arg(48000);
BENCHMARK(BM_TalkerDetector)->Arg(8000)->Arg(48000);

}  // namespace

BENCHMARK_MAIN();
