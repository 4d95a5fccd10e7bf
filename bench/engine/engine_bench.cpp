// The bridge's own cost, on the virtual clock: phones are replaced by a
// transport that replays packets encoded once up front, so only what a real
// server does is measured (receive, jitter, decode, DTMF guard, AGC, talker
// detection, resample, mix, encode once per group and codec, send).
// Counters: rtf = media time / CPU time (1 = exactly real time on one core);
// legs_per_core = legs × rtf (how many such participants one core carries).
// Baselines in the same run: share_encoded_output=false (encode per listener),
// and the G.711 rooms without the per-leg AGC and in-band DTMF guard.
//   build/release/bench/engine/bench_engine --benchmark_counters_tabular=true
// BM_ApplyCommands measures what applying commands costs a worker (kind: 0
// none, 1 set_mix_state, 2 add_leg, 3 remove_leg, 4 move_leg, 5 hold via
// update_leg, 6 codec change via update_leg).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "support/signals.hpp"

namespace {

using namespace libconf;

struct Packets {
  std::vector<std::vector<std::uint8_t>> frames;
  std::uint32_t rtp_frame = 160;
};

std::shared_ptr<Packets> encode_all(const std::string& codec, int rate, std::vector<std::int16_t> pcm) {
  auto reg = codec::CodecRegistry::with_builtin_codecs();
  codec::CodecParams p;
  p.sample_rate_hz = rate;
  p.ptime_ms = 20;
  auto enc = reg.create(codec, p).value();
  auto out = std::make_shared<Packets>();
  out->rtp_frame = static_cast<std::uint32_t>(enc->rtp_clock_rate_hz() / 50);
  const std::size_t n = static_cast<std::size_t>(rate / 50);
  std::vector<std::uint8_t> buf(codec::kMaxEncodedFrameBytes);
  for (std::size_t i = 0; i + n <= pcm.size(); i += n) {
    auto bytes = enc->encode(std::span(pcm).subspan(i, n), buf).value();
    out->frames.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(bytes));
  }
  return out;
}

class ReplayTransport final : public transport::MediaTransport {
 public:
  ReplayTransport(std::shared_ptr<Packets> packets, std::size_t offset)
      : packets_(std::move(packets)), next_(offset) {}
  void poll(transport::PacketSink& sink, std::int64_t now_us) noexcept override {
    const auto& f = packets_->frames[next_++ % packets_->frames.size()];
    transport::ReceivedPacket p;
    p.payload = f;
    p.sequence = seq_++;
    p.rtp_timestamp = ts_;
    ts_ += packets_->rtp_frame;
    p.arrival_us = now_us;
    sink.on_packet(p);
  }
  void send(const transport::OutgoingFrame& f) noexcept override { bytes_ += f.payload.size(); }

 private:
  std::shared_ptr<Packets> packets_;
  std::size_t next_;
  std::uint16_t seq_ = 0;
  std::uint32_t ts_ = 0;
  std::uint64_t bytes_ = 0;
};

