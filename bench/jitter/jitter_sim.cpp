// jitter_sim: replays synthetic network traces through libconf's JitterBuffer
// and SpeexDSP's jitter buffer side by side, sweeping one tuning knob of each,
// and writes one CSV row per (trace, buffer, setting).
//
//   jitter_sim [--csv FILE] [--trace NAME] [--quick] [--verbose]
//   --quick: default settings only; --verbose: libconf's counters per run
//
// Both buffers see the same packets at the same times: every 20 ms tick (at a
// 7 ms phase to the sender, so nothing lines up by accident) first receives
// every packet that has arrived, then asks for one frame. Metrics per run:
//   added delay   play-out time minus arrival time of every packet played
//   late loss     packets that arrived but were never played (too late,
//                 or dropped to shed delay) / packets that arrived
//   concealed     ticks between the first and the last played packet that
//                 played no packet (network loss included) / those ticks

#include <speex/speex_jitter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "libconf/jitter/jitter_buffer.hpp"
#include "traces.hpp"

namespace sim = libconf::jitter::sim;
using libconf::jitter::FrameKind;

namespace {

constexpr std::int64_t kTickUs = 20'000;
constexpr std::int64_t kPhaseUs = 7'000;

struct Metrics {
  double mean_delay_ms = 0, p95_delay_ms = 0, late_loss_pct = 0, concealed_pct = 0, network_loss_pct = 0;
  std::size_t arrived = 0, played = 0;
};

// Adapter interface: put one trace packet (index i), get one tick (returns
// the index of the packet played, or -1).
class Player {
 public:
  virtual ~Player() = default;
  virtual void put(const sim::TracePacket& p, std::uint32_t index) = 0;
  virtual std::int64_t get(std::int64_t now_us) = 0;
};

class LibconfPlayer : public Player {
 public:
  explicit LibconfPlayer(double quantile) : jb_(config(quantile)) {}
  static libconf::jitter::JitterConfig config(double quantile) {
    libconf::jitter::JitterConfig c;
    c.target_quantile = quantile;
    c.max_delay_ms = 1000;  // same room as SpeexDSP, which has no maximum
    c.capacity_packets = 64;
    c.min_delay_ms = 0;
    return c;
  }
  void put(const sim::TracePacket& p, std::uint32_t index) override {
    std::uint8_t buf[4];
    std::memcpy(buf, &index, 4);
    libconf::transport::ReceivedPacket r;
    r.payload = {buf, 4};
    r.sequence = p.seq;
    r.rtp_timestamp = p.ts;
    r.ssrc = 0x1234;
    r.arrival_us = p.arrival_us;
    jb_.put(r);
  }
  const libconf::jitter::JitterStats& stats() const { return jb_.stats(); }
  std::int64_t get(std::int64_t now_us) override {
    auto f = jb_.get(now_us);
    if (f.kind != FrameKind::audio || f.payload.size() != 4) return -1;
    std::uint32_t index = 0;
    std::memcpy(&index, f.payload.data(), 4);
    return index;
  }

 private:
  libconf::jitter::JitterBuffer jb_;
};

class SpeexPlayer : public Player {
 public:
  SpeexPlayer(int max_late_rate, int margin_ts) : jb_(jitter_buffer_init(160)) {
    spx_int32_t v = max_late_rate;
    jitter_buffer_ctl(jb_, JITTER_BUFFER_SET_MAX_LATE_RATE, &v);
    spx_int32_t m = margin_ts;
    jitter_buffer_ctl(jb_, JITTER_BUFFER_SET_MARGIN, &m);
  }
  ~SpeexPlayer() override { jitter_buffer_destroy(jb_); }
  SpeexPlayer(const SpeexPlayer&) = delete;
  SpeexPlayer& operator=(const SpeexPlayer&) = delete;
  void put(const sim::TracePacket& p, std::uint32_t index) override {
    char buf[4];
    std::memcpy(buf, &index, 4);
    JitterBufferPacket pkt{};
    pkt.data = buf;
    pkt.len = 4;
    pkt.timestamp = p.ts;
    pkt.span = 160;
    pkt.sequence = p.seq;
    pkt.user_data = index;
    jitter_buffer_put(jb_, &pkt);
  }
  std::int64_t get(std::int64_t) override {
    char buf[64];
    JitterBufferPacket out{};
    out.data = buf;
    out.len = sizeof buf;
    spx_int32_t offset = 0;
    const int r = jitter_buffer_get(jb_, &out, 160, &offset);
    jitter_buffer_tick(jb_);
    if (r != JITTER_BUFFER_OK) return -1;
    return static_cast<std::int64_t>(out.user_data);
  }

