#pragma once
/// @file
/// The Codec interface: encode and decode one frame of mono PCM, conceal a
/// lost frame, recover one from the next packet's in-band FEC. A Codec
/// instance holds one direction's state for one stream; the engine creates one
/// encoder per (mix, codec, rate, ptime) output and one decoder per leg.
/// All per-frame calls are noexcept and allocation-free (real-time safe).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "libconf/error.hpp"

namespace libconf::codec {

/// Largest encoded frame any built-in codec produces (L16 at 48 kHz, 60 ms).
inline constexpr std::size_t kMaxEncodedFrameBytes = 5760;

/// Settings a codec is created with. Fields a codec does not use are ignored.
struct CodecParams {
  int sample_rate_hz = 8000;   ///< PCM rate in and out of this instance
  int ptime_ms = 20;           ///< frame duration
  int bitrate_bps = 0;         ///< 0 = codec default (Opus: 24000 at 16 kHz+)
  int complexity = -1;         ///< Opus 0..10, -1 = codec default
  bool fec = false;            ///< Opus in-band FEC
  bool dtx = false;            ///< Opus discontinuous transmission
  int expected_loss_percent = 0;  ///< Opus: tunes FEC redundancy
};

class Codec {
 public:
  virtual ~Codec() = default;

  /// SDP encoding name ("PCMU", "PCMA", "L16", "opus").
  virtual std::string_view name() const noexcept = 0;
  /// PCM rate of this instance's input and output.
  virtual int sample_rate_hz() const noexcept = 0;
  /// RTP clock rate written in SDP (8000 for G.711, 48000 for Opus).
  virtual int rtp_clock_rate_hz() const noexcept = 0;
  /// Static RTP payload type, or -1 for dynamic ones.
  virtual int static_payload_type() const noexcept { return -1; }
  /// Largest payload of one packet this instance decodes (the engine sizes
  /// its jitter buffer slots with it). Default: 1500 bytes, an Ethernet MTU.
  virtual std::size_t max_payload_bytes() const noexcept { return 1500; }

  /// Encodes one frame of pcm (exactly one ptime of samples) into out.
  /// Returns bytes written (0 means DTX: send nothing this frame).
  [[nodiscard]] virtual Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                                                   std::span<std::uint8_t> out) noexcept = 0;
  /// Decodes one packet into pcm. Returns samples written.
  [[nodiscard]] virtual Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                                   std::span<std::int16_t> pcm) noexcept = 0;
  /// Conceals one lost frame of pcm.size() samples (packet loss concealment).
  [[nodiscard]] virtual Result<std::size_t> conceal(std::span<std::int16_t> pcm) noexcept = 0;
  /// Whether decode_fec() can rebuild a lost frame from the packet after it.
  virtual bool has_fec() const noexcept { return false; }
  /// Rebuilds the frame lost before next_payload from next_payload's
  /// redundancy; codecs without FEC conceal instead.
  [[nodiscard]] virtual Result<std::size_t> decode_fec(std::span<const std::uint8_t> next_payload,
                                                       std::span<std::int16_t> pcm) noexcept {
    (void)next_payload;
    return conceal(pcm);
  }
  /// Resets state (a new stream on the same instance).
  virtual void reset() noexcept = 0;
};

}  // namespace libconf::codec