void run(benchmark::State& state, int rooms, int legs_per_room, int talkers, const std::string& codec, int rate,
         bool share, bool dsp = true) {
  engine::EngineConfig ec;
  ec.workers = 1;
  engine::Engine eng(std::move(ec));
  const int codec_rate = engine::natural_codec_rate(codec, 0, rate);
  auto speech = encode_all(codec, codec_rate, test::speech_like(-20, codec_rate, codec_rate * 10, 5));
  // Non-talkers send continuously too (no DTX): low background noise.
  auto noise = encode_all(codec, codec_rate, test::white_noise(-65, static_cast<std::size_t>(codec_rate * 2), 3));
  for (int r = 0; r < rooms; ++r) {
    engine::RoomConfig rc;
    rc.sample_rate_hz = rate;
    rc.max_legs = static_cast<std::size_t>(legs_per_room);
    rc.share_encoded_output = share;
    const auto room = eng.create_room(rc).value();
    for (int l = 0; l < legs_per_room; ++l) {
      engine::LegConfig lc;
      lc.codec = codec;
      lc.processing.agc = dsp;
      lc.processing.inband_dtmf = dsp;
      lc.transport = std::make_unique<ReplayTransport>(l < talkers ? speech : noise,
                                                       static_cast<std::size_t>(l * 37));
      (void)eng.add_leg(room, std::move(lc)).value();
    }
  }
  std::array<engine::Event, 4096> events;
  for (int i = 0; i < 10; ++i) {
    eng.tick().value();
    while (eng.poll_events(events) > 0) {}
  }
  std::int64_t ticks = 0;
  for (auto _ : state) {
    eng.tick().value();
    ++ticks;
    state.PauseTiming();
    while (eng.poll_events(events) > 0) {}
    state.ResumeTiming();
  }
  const double legs = static_cast<double>(rooms) * legs_per_room;
  state.counters["media_s_per_cpu_s"] =
      benchmark::Counter(0.020 * static_cast<double>(ticks), benchmark::Counter::kIsRate);
  state.counters["legs_per_core"] = benchmark::Counter(0.020 * static_cast<double>(ticks) * legs, benchmark::Counter::kIsRate);
  state.counters["per_leg_frame"] =
      benchmark::Counter(legs, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// The baseline of the Opus target: libopus alone decoding the same packets
// (4 speech streams and 496 noise streams, 48 kHz, 20 ms) one frame per
// stream per iteration, as the room's legs receive them.
void BM_Opus48k_DecodeOnly500(benchmark::State& state) {
  const int rate = 48000;
  auto speech = encode_all("opus", rate, test::speech_like(-20, rate, rate * 10, 5));
  auto noise = encode_all("opus", rate, test::white_noise(-65, static_cast<std::size_t>(rate * 2), 3));
  auto reg = codec::CodecRegistry::with_builtin_codecs();
  codec::CodecParams p;
  p.sample_rate_hz = rate;
  p.ptime_ms = 20;
  std::vector<std::unique_ptr<codec::Codec>> decoders;
  for (int l = 0; l < 500; ++l) decoders.push_back(reg.create("opus", p).value());
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate / 50));
  std::size_t frame = 0;
  for (auto _ : state) {
    for (int l = 0; l < 500; ++l) {
      const auto& packets = l < 4 ? speech->frames : noise->frames;
      const auto& f = packets[(frame + static_cast<std::size_t>(l) * 37) % packets.size()];
      benchmark::DoNotOptimize(decoders[static_cast<std::size_t>(l)]->decode(f, pcm));
    }
    ++frame;
  }
  state.counters["per_leg_frame"] =
      benchmark::Counter(500, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_G711_100RoomsOf10(benchmark::State& s) { run(s, 100, 10, 2, "PCMU", 8000, s.range(0) != 0); }
// The same without per-leg AGC and in-band DTMF (a bridge that takes digits
// from RFC 4733 only): shows what the DSP chain costs.
void BM_G711_100RoomsOf10_NoAgcNoInbandDtmf(benchmark::State& s) { run(s, 100, 10, 2, "PCMU", 8000, true, false); }
void BM_Opus48k_RoomOf500(benchmark::State& s) { run(s, 1, 500, 4, "opus", 48000, s.range(0) != 0); }

// What applying one command costs the worker, for EngineConfig's
// commands_per_tick: 64 commands of one kind per tick on a worker carrying
// one 10-leg G.711 room. The 64 legs the commands act on are inactive (on
// hold both ways), so their own media costs next to nothing and the tick's
// extra time is the commands': per command = (tick time - idle tick time
// (kind 0), same run) / 64.
enum class Kind { none, set_mix, add_leg, remove_leg, move_leg, hold, change_codec };

void BM_ApplyCommands(benchmark::State& state) {
  const auto kind = static_cast<Kind>(state.range(0));
  constexpr int kCommands = 64;
  engine::EngineConfig ec;
  ec.workers = 1;
  ec.commands_per_tick = 1024;
  engine::Engine eng(std::move(ec));
  auto noise = encode_all("PCMU", 8000, test::white_noise(-65, 16000, 3));
  auto make_leg = [&](std::size_t offset, bool active) {
    engine::LegConfig lc;
    lc.transport = std::make_unique<ReplayTransport>(noise, offset);
    if (!active) lc.direction = engine::MediaDirection::inactive;
    return lc;
  };
  engine::RoomConfig rc;
  rc.sample_rate_hz = 8000;
  rc.max_legs = 4096;
  const auto busy = eng.create_room(rc).value();
  const auto other = eng.create_room(rc).value();
  std::vector<engine::LegId> legs;
  for (int l = 0; l < 10; ++l) legs.push_back(eng.add_leg(busy, make_leg(static_cast<std::size_t>(l), true)).value());
  std::vector<engine::LegId> extra;
  for (int l = 0; l < kCommands; ++l) extra.push_back(eng.add_leg(other, make_leg(0, false)).value());
  std::array<engine::Event, 4096> events;
  auto settle = [&] {
    eng.tick().value();
    while (eng.poll_events(events) > 0) {}
  };
  settle();
  bool flip = false;
  for (auto _ : state) {
    state.PauseTiming();
    flip = !flip;
    for (int i = 0; i < kCommands && kind != Kind::none; ++i) {
      const engine::LegId leg = extra[static_cast<std::size_t>(i)];
      switch (kind) {
        case Kind::set_mix: (void)eng.set_mix_state(leg, {.muted = flip}); break;
        case Kind::add_leg: extra[static_cast<std::size_t>(i)] = eng.add_leg(other, make_leg(0, false)).value(); break;
        case Kind::remove_leg: (void)eng.remove_leg(leg); break;
        case Kind::move_leg: (void)eng.move_leg(leg, flip ? busy : other); break;
        case Kind::hold:
          (void)eng.update_leg(leg, {.direction = flip ? engine::MediaDirection::recvonly : engine::MediaDirection::inactive});
          break;
        case Kind::change_codec: (void)eng.update_leg(leg, {.codec = engine::LegCodec{flip ? "PCMA" : "PCMU"}}); break;
        case Kind::none: break;
      }
    }
    state.ResumeTiming();
    eng.tick().value();
    state.PauseTiming();
    while (eng.poll_events(events) > 0) {}
    // add/remove alternate so the room neither fills nor empties.
    if (kind == Kind::remove_leg)
      for (auto& leg : extra) leg = eng.add_leg(other, make_leg(0, false)).value();
    if (kind == Kind::add_leg)
      for (int i = 0; i < kCommands; ++i) (void)eng.remove_leg(extra[static_cast<std::size_t>(i)]);
    if (kind == Kind::add_leg || kind == Kind::remove_leg) settle();
    state.ResumeTiming();
  }
  state.counters["commands_per_tick"] = kind == Kind::none ? 0 : kCommands;
  // The worker's own tick time (engine health: Worker::tick only, without
  // the host-side destruction of retired parts that tick() also does).
  const engine::WorkerHealth h = eng.health().workers[0];
  state.counters["worker_tick_p50_us"] = static_cast<double>(h.tick_p50_us);
  state.counters["worker_tick_p99_us"] = static_cast<double>(h.tick_p99_us);
}

}  // namespace

BENCHMARK(BM_ApplyCommands)->ArgName("kind")->DenseRange(0, 6)->Unit(benchmark::kMicrosecond)->MinTime(0.5);
BENCHMARK(BM_G711_100RoomsOf10)->ArgName("shared")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_G711_100RoomsOf10_NoAgcNoInbandDtmf)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Opus48k_DecodeOnly500)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Opus48k_RoomOf500)->ArgName("shared")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_MAIN();
