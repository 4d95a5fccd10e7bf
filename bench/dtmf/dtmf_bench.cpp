// Cost of in-band DTMF detection per 20 ms frame of one leg: libconf's
// DtmfDetector at 8, 16 and 48 kHz against spandsp's dtmf_rx at 8 kHz, on
// the same samples (speech-like audio with digits typed into it), in the same
// run. After the table it prints each libconf case's speed relative to
// spandsp (the baseline) and the DtmfGuard's cost.
#include <benchmark/benchmark.h>
#include <spandsp.h>

#include <cstdio>
#include <map>
#include <string>

#include "libconf/dsp/dtmf_detector.hpp"
#include "libconf/dsp/dtmf_guard.hpp"
#include "support/dtmf_signals.hpp"
#include "support/signals.hpp"

namespace {

using namespace libconf;

/// 10 s of speech-like audio at -20 dBFS with a digit every 300 ms.
std::vector<std::int16_t> workload(int rate) {
  auto speech = test::speech_like(-20.0, rate, static_cast<std::size_t>(rate) * 10, 3);
  test::DtmfSignal s(rate);
  for (int i = 0; i < 33; ++i) {
    test::DtmfTone t;
    t.digit = dsp::kDtmfDigits[i % 16];
    t.duration_ms = 80;
    t.low_dbm0 = t.high_dbm0 = -8.0;
    s.silence(220).tone(t);
  }
  auto x = s.samples();
  x.resize(speech.size(), 0);
  test::mix_into(x, speech);
  return x;
}

void BM_Libconf(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  const auto x = workload(rate);
  dsp::DtmfDetectorConfig c;
  c.sample_rate_hz = rate;
  dsp::DtmfDetector det(c);
  std::array<dsp::DtmfDigitEvent, 8> ev{};
  const std::size_t frame = static_cast<std::size_t>(rate / 50);
  std::size_t i = 0, events = 0;
  for (auto _ : state) {
    events += det.process(std::span(x).subspan(i, frame), ev);
    i += frame;
    if (i + frame > x.size()) i = 0;
  }
  benchmark::DoNotOptimize(events);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frame));
}
BENCHMARK(BM_Libconf)->Arg(8000)->Arg(16000)->Arg(48000);

void BM_Spandsp(benchmark::State& state) {
  const auto x = workload(8000);
  dtmf_rx_state_t* s = dtmf_rx_init(nullptr, nullptr, nullptr);
  char digits[64];
  std::size_t i = 0;
  for (auto _ : state) {
    dtmf_rx(s, x.data() + i, 160);
    i += 160;
    if (i + 160 > x.size()) {
      i = 0;
      benchmark::DoNotOptimize(dtmf_rx_get(s, digits, 63));
    }
  }
  dtmf_rx_free(s);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 160));
}
BENCHMARK(BM_Spandsp)->Arg(8000);

void BM_Guard(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  const auto x = workload(rate);
  dsp::DtmfGuardConfig c;
  c.sample_rate_hz = rate;
  dsp::DtmfGuard guard(c);
  std::array<dsp::DtmfDigitEvent, 8> ev{};
  const std::size_t frame = static_cast<std::size_t>(rate / 50);
  std::vector<std::int16_t> out(frame);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(guard.process(std::span(x).subspan(i, frame), out, ev));
    i += frame;
    if (i + frame > x.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frame));
}
BENCHMARK(BM_Guard)->Arg(8000)->Arg(48000);

/// Console output plus a record of ns per frame, for the ratio lines.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Iteration) ns_[r.benchmark_name()] = r.GetAdjustedRealTime();
  }
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto base = reporter.ns_.find("BM_Spandsp/8000");
  if (base != reporter.ns_.end()) {
    std::printf("\nns per 20 ms frame; speed relative to spandsp dtmf_rx at 8 kHz (higher is faster):\n");
    for (const auto& [name, ns] : reporter.ns_)
      std::printf("  %-20s %8.0f ns  %5.2fx\n", name.c_str(), ns, base->second / ns);
  }
  benchmark::Shutdown();
  return 0;
}