 private:
  JitterBuffer* jb_;
};

Metrics replay(const std::vector<sim::TracePacket>& trace, Player& player) {
  std::vector<std::uint32_t> order;  // arrival order of the packets not lost
  for (std::uint32_t i = 0; i < trace.size(); ++i)
    if (!trace[i].lost) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return trace[a].arrival_us < trace[b].arrival_us; });
  Metrics m;
  m.arrived = order.size();
  m.network_loss_pct = 100.0 * static_cast<double>(trace.size() - order.size()) / static_cast<double>(trace.size());
  std::vector<char> played(trace.size(), 0);
  std::vector<double> delays;
  delays.reserve(trace.size());
  std::vector<std::int64_t> tick_played;  // packet index played at each tick, or -1
  const std::int64_t end_us = trace.back().arrival_us + 2'000'000;
  std::size_t next = 0;
  for (std::int64_t now = kPhaseUs; now < end_us; now += kTickUs) {
    for (; next < order.size() && trace[order[next]].arrival_us <= now; ++next) player.put(trace[order[next]], order[next]);
    const std::int64_t idx = player.get(now);
    const bool ok = idx >= 0 && static_cast<std::size_t>(idx) < trace.size() && !played[idx];
    if (ok) {
      played[idx] = 1;
      delays.push_back(static_cast<double>(now - trace[idx].arrival_us) / 1000.0);
    }
    tick_played.push_back(ok ? idx : -1);
  }
  m.played = delays.size();
  if (!delays.empty()) {
    double sum = 0;
    for (double d : delays) sum += d;
    m.mean_delay_ms = sum / static_cast<double>(delays.size());
    std::sort(delays.begin(), delays.end());
    m.p95_delay_ms = delays[static_cast<std::size_t>(0.95 * static_cast<double>(delays.size() - 1))];
  }
  m.late_loss_pct = 100.0 * static_cast<double>(m.arrived - m.played) / static_cast<double>(m.arrived);
  // Concealed frames: ticks between two played packets of the same talkspurt
  // that played nothing; across a pause only the frames of speech missing at
  // the end of one talkspurt and the start of the next count.
  std::vector<std::int64_t> first_of(trace.back().talkspurt + 1, -1), last_of(trace.back().talkspurt + 1, -1);
  for (std::size_t i = 0; i < trace.size(); ++i) {
    if (first_of[trace[i].talkspurt] < 0) first_of[trace[i].talkspurt] = static_cast<std::int64_t>(i);
    last_of[trace[i].talkspurt] = static_cast<std::int64_t>(i);
  }
  std::int64_t prev_tick = -1, concealed = 0, speech_ticks = 0;
  for (std::size_t t = 0; t < tick_played.size(); ++t) {
    const std::int64_t b = tick_played[t];
    if (b < 0) continue;
    ++speech_ticks;
    if (prev_tick >= 0) {
      const std::int64_t a = tick_played[static_cast<std::size_t>(prev_tick)];
      std::int64_t gap = static_cast<std::int64_t>(t) - prev_tick - 1;
      if (trace[a].talkspurt != trace[b].talkspurt)
        gap = std::min(gap, (last_of[trace[a].talkspurt] - a) + (b - first_of[trace[b].talkspurt]));
      concealed += gap;
      speech_ticks += gap;
    }
    prev_tick = static_cast<std::int64_t>(t);
  }
  if (speech_ticks > 0) m.concealed_pct = 100.0 * static_cast<double>(concealed) / static_cast<double>(speech_ticks);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string csv_path = "jitter_sim.csv";
  std::string only;
  bool quick = false;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--csv" && i + 1 < argc) {
      csv_path = argv[++i];
    } else if (a == "--trace" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--quick") {
      quick = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      std::cerr << "usage: jitter_sim [--csv FILE] [--trace NAME] [--quick] [--verbose]\n";
      return 2;
    }
  }
  // libconf: the quantile of interval-peak relative delays the target covers
  // (default 0.95). SpeexDSP: JITTER_BUFFER_SET_MAX_LATE_RATE in percent
  // (default 4), the knob speexdsp documents for trading delay against late loss.
  // SpeexDSP's second knob, JITTER_BUFFER_SET_MARGIN (extra buffering in
  // timestamp units, at max_late_rate 1), reaches the higher delays.
  const std::vector<double> quantiles =
      quick ? std::vector<double>{0.95} : std::vector<double>{0.05, 0.2, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.995};
  const std::vector<int> late_rates = quick ? std::vector<int>{4} : std::vector<int>{1, 2, 4, 8, 15, 25, 40};
  const std::vector<int> margins = quick ? std::vector<int>{} : std::vector<int>{160, 320, 640, 1280, 2560};

  std::ofstream csv(csv_path);
  if (!csv) {
    std::cerr << "cannot write " << csv_path << "\n";
    return 1;
  }
  csv << "trace,buffer,knob,value,is_default,mean_delay_ms,p95_delay_ms,late_loss_pct,concealed_pct,network_loss_pct,"
         "packets\n";
  std::printf("%-10s %-8s %-14s %8s %8s %8s %8s\n", "trace", "buffer", "setting", "mean_ms", "p95_ms", "late_%",
              "conc_%");
  for (const auto& spec : sim::standard_traces()) {
    if (!only.empty() && spec.name != only) continue;
    auto trace = sim::generate(spec);
    auto emit = [&](const char* buffer, const char* knob, double value, bool is_default, const Metrics& m) {
      char line[512];
      std::snprintf(line, sizeof line, "%s,%s,%s,%g,%d,%.3f,%.3f,%.4f,%.4f,%.3f,%zu\n", spec.name.c_str(), buffer, knob,
                    value, is_default ? 1 : 0, m.mean_delay_ms, m.p95_delay_ms, m.late_loss_pct, m.concealed_pct,
                    m.network_loss_pct, trace.size());
      csv << line;
      char setting[64];
      std::snprintf(setting, sizeof setting, "%s=%g", knob, value);
      std::printf("%-10s %-8s %-14s %8.1f %8.1f %8.3f %8.3f\n", spec.name.c_str(), buffer, setting, m.mean_delay_ms,
                  m.p95_delay_ms, m.late_loss_pct, m.concealed_pct);
    };
    for (double q : quantiles) {
      LibconfPlayer p(q);
      emit("libconf", "quantile", q, q == 0.95, replay(trace, p));
      if (verbose) {
        const auto& st = p.stats();
        std::printf("    late=%llu lost=%llu dropped=%llu stretched=%llu concealed=%llu reordered=%llu target=%d\n",
                    (unsigned long long)st.late, (unsigned long long)st.lost, (unsigned long long)st.dropped_for_drift,
                    (unsigned long long)st.stretched, (unsigned long long)st.concealed,
                    (unsigned long long)st.reordered, st.target_delay_ms);
      }
    }
    for (int r : late_rates) {
      SpeexPlayer p(r, 0);
      emit("speexdsp", "max_late_rate", r, r == 4, replay(trace, p));
    }
    for (int m : margins) {
      SpeexPlayer p(1, m);
      emit("speexdsp", "margin_ts", m, false, replay(trace, p));
    }
  }
  std::fflush(stdout);
  return 0;
}
