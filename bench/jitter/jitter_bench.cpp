// Cost of one packet through the jitter buffer: put() then get(), steady
// stream with light jitter, and the same with reordering and loss.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "libconf/jitter/jitter_buffer.hpp"

namespace {

void run(benchmark::State& state, double loss, double reorder) {
  using namespace libconf::jitter;
  JitterBuffer jb{JitterConfig{}};
  std::vector<std::uint8_t> payload(160, 0x55);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uint32_t k = 0;
  std::int64_t now = 0;
  for (auto _ : state) {
    libconf::transport::ReceivedPacket p;
    p.payload = payload;
    p.ssrc = 7;
    const std::uint32_t n = (u(rng) < reorder) ? k + 1 : k;  // occasionally swap neighbours
    p.sequence = static_cast<std::uint16_t>(n);
    p.rtp_timestamp = n * 160u;
    p.arrival_us = now + 30'000;
    if (u(rng) >= loss) jb.put(p);
    if (n != k) {
      p.sequence = static_cast<std::uint16_t>(k);
      p.rtp_timestamp = k * 160u;
      jb.put(p);
    }
    now += 20'000;
    benchmark::DoNotOptimize(jb.get(now));
    ++k;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_PutGetSteady(benchmark::State& state) { run(state, 0.0, 0.0); }
void BM_PutGetLossAndReorder(benchmark::State& state) { run(state, 0.05, 0.05); }

BENCHMARK(BM_PutGetSteady);
BENCHMARK(BM_PutGetLossAndReorder);

}  // namespace

BENCHMARK_MAIN();
