#pragma once
/// @file
/// Opus (RFC 6716, RTP payload format RFC 7587) via libopus: SDP name "opus",
/// RTP clock 48000 whatever the PCM rate, dynamic payload type, mono,
/// application VOIP. The encoder and decoder are both created by create(), so
/// one instance serves either or both directions of a stream.
///
/// PCM rate: 8, 16, 24 or 48 kHz. 32 kHz is not an Opus API rate; create()
/// rejects it with unsupported_sample_rate rather than hiding a resampler
/// (and its delay and CPU) inside the codec: the engine resamples.
///
/// Defaults (CodecParams 0 / -1): bitrate 16 kbit/s at 8 kHz (SILK
/// narrowband, ample for telephone speech; 20 kbit/s with fec, because libopus
/// codes no narrowband FEC below ~18 kbit/s), 24 kbit/s at 16 kHz and above;
/// libopus's default complexity (10). With fec and
/// expected_loss_percent == 0 the encoder is told to expect 10% loss, since
/// libopus only spends bits on in-band FEC when told loss is possible.
///
/// DTX: libopus returns 1-2 byte packets for frames that need not be sent;
/// encode() returns 0 for those (the Codec contract for "send nothing"). The
/// receiver conceals the gap (conceal(), i.e. Opus PLC, which fades into
/// comfort noise-like output).
///
/// Thread-safety: one thread at a time per instance. Real-time safe: encode,
/// decode, conceal, decode_fec and reset (libopus does not allocate after
/// creation).

#include <memory>

#include "libconf/codec/codec.hpp"

struct OpusEncoder;
struct OpusDecoder;

namespace libconf::codec {

class OpusCodec final : public Codec {
 public:
  /// Errors: unsupported_sample_rate (32000 or not a rate at all),
  /// unsupported_frame_size (ptime not 10/20/40/60), invalid_argument
  /// (bitrate_bps outside 6000..510000 and not 0, complexity outside 0..10
  /// and not -1, expected_loss_percent outside 0..100), codec_error (libopus
  /// failed to create its state).
  [[nodiscard]] static Result<std::unique_ptr<Codec>> create(const CodecParams& params);
  [[nodiscard]] static Result<void> validate(const CodecParams& params) noexcept;

  ~OpusCodec() override;
  OpusCodec(const OpusCodec&) = delete;
  OpusCodec& operator=(const OpusCodec&) = delete;

  std::string_view name() const noexcept override { return "opus"; }
  int sample_rate_hz() const noexcept override { return sample_rate_hz_; }
  int rtp_clock_rate_hz() const noexcept override { return 48000; }
  int ptime_ms() const noexcept { return ptime_ms_; }
  /// Encoder algorithmic delay (lookahead) in samples at sample_rate_hz().
  int lookahead_samples() const noexcept { return lookahead_samples_; }
  /// Bitrate the encoder was configured with (after defaults), bit/s.
  int bitrate_bps() const noexcept { return bitrate_bps_; }

  /// pcm must be a legal Opus frame (2.5, 5, 10, 20, 40 or 60 ms at
  /// sample_rate_hz(); normally one ptime). Returns bytes written, 0 for a DTX
  /// frame. Errors: invalid_argument (frame length), buffer_too_small, codec_error.
  [[nodiscard]] Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                                           std::span<std::uint8_t> out) noexcept override;
  /// Decodes a packet of any legal duration. Errors: malformed_packet (empty
  /// or corrupt), buffer_too_small (pcm shorter than the packet's duration).
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> pcm) noexcept override;
  /// Opus PLC for pcm.size() samples (a multiple of 2.5 ms, else invalid_argument).
  [[nodiscard]] Result<std::size_t> conceal(std::span<std::int16_t> pcm) noexcept override;
  /// true: the decoder can always try; a next packet without FEC data gives PLC.
  bool has_fec() const noexcept override { return true; }
  /// Rebuilds the pcm.size() samples lost before next_payload from its in-band
  /// FEC (LBRR) data; libopus falls back to PLC when there is none.
  /// Errors: as decode(), and invalid_argument if pcm.size() is not a multiple of 2.5 ms.
  [[nodiscard]] Result<std::size_t> decode_fec(std::span<const std::uint8_t> next_payload,
                                               std::span<std::int16_t> pcm) noexcept override;
  void reset() noexcept override;

 private:
  OpusCodec(int sample_rate_hz, int ptime_ms);
  Result<std::size_t> decode_impl(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm,
                                  bool fec) noexcept;

  OpusEncoder* encoder_ = nullptr;
  OpusDecoder* decoder_ = nullptr;
  int sample_rate_hz_;
  int ptime_ms_;
  int lookahead_samples_ = 0;
  int bitrate_bps_ = 0;
  bool dtx_ = false;
};

}  // namespace libconf::codec
