#include "traces.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace libconf::jitter::sim {

std::vector<TraceSpec> standard_traces() {
  std::vector<TraceSpec> v;
  {
    TraceSpec t;
    t.name = "gauss10";
    t.description = "Gaussian jitter, sigma 10 ms";
    t.jitter_ms = 10.0;
    t.seed = 11;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "gauss30";
    t.description = "Gaussian jitter, sigma 30 ms (heavy reordering)";
    t.jitter_ms = 30.0;
    t.seed = 12;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "pareto";
    t.description = "Pareto jitter, scale 5 ms, shape 1.5 (heavy tail)";
    t.jitter = "pareto";
    t.jitter_ms = 5.0;
    t.pareto_alpha = 1.5;
    t.seed = 13;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "gilbert";
    t.description = "Gaussian 10 ms + Gilbert-Elliott bursty loss (about 5 %)";
    t.jitter_ms = 10.0;
    t.ge_p_gb = 0.02;
    t.ge_p_bg = 0.25;
    t.ge_loss_good = 0.005;
    t.ge_loss_bad = 0.6;
    t.seed = 14;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "spikes";
    t.description = "Gaussian 5 ms + 300 ms route stalls every 15 s";
    t.jitter_ms = 5.0;
    t.spike_every_s = 15.0;
    t.spike_ms = 300.0;
    t.seed = 15;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "reorder";
    t.description = "Gaussian 5 ms + 5 % of packets held back 50 ms";
    t.jitter_ms = 5.0;
    t.reorder_fraction = 0.05;
    t.reorder_ms = 50.0;
    t.seed = 16;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "drift+200";
    t.description = "Gaussian 10 ms, sender clock +200 ppm, 10 min";
    t.jitter_ms = 10.0;
    t.drift_ppm = 200.0;
    t.duration_s = 600.0;
    t.seed = 17;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "drift-200";
    t.description = "Gaussian 10 ms, sender clock -200 ppm, 10 min";
    t.jitter_ms = 10.0;
    t.drift_ppm = -200.0;
    t.duration_s = 600.0;
    t.seed = 18;
    v.push_back(t);
  }
  {
    TraceSpec t;
    t.name = "mobile";
    t.description = "Pareto 8 ms/1.8 + bursty loss + 200 ms stalls every 20 s + 100 ppm";
    t.jitter = "pareto";
    t.jitter_ms = 8.0;
    t.pareto_alpha = 1.8;
    t.ge_p_gb = 0.01;
    t.ge_p_bg = 0.3;
    t.ge_loss_good = 0.002;
    t.ge_loss_bad = 0.5;
    t.spike_every_s = 20.0;
    t.spike_ms = 200.0;
    t.drift_ppm = 100.0;
    t.seed = 19;
    v.push_back(t);
  }
  // DTX variants of three of them: the same networks, a sender with pauses.
  for (const char* base : {"gauss30", "spikes", "mobile"}) {
    for (const auto& t : std::vector<TraceSpec>(v)) {
      if (t.name != base) continue;
      TraceSpec d = t;
      d.name = t.name + "-dtx";
      d.description = t.description + ", DTX talkspurts";
      d.dtx = true;
      d.duration_s = 600.0;  // about 230 s of speech
      d.seed = t.seed + 100;
      v.push_back(d);
    }
  }
  return v;
}

std::vector<TracePacket> generate(const TraceSpec& s) {
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> gauss(0.0, s.jitter_ms);
  const int n = static_cast<int>(s.duration_s * 50.0);
  std::vector<TracePacket> out;
  out.reserve(static_cast<std::size_t>(n));
  bool bad = false;
  // Spike schedule: stall start times (send clock, ms).
  double next_spike_ms = s.spike_every_s > 0 ? -std::log(1.0 - u(rng)) * s.spike_every_s * 1000.0 : 1e300;
  double stall_start_ms = -1e300, stall_end_ms = -1e300;
  bool talking = true;
  std::uint32_t talkspurt = 0;
  int sent = 0;
  // Per-frame switching probabilities for the P.59 means.
  const double p_end_talk = 20.0 / 1004.0, p_end_pause = 20.0 / 1587.0;
  for (int k = 0; k < n; ++k) {
    if (s.dtx) {
      if (talking && u(rng) < p_end_talk) {
        talking = false;
      } else if (!talking && u(rng) < p_end_pause) {
        talking = true;
        ++talkspurt;
      }
      if (!talking) continue;
    }
    TracePacket p;
    p.talkspurt = talkspurt;
    p.seq = static_cast<std::uint16_t>(sent + 1000);
    ++sent;
    p.ts = static_cast<std::uint32_t>(k) * 160u + 123456u;
    // A fast sender (positive ppm) emits its 20 ms frames in less real time.
    const double send_ms = k * 20.0 / (1.0 + s.drift_ppm * 1e-6) + 1000.0;
    p.send_us = static_cast<std::int64_t>(send_ms * 1000.0);

    double jitter_ms = 0.0;
    if (s.jitter == "pareto") {
      // Pareto(xm, alpha) minus xm so the fastest path is base_delay.
      const double x = s.jitter_ms / std::pow(1.0 - u(rng), 1.0 / s.pareto_alpha);
      jitter_ms = std::min(1000.0, x - s.jitter_ms);
    } else {
      jitter_ms = std::abs(gauss(rng));
    }
    if (s.reorder_fraction > 0 && u(rng) < s.reorder_fraction) jitter_ms += s.reorder_ms;

    while (send_ms >= next_spike_ms) {
      stall_start_ms = next_spike_ms;
      stall_end_ms = next_spike_ms + s.spike_ms;
      next_spike_ms += -std::log(1.0 - u(rng)) * s.spike_every_s * 1000.0 + s.spike_ms;
    }
    double arrival_ms = send_ms + s.base_delay_ms + jitter_ms;
    // During a stall nothing leaves the bottleneck: packets sent in it are
    // released (in order, 0.1 ms apart) when it ends.
    if (send_ms >= stall_start_ms && send_ms < stall_end_ms)
      arrival_ms = std::max(arrival_ms, stall_end_ms + s.base_delay_ms + (send_ms - stall_start_ms) / 200.0);
    p.arrival_us = static_cast<std::int64_t>(arrival_ms * 1000.0);

    if (s.ge_p_gb > 0) {
      bad = bad ? (u(rng) >= s.ge_p_bg) : (u(rng) < s.ge_p_gb);
      p.lost = u(rng) < (bad ? s.ge_loss_bad : s.ge_loss_good);
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace libconf::jitter::sim
