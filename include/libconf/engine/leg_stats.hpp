#pragma once
/// @file
/// Per-leg media statistics, updated by the leg's worker every tick.

#include <cstdint>

#include "libconf/transport/rtp_stats.hpp"

namespace libconf::engine {

struct LegStats {
  std::uint64_t frames_in = 0;        ///< ticks with a decoded frame
  std::uint64_t frames_concealed = 0; ///< PLC frames
  std::uint64_t frames_fec = 0;       ///< frames rebuilt from FEC
  std::uint64_t frames_silent = 0;    ///< nothing to play (DTX, not started)
  std::uint64_t packets_out = 0;      ///< encoded frames handed to the transport
  std::uint64_t decode_errors = 0;
  std::uint64_t dtmf_digits = 0;
  std::uint64_t jitter_late = 0;
  std::uint64_t jitter_lost = 0;
  int jitter_delay_ms = 0;
  bool talking = false;
  float level_dbfs = -120.0f;         ///< smoothed speech level
  float agc_gain_db = 0.0f;
  std::uint32_t output_group = 0;     ///< see mix::kSharedGroup
  /// The transport's network statistics (RTCP loss, jitter, RTT, drops).
  transport::RtpStats network{};
};

}  // namespace libconf::engine
