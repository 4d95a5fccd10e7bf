// Transport benchmarks (run: build/bench/rtp/bench_rtp --benchmark_min_time=1).
//   BM_Protect/P, BM_ParseUnprotect/P: per-packet SRTP cost of a 160-byte
//     payload for profile P (0 AES_CM_80, 1 AES_CM_32, 2 AEAD_AES_128_GCM).
//   BM_TickRtpTransport/N/S, BM_TickOrtp/N/S: N transports (N/2 talking pairs)
//     on loopback UDP, S = 0 plain RTP, 1 AES_CM_80, 2 GCM. One tick = every
//     transport sends one 20 ms PCMU frame (build, protect, sendmmsg), then
//     every transport polls (recvmmsg, unprotect, parse, deliver, RTCP when due).
//   Counters: us_per_leg_tick (thread CPU time, user + kernel, per transport per
//   tick), legs_per_20ms_tick (20 ms / that: legs one thread can serve),
//   pkts_in_per_cpu_s, delivered_ratio (packets delivered in the same tick /
//   packets sent), mallocs_per_leg_tick (every malloc of the process, including
//   those inside oRTP, libsrtp and NSS).
#include <benchmark/benchmark.h>

#include <time.h>

#include <atomic>
#include <memory>
#include <vector>

#include "libconf/transport/rtp_packet.hpp"
#include "libconf/transport/rtp_transport.hpp"
#include "libconf/transport/srtp.hpp"
#include "support/alloc_counter.hpp"
#include "support/clock.hpp"
#ifdef LIBCONF_BENCH_WITH_ORTP
#include "libconf/rtp/ortp_transport.hpp"
#endif


