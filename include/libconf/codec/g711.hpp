#pragma once
/// @file
/// G.711 µ-law (PCMU, static RTP payload type 0) and A-law (PCMA, static
/// payload type 8) at 8 kHz, bit-exact with ITU-T G.711 as implemented by
/// spandsp: µ-law quantises the magnitude |x| symmetrically, A-law folds
/// negative inputs with one's complement (-x - 1), as G.191 does.
///
/// Per-sample functions are table lookups: µ-law depends only on the sign and
/// the top 14 bits of the magnitude, A-law on the top 12 bits of the
/// two's complement sample, so the encode tables hold 16385 and 4096 entries
/// (16 KiB + 4 KiB: cache friendly, unlike a 64 KiB table); the decode
/// tables hold 256 entries. All tables are computed at compile time from the
/// segment definition of G.711 (no static-initialisation order issues).
/// Every function here is noexcept, allocation-free and thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "libconf/codec/codec.hpp"
#include "libconf/codec/plc.hpp"

namespace libconf::codec {

namespace detail {
extern const std::array<std::uint8_t, 16385> kUlawFromLinear;  ///< index: ulaw_index(sample)
extern const std::array<std::uint8_t, 4096> kAlawFromLinear;   ///< index: (uint16)sample >> 4
extern const std::array<std::int16_t, 256> kLinearFromUlaw;
extern const std::array<std::int16_t, 256> kLinearFromAlaw;
}  // namespace detail

/// µ-law code of a 16-bit sample (0 encodes as 0xFF, -1..-3 as 0x7F).
inline std::uint8_t linear_to_ulaw(std::int16_t sample) noexcept {
  // For negative x, (x - 1) >> 2 == ~(|x| >> 2): one table index per
  // (sign, 14-bit magnitude) pair, offset so that -8193 maps to 0.
  const int x = sample;
  return detail::kUlawFromLinear[static_cast<std::size_t>(((x + (x >> 15)) >> 2) + 8193)];
}
/// 16-bit sample of a µ-law code (0xFF and 0x7F both decode to 0).
inline std::int16_t ulaw_to_linear(std::uint8_t code) noexcept { return detail::kLinearFromUlaw[code]; }
/// A-law code of a 16-bit sample (even bits inverted; 0 encodes as 0xD5).
inline std::uint8_t linear_to_alaw(std::int16_t sample) noexcept {
  return detail::kAlawFromLinear[static_cast<std::uint16_t>(sample) >> 4];
}
/// 16-bit sample of an A-law code.
inline std::int16_t alaw_to_linear(std::uint8_t code) noexcept { return detail::kLinearFromAlaw[code]; }

/// Block versions: convert min(in.size(), out.size()) samples/codes.
void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept;
void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept;
void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept;
void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept;

enum class G711Law { ulaw, alaw };

/// PCMU/PCMA codec instance: stateless encoder, decoder with G.711
/// Appendix I-style packet loss concealment (PacketLossConcealer at 8 kHz).
///
/// encode() takes any number of samples (one code byte per sample; normally one
/// ptime); decode() writes one sample per payload byte. Thread-safety: one
/// thread at a time per instance. Real-time safe: every per-frame call.
/// Errors: encode/decode buffer_too_small when the output span is shorter than
/// the input; decode malformed_packet for an empty payload.
class G711Codec final : public Codec {
 public:
  /// Validates params: sample_rate_hz must be 8000 (unsupported_sample_rate
  /// otherwise; the engine resamples), ptime_ms 10/20/40/60
  /// (unsupported_frame_size). Other fields are ignored.
  [[nodiscard]] static Result<std::unique_ptr<Codec>> create(G711Law law, const CodecParams& params);
  /// Same validation without creating anything.
  [[nodiscard]] static Result<void> validate(const CodecParams& params) noexcept;

  G711Codec(G711Law law, int ptime_ms);

  std::string_view name() const noexcept override { return law_ == G711Law::ulaw ? "PCMU" : "PCMA"; }
  int sample_rate_hz() const noexcept override { return 8000; }
  int rtp_clock_rate_hz() const noexcept override { return 8000; }
  int static_payload_type() const noexcept override { return law_ == G711Law::ulaw ? 0 : 8; }
  int ptime_ms() const noexcept { return ptime_ms_; }
  G711Law law() const noexcept { return law_; }

  [[nodiscard]] Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                                           std::span<std::uint8_t> out) noexcept override;
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> pcm) noexcept override;
  /// Fills pcm with the Appendix I-style concealment; returns pcm.size().
  [[nodiscard]] Result<std::size_t> conceal(std::span<std::int16_t> pcm) noexcept override;
  void reset() noexcept override { plc_.reset(); }

 private:
  G711Law law_;
  int ptime_ms_;
  PacketLossConcealer plc_;
};

}  // namespace libconf::codec
