#pragma once
/// @file
/// The file host's core: runs a Scenario through the real engine on a virtual
/// clock (as fast as the CPU allows) and writes, into an output folder:
/// `<participant>.wav` — exactly what each participant heard, after its
/// codec's encode and decode; `events.jsonl` — every engine event and scenario
/// action; `summary.json` — per participant and per room. Deterministic: the
/// same scenario gives byte-identical outputs.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "libconf/scenario/scenario.hpp"

namespace libconf::scenario {

struct RunOptions {
  /// Called about every 1 % of the run with the fraction done (0..1).
  std::function<void(double)> progress;
  /// Engine worker threads. 1 keeps runs deterministic across machines.
  std::size_t workers = 1;
};

struct ParticipantResult {
  std::string name;
  std::filesystem::path heard_wav;
  int sample_rate_hz = 0;
  double talk_s = 0;
  int talk_spurts = 0;
  std::string digits;       ///< DTMF digits detected on this leg, in order
  double heard_level_dbfs = -120;
  std::uint64_t packets_sent = 0;      ///< by the participant's phone
  std::uint64_t packets_received = 0;  ///< by the participant's phone
  std::string exit_reason;
};

struct RunResult {
  std::filesystem::path out_dir;
  double duration_s = 0;
  std::uint64_t ticks = 0;
  std::uint64_t events = 0;
  double wall_s = 0;  ///< not written to the outputs (they are deterministic)
  std::vector<ParticipantResult> participants;
};

/// Runs the scenario. Throws libconf::Error naming the file/participant on
/// bad input (unreadable audio, codec refusing a rate) or unwritable output.
RunResult run_scenario(const Scenario& scenario, const std::filesystem::path& out_dir, const RunOptions& options = {});

}  // namespace libconf::scenario
