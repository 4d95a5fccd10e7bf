#pragma once
/// @file
/// L16 (RFC 3551 §4.5.11): uncompressed 16-bit linear PCM, mono, network
/// (big-endian) byte order, at any supported rate (8, 16, 24, 32, 48 kHz).
/// Its RTP clock rate equals its sample rate; the payload type is dynamic
/// (RFC 3551's static 10/11 are 44.1 kHz only, which libconf does not run at).
/// Loss is concealed with PacketLossConcealer at the codec's rate.
/// Thread-safety: one thread at a time per instance; per-frame calls are
/// real-time safe (noexcept, no allocation).

#include <memory>

#include "libconf/codec/codec.hpp"
#include "libconf/codec/plc.hpp"

namespace libconf::codec {

class L16Codec final : public Codec {
 public:
  /// Errors: unsupported_sample_rate, unsupported_frame_size.
  [[nodiscard]] static Result<std::unique_ptr<Codec>> create(const CodecParams& params);
  [[nodiscard]] static Result<void> validate(const CodecParams& params) noexcept;

  L16Codec(int sample_rate_hz, int ptime_ms);

  std::string_view name() const noexcept override { return "L16"; }
  int sample_rate_hz() const noexcept override { return sample_rate_hz_; }
  int rtp_clock_rate_hz() const noexcept override { return sample_rate_hz_; }
  /// Two bytes a sample: 1920 at 48 kHz and 20 ms, 5760 at 60 ms.
  std::size_t max_payload_bytes() const noexcept override {
    return 2 * static_cast<std::size_t>(sample_rate_hz_ / 1000 * ptime_ms_);
  }
  int ptime_ms() const noexcept { return ptime_ms_; }

  /// Any number of samples; writes 2 bytes per sample. Errors: buffer_too_small.
  [[nodiscard]] Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                                           std::span<std::uint8_t> out) noexcept override;
  /// Errors: malformed_packet (empty or odd length), buffer_too_small.
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> pcm) noexcept override;
  [[nodiscard]] Result<std::size_t> conceal(std::span<std::int16_t> pcm) noexcept override;
  void reset() noexcept override { plc_.reset(); }

 private:
  int sample_rate_hz_;
  int ptime_ms_;
  PacketLossConcealer plc_;
};

}  // namespace libconf::codec