namespace {

using namespace libconf;
using namespace libconf::transport;

constexpr std::size_t kFrameBytes = 160;  // PCMU, 20 ms at 8 kHz

struct CountingSink final : PacketSink {
  void on_packet(const ReceivedPacket& p) noexcept override { packets += p.payload.size() > 0; }
  void on_dtmf(const DtmfEvent&) noexcept override {}
  std::size_t packets = 0;
};

void BM_Protect(benchmark::State& state) {
  const auto profile = static_cast<SrtpProfile>(state.range(0));
  auto tx = SrtpSession::create(generate_srtp_keys(profile), SrtpDirection::outbound, 1234);
  std::vector<std::uint8_t> payload(kFrameBytes, 0x55), buf(kFrameBytes + 12 + kSrtpMaxOverheadBytes);
  std::uint16_t seq = 0;
  for (auto _ : state) {
    auto n = write_rtp({0, false, seq++, 0, 1234}, payload, buf);
    auto p = tx->protect(buf, *n);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(sdes_suite_name(profile)));
}
BENCHMARK(BM_Protect)->Arg(0)->Arg(1)->Arg(2);

void BM_ParseUnprotect(benchmark::State& state) {
  const auto profile = static_cast<SrtpProfile>(state.range(0));
  const SrtpKeys keys = generate_srtp_keys(profile);
  auto tx = SrtpSession::create(keys, SrtpDirection::outbound, 1234);
  auto rx = SrtpSession::create(keys, SrtpDirection::inbound);
  constexpr std::size_t kBatch = 4096;
  const std::size_t stride = kFrameBytes + 12 + kSrtpMaxOverheadBytes;
  std::vector<std::uint8_t> packets(kBatch * stride);
  std::vector<std::size_t> sizes(kBatch);
  std::vector<std::uint8_t> payload(kFrameBytes, 0x55);
  std::uint16_t seq = 0;
  auto refill = [&] {
    for (std::size_t i = 0; i < kBatch; ++i) {
      std::span<std::uint8_t> b(packets.data() + i * stride, stride);
      auto n = write_rtp({0, false, seq++, 0, 1234}, payload, b);
      sizes[i] = *tx->protect(b, *n);
    }
  };
  std::size_t i = kBatch;
  for (auto _ : state) {
    if (i == kBatch) {
      state.PauseTiming();
      refill();
      i = 0;
      state.ResumeTiming();
    }
    std::span<std::uint8_t> b(packets.data() + i * stride, stride);
    auto header = parse_rtp(b.first(sizes[i]));
    auto plain = rx->unprotect(b, sizes[i]);
    auto parsed = parse_rtp(b.first(*plain));
    benchmark::DoNotOptimize(header);
    benchmark::DoNotOptimize(parsed);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(sdes_suite_name(profile)));
}
BENCHMARK(BM_ParseUnprotect)->Arg(0)->Arg(1)->Arg(2);

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <class T>
void run_ticks(benchmark::State& state, std::vector<std::unique_ptr<T>>& legs) {
  const std::vector<std::uint8_t> frame(kFrameBytes, 0x55);
  CountingSink sink;
  // Warm-up: first packets create libsrtp streams, oRTP syncs its queues.
  for (int i = 0; i < 5; ++i) {
    for (auto& l : legs) l->send({frame, 160, false});
    for (auto& l : legs) l->poll(sink, test::steady_us());
  }
  sink.packets = 0;
  const std::size_t mallocs_before = libconf::test::process_allocation_count();
  // Thread CPU time (user + kernel, so the socket syscalls count): the cost
  // of the work itself, not of other processes sharing the cores.
  const double start = thread_cpu_seconds();
  for (auto _ : state) {
    for (auto& l : legs) l->send({frame, 160, false});
    for (auto& l : legs) l->poll(sink, test::steady_us());
  }
  const double seconds = thread_cpu_seconds() - start;
  const double ticks = static_cast<double>(state.iterations());
  const double legs_n = static_cast<double>(legs.size());
  const double us_per_leg_tick = seconds * 1e6 / (ticks * legs_n);
  state.counters["us_per_leg_tick"] = us_per_leg_tick;
  state.counters["legs_per_20ms_tick"] = 20000.0 / us_per_leg_tick;
  state.counters["pkts_in_per_cpu_s"] = static_cast<double>(sink.packets) / seconds;
  state.counters["delivered_ratio"] = static_cast<double>(sink.packets) / (ticks * legs_n);
  state.counters["mallocs_per_leg_tick"] =
      static_cast<double>(libconf::test::process_allocation_count() - mallocs_before) / (ticks * legs_n);
}

// srtp: 0 = plain RTP, 1 = AES_CM_128_HMAC_SHA1_80, 2 = AEAD_AES_128_GCM.
RtpConfig bench_config(std::int64_t srtp) {
  RtpConfig c;
  c.payload_type = 0;
  if (srtp != 0) {
    const SrtpKeys key = generate_srtp_keys(srtp == 1 ? SrtpProfile::aes_cm_128_hmac_sha1_80 : SrtpProfile::aead_aes_128_gcm);
    c.srtp_send = key;  // both directions of a pair share one key: fine for a benchmark
    c.srtp_recv = key;
  }
  return c;
}

// Arg 0: number of legs (transports; pairs of them talk to each other); arg 1: SRTP (see bench_config).
void BM_TickRtpTransport(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const RtpConfig config = bench_config(state.range(1));
  std::vector<std::unique_ptr<RtpTransport>> legs;
  for (std::size_t i = 0; i < n; ++i) {
    auto t = RtpTransport::open(config);
    if (!t) {
      state.SkipWithError("open failed");
      return;
    }
    legs.push_back(std::move(*t));
  }
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    legs[i]->set_remote("127.0.0.1", legs[i + 1]->local_port());
    legs[i + 1]->set_remote("127.0.0.1", legs[i]->local_port());
  }
  run_ticks(state, legs);
}
BENCHMARK(BM_TickRtpTransport)->Args({100, 0})->Args({500, 0})->Args({500, 1})->Args({500, 2})->Unit(benchmark::kMillisecond);

#ifdef LIBCONF_BENCH_WITH_ORTP
void BM_TickOrtp(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const RtpConfig config = bench_config(state.range(1));
  std::vector<std::unique_ptr<rtp::OrtpTransport>> legs;
  for (std::size_t i = 0; i < n; ++i) {
    auto t = rtp::OrtpTransport::open(config);
    if (!t) {
      state.SkipWithError("open failed");
      return;
    }
    legs.push_back(std::move(*t));
  }
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    legs[i]->set_remote("127.0.0.1", legs[i + 1]->local_port());
    legs[i + 1]->set_remote("127.0.0.1", legs[i]->local_port());
  }
  run_ticks(state, legs);
}
BENCHMARK(BM_TickOrtp)->Args({100, 0})->Args({500, 0})->Args({500, 1})->Args({500, 2})->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
