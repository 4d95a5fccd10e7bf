#pragma once
// Synthetic network traces for the jitter-buffer simulator: one 20 ms packet
// stream per trace with send times, arrival times (or loss), deterministic for
// a seed. Delays are one-way network delays in microseconds.

#include <cstdint>
#include <string>
#include <vector>

namespace libconf::jitter::sim {

struct TracePacket {
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;        // RTP timestamp (8 kHz clock, 160 per packet)
  std::int64_t send_us = 0;    // on the bridge's clock
  std::int64_t arrival_us = 0; // on the bridge's clock; meaningless if lost
  bool lost = false;
  std::uint32_t talkspurt = 0;  // index of the talkspurt (DTX traces); 0 otherwise
};

struct TraceSpec {
  std::string name;
  std::string description;
  double duration_s = 300.0;
  double base_delay_ms = 40.0;
  // Jitter model: "gauss" (|N(0, sigma)|, independent per packet) or "pareto"
  // (Pareto with scale jitter_ms and shape pareto_alpha, capped at 1 s).
  std::string jitter = "gauss";
  double jitter_ms = 10.0;
  double pareto_alpha = 2.0;
  // Gilbert-Elliott loss: P(good->bad), P(bad->good), loss in each state.
  double ge_p_gb = 0.0, ge_p_bg = 1.0, ge_loss_good = 0.0, ge_loss_bad = 0.0;
  // Delay spikes: every spike_every_s on average (Poisson), the route stalls
  // for spike_ms; packets queue behind the stall and then arrive in a burst.
  double spike_every_s = 0.0;
  double spike_ms = 0.0;
  // Reordering: a fraction of packets held back by reorder_ms extra.
  double reorder_fraction = 0.0;
  double reorder_ms = 0.0;
  // Sender clock error (positive: sender runs fast).
  double drift_ppm = 0.0;
  // DTX: the sender sends only during talkspurts; on/off durations are
  // exponential with the means of ITU-T P.59's conversational model
  // (talkspurt 1.004 s, pause 1.587 s). Sequence numbers stay contiguous,
  // timestamps jump over the pauses.
  bool dtx = false;
  std::uint32_t seed = 1;
};

/// The standard set of traces the docs report.
std::vector<TraceSpec> standard_traces();

/// Generates the packets of one trace (send order).
std::vector<TracePacket> generate(const TraceSpec& spec);

}  // namespace libconf::jitter::sim
