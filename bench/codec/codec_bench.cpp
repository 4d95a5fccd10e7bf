// Codec cost per 20 ms frame: encode and decode for PCMU, PCMA, L16 and Opus
// (8/16/48 kHz), plus loss concealment. Baselines measured in the same run:
// spandsp's per-sample G.711 functions for PCMU/PCMA (ratio = spandsp time /
// libconf time, > 1 means libconf is faster), and for every codec the 20 ms
// of real time a frame represents (x real time = 20 ms / time per frame).
//   build-codec/bench/codec/bench_codec [--benchmark_min_time=0.2]
#include <benchmark/benchmark.h>
#include <spandsp.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "libconf/codec/registry.hpp"
#include "support/signals.hpp"

namespace {

using libconf::codec::Codec;
using libconf::codec::CodecParams;
using libconf::codec::CodecRegistry;

constexpr std::size_t kFrames = 50;  // 1 s of speech, cycled

std::unique_ptr<Codec> make(const char* name, int rate_hz) {
  CodecParams p;
  p.sample_rate_hz = rate_hz;
  return CodecRegistry::with_builtin_codecs().create_or_throw(name, p);
}

void BM_Encode(benchmark::State& state, const char* name, int rate_hz) {
  auto codec = make(name, rate_hz);
  const std::size_t frame = static_cast<std::size_t>(rate_hz / 50);
  const auto x = libconf::test::speech_like(-20.0, rate_hz, frame * kFrames, 3);
  std::vector<std::uint8_t> out(libconf::codec::kMaxEncodedFrameBytes);
  std::size_t f = 0;
  for (auto _ : state) {
    auto n = codec->encode(std::span(x).subspan((f++ % kFrames) * frame, frame), out);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_Decode(benchmark::State& state, const char* name, int rate_hz) {
  auto codec = make(name, rate_hz);
  const std::size_t frame = static_cast<std::size_t>(rate_hz / 50);
  const auto x = libconf::test::speech_like(-20.0, rate_hz, frame * kFrames, 3);
  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<std::uint8_t> buf(libconf::codec::kMaxEncodedFrameBytes);
  for (std::size_t f = 0; f < kFrames; ++f) {
    const std::size_t n = codec->encode(std::span(x).subspan(f * frame, frame), buf).value();
    packets.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  std::vector<std::int16_t> pcm(frame);
  std::size_t f = 0;
  for (auto _ : state) {
    auto n = codec->decode(packets[f++ % kFrames], pcm);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(pcm.data());
  }
}

// One lost frame after every good one: concealment onset (pitch search) each time.
void BM_Conceal(benchmark::State& state, const char* name, int rate_hz) {
  auto codec = make(name, rate_hz);
  const std::size_t frame = static_cast<std::size_t>(rate_hz / 50);
  const auto x = libconf::test::speech_like(-20.0, rate_hz, frame * kFrames, 3);
  std::vector<std::uint8_t> buf(libconf::codec::kMaxEncodedFrameBytes);
  std::vector<std::int16_t> pcm(frame);
  std::size_t f = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::size_t n = codec->encode(std::span(x).subspan((f++ % kFrames) * frame, frame), buf).value();
    (void)codec->decode(std::span(buf).first(n), pcm);
    state.ResumeTiming();
    auto m = codec->conceal(pcm);
    benchmark::DoNotOptimize(m);
    benchmark::DoNotOptimize(pcm.data());
  }
}

void BM_SpandspEncode(benchmark::State& state, bool ulaw) {
  const auto x = libconf::test::speech_like(-20.0, 8000, 160 * kFrames, 3);
  std::vector<std::uint8_t> out(160);
  std::size_t f = 0;
  for (auto _ : state) {
    const std::int16_t* in = x.data() + (f++ % kFrames) * 160;
    if (ulaw)
      for (std::size_t i = 0; i < 160; ++i) out[i] = linear_to_ulaw(in[i]);
    else
      for (std::size_t i = 0; i < 160; ++i) out[i] = linear_to_alaw(in[i]);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_SpandspDecode(benchmark::State& state, bool ulaw) {
  const auto x = libconf::test::speech_like(-20.0, 8000, 160 * kFrames, 3);
  std::vector<std::uint8_t> codes(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) codes[i] = ulaw ? linear_to_ulaw(x[i]) : linear_to_alaw(x[i]);
  std::vector<std::int16_t> out(160);
  std::size_t f = 0;
  for (auto _ : state) {
    const std::uint8_t* in = codes.data() + (f++ % kFrames) * 160;
    if (ulaw)
      for (std::size_t i = 0; i < 160; ++i) out[i] = ulaw_to_linear(in[i]);
    else
      for (std::size_t i = 0; i < 160; ++i) out[i] = alaw_to_linear(in[i]);
    benchmark::DoNotOptimize(out.data());
  }
}

// Collects ns per frame of every run for the ratio table printed at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Iteration && !r.error_occurred)
        ns_[r.benchmark_name()] = r.GetAdjustedRealTime();  // time unit is ns (set below)
  }
  void print_ratios() const {
    std::printf("\n%-34s %12s %14s %12s\n", "benchmark", "ns/frame", "vs spandsp", "x realtime");
    for (const auto& [name, ns] : ns_) {
      if (name.rfind("Spandsp", 0) == 0) continue;
      std::string base;
      if (name == "Encode/PCMU") base = "SpandspEncode/ulaw";
      if (name == "Encode/PCMA") base = "SpandspEncode/alaw";
      if (name == "Decode/PCMU") base = "SpandspDecode/ulaw";
      if (name == "Decode/PCMA") base = "SpandspDecode/alaw";
      char vs[32] = "-";
      if (!base.empty() && ns_.count(base)) std::snprintf(vs, sizeof vs, "%.2f", ns_.at(base) / ns);
      std::printf("%-34s %12.0f %14s %12.0f\n", name.c_str(), ns, vs, 20e6 / ns);
    }
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  using benchmark::RegisterBenchmark;
  RegisterBenchmark("SpandspEncode/ulaw", BM_SpandspEncode, true);
  RegisterBenchmark("SpandspEncode/alaw", BM_SpandspEncode, false);
  RegisterBenchmark("SpandspDecode/ulaw", BM_SpandspDecode, true);
  RegisterBenchmark("SpandspDecode/alaw", BM_SpandspDecode, false);
  for (const char* n : {"PCMU", "PCMA"}) {
    RegisterBenchmark((std::string("Encode/") + n).c_str(), BM_Encode, n, 8000);
    RegisterBenchmark((std::string("Decode/") + n).c_str(), BM_Decode, n, 8000);
    RegisterBenchmark((std::string("Conceal/") + n).c_str(), BM_Conceal, n, 8000);
  }
  for (int rate : {8000, 16000, 48000}) {
    const std::string r = std::to_string(rate / 1000) + "k";
    RegisterBenchmark(("Encode/L16/" + r).c_str(), BM_Encode, "L16", rate);
    RegisterBenchmark(("Decode/L16/" + r).c_str(), BM_Decode, "L16", rate);
    RegisterBenchmark(("Encode/opus/" + r).c_str(), BM_Encode, "opus", rate);
    RegisterBenchmark(("Decode/opus/" + r).c_str(), BM_Decode, "opus", rate);
    RegisterBenchmark(("Conceal/opus/" + r).c_str(), BM_Conceal, "opus", rate);
  }
  RegisterBenchmark("Conceal/L16/48k", BM_Conceal, "L16", 48000);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
