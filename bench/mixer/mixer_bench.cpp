// Mixer cost per participant-frame: libconf's O(N) mix-minus with top-N and
// shared outputs, beside the naive O(N²) mix (every listener sums every other
// leg) measured in the same run. Report: per_participant_frame counter (seconds, SI-prefixed: 60n = 60 ns).
//   build/release/bench/mixer/bench_mixer --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "libconf/audio/format.hpp"
#include "libconf/mix/mixer.hpp"
#include "support/signals.hpp"

namespace {

using libconf::mix::LegId;
using libconf::mix::Mixer;
using libconf::mix::MixerConfig;

constexpr int kTalkers = 4;

// Every leg gets a frame each tick; 4 of them talk, the rest send low noise.
void BM_Mixer(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int rate = static_cast<int>(state.range(1));
  MixerConfig cfg;
  cfg.sample_rate_hz = rate;
  cfg.max_legs = static_cast<std::size_t>(n);
  Mixer mixer(cfg);
  const std::size_t frame = mixer.frame_samples();
  auto speech = libconf::test::speech_like(-20.0, rate, frame * 50, 3);
  auto noise = libconf::test::white_noise(-65.0, frame, 9);
  std::vector<LegId> legs;
  for (int i = 0; i < n; ++i) legs.push_back(*mixer.add_leg());
  std::size_t tick = 0;
  for (auto _ : state) {
    const std::size_t off = (tick++ % 50) * frame;
    for (int i = 0; i < n; ++i) {
      auto in = mixer.input(legs[i]);
      const bool talking = i < kTalkers;
      const std::int16_t* src = talking ? speech.data() + off : noise.data();
      std::copy_n(src, frame, in.begin());
      mixer.set_voice(legs[i], talking, talking ? -20.0f - static_cast<float>(i) : -65.0f);
    }
    mixer.mix();
    benchmark::DoNotOptimize(mixer.output(legs.back()).data());
  }
  state.counters["per_participant_frame"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Naive baseline: each listener's mix is the sum of every other leg, gain
// applied, clamped. O(N²) adds, one output buffer per listener.
void BM_NaiveMixer(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int rate = static_cast<int>(state.range(1));
  const std::size_t frame = libconf::audio::samples_per_frame(rate, 20);
  auto speech = libconf::test::speech_like(-20.0, rate, frame * 50, 3);
  auto noise = libconf::test::white_noise(-65.0, frame, 9);
  std::vector<std::int16_t> in(static_cast<std::size_t>(n) * frame), out(in.size());
  std::vector<float> acc(frame);
  std::size_t tick = 0;
  for (auto _ : state) {
    const std::size_t off = (tick++ % 50) * frame;
    for (int i = 0; i < n; ++i)
      std::copy_n(i < kTalkers ? speech.data() + off : noise.data(), frame, in.begin() + i * frame);
    for (int l = 0; l < n; ++l) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int s = 0; s < n; ++s) {
        if (s == l) continue;
        const std::int16_t* src = in.data() + s * frame;
        for (std::size_t k = 0; k < frame; ++k) acc[k] += static_cast<float>(src[k]);
      }
      std::int16_t* dst = out.data() + l * frame;
      for (std::size_t k = 0; k < frame; ++k)
        dst[k] = static_cast<std::int16_t>(std::clamp(acc[k], -32768.0f, 32767.0f));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["per_participant_frame"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void Args(benchmark::internal::Benchmark* b, bool naive) {
  for (int rate : {8000, 48000})
    for (int n : {2, 10, 100, 1000}) {
      if (naive && n == 1000 && rate == 48000) continue;  // ~1 s per iteration; 100 shows the trend
      b->Args({n, rate});
    }
  b->ArgNames({"N", "rate"});
}

}  // namespace

BENCHMARK(BM_Mixer)->Apply([](auto* b) { Args(b, false); });
BENCHMARK(BM_NaiveMixer)->Apply([](auto* b) { Args(b, true); });
BENCHMARK_MAIN();
