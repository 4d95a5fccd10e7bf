#include "libconf/codec/opus_codec.hpp"

#include <opus.h>

#include <climits>

#include "libconf/audio/format.hpp"

namespace libconf::codec {
namespace {

constexpr int kDefaultBitrateNarrowbandBps = 16000;
// libopus codes narrowband LBRR (in-band FEC) only above a rate threshold
// near 14 kbit/s; measured on speech: none at 16 kbit/s target, full FEC at
// 18 kbit/s. 20 kbit/s leaves margin.
constexpr int kDefaultBitrateNarrowbandFecBps = 20000;
constexpr int kDefaultBitrateWidebandBps = 24000;
// libopus codes in-band FEC only if told the channel loses packets; 10% is
// the loss at which its LBRR data is tuned for typical VoIP links.
constexpr int kDefaultFecLossPercent = 10;

bool is_opus_rate(int sample_rate_hz) noexcept {
  return sample_rate_hz == 8000 || sample_rate_hz == 16000 || sample_rate_hz == 24000 ||
         sample_rate_hz == 48000;
}

// Legal Opus frame durations are 2.5, 5, 10, 20, 40, 60 ms.
bool is_opus_frame(std::size_t samples, int sample_rate_hz) noexcept {
  const std::size_t per_2_5ms = static_cast<std::size_t>(sample_rate_hz / 400);
  for (std::size_t m : {1u, 2u, 4u, 8u, 16u, 24u})
    if (samples == m * per_2_5ms) return true;
  return false;
}

errc map_opus_error(int code) noexcept {
  switch (code) {
    case OPUS_BUFFER_TOO_SMALL: return errc::buffer_too_small;
    case OPUS_INVALID_PACKET: return errc::malformed_packet;
    case OPUS_BAD_ARG: return errc::invalid_argument;
    default: return errc::codec_error;
  }
}

}  // namespace

Result<void> OpusCodec::validate(const CodecParams& params) noexcept {
  if (!is_opus_rate(params.sample_rate_hz)) return errc::unsupported_sample_rate;
  if (!audio::is_supported_ptime(params.ptime_ms)) return errc::unsupported_frame_size;
  if (params.bitrate_bps != 0 && (params.bitrate_bps < 6000 || params.bitrate_bps > 510000))
    return errc::invalid_argument;
  if (params.complexity != -1 && (params.complexity < 0 || params.complexity > 10)) return errc::invalid_argument;
  if (params.expected_loss_percent < 0 || params.expected_loss_percent > 100) return errc::invalid_argument;
  return {};
}

OpusCodec::OpusCodec(int sample_rate_hz, int ptime_ms) : sample_rate_hz_(sample_rate_hz), ptime_ms_(ptime_ms) {}

OpusCodec::~OpusCodec() {
  if (encoder_) opus_encoder_destroy(encoder_);
  if (decoder_) opus_decoder_destroy(decoder_);
}

Result<std::unique_ptr<Codec>> OpusCodec::create(const CodecParams& params) {
  if (auto ok = validate(params); !ok) return ok.error();
  std::unique_ptr<OpusCodec> codec(new OpusCodec(params.sample_rate_hz, params.ptime_ms));
  int err = OPUS_OK;
  codec->encoder_ = opus_encoder_create(params.sample_rate_hz, 1, OPUS_APPLICATION_VOIP, &err);
  if (err != OPUS_OK || !codec->encoder_) return errc::codec_error;
  codec->decoder_ = opus_decoder_create(params.sample_rate_hz, 1, &err);
  if (err != OPUS_OK || !codec->decoder_) return errc::codec_error;

  OpusEncoder* enc = codec->encoder_;
  codec->bitrate_bps_ = params.bitrate_bps != 0          ? params.bitrate_bps
                        : params.sample_rate_hz != 8000 ? kDefaultBitrateWidebandBps
                        : params.fec                    ? kDefaultBitrateNarrowbandFecBps
                                                        : kDefaultBitrateNarrowbandBps;
  const int loss = params.fec && params.expected_loss_percent == 0 ? kDefaultFecLossPercent
                                                                    : params.expected_loss_percent;
  if (opus_encoder_ctl(enc, OPUS_SET_BITRATE(codec->bitrate_bps_)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(params.fec ? 1 : 0)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_DTX(params.dtx ? 1 : 0)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(loss)) != OPUS_OK)
    return errc::codec_error;
  if (params.complexity != -1 && opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(params.complexity)) != OPUS_OK)
    return errc::codec_error;
  int lookahead = 0;
  if (opus_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(&lookahead)) != OPUS_OK) return errc::codec_error;
  codec->lookahead_samples_ = lookahead;
  codec->dtx_ = params.dtx;
  return std::unique_ptr<Codec>(std::move(codec));
}

Result<std::size_t> OpusCodec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept {
  if (!is_opus_frame(pcm.size(), sample_rate_hz_)) return errc::invalid_argument;
  if (out.empty()) return errc::buffer_too_small;
  const auto max_bytes = static_cast<opus_int32>(std::min<std::size_t>(out.size(), INT_MAX));
  const opus_int32 n =
      opus_encode(encoder_, pcm.data(), static_cast<int>(pcm.size()), out.data(), max_bytes);
  if (n < 0) return map_opus_error(n);
  // libopus: "If the return value is 2 bytes or less, then the packet does not
  // need to be transmitted (DTX)."
  if (dtx_ && n <= 2) return std::size_t{0};
  return static_cast<std::size_t>(n);
}

Result<std::size_t> OpusCodec::decode_impl(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm,
                                           bool fec) noexcept {
  if (payload.empty() || payload.size() > static_cast<std::size_t>(INT_MAX)) return errc::malformed_packet;
  const auto len = static_cast<opus_int32>(payload.size());
  if (!fec) {
    const int samples = opus_decoder_get_nb_samples(decoder_, payload.data(), len);
    if (samples < 0) return errc::malformed_packet;
    if (static_cast<std::size_t>(samples) > pcm.size()) return errc::buffer_too_small;
  } else if (!is_opus_frame(pcm.size(), sample_rate_hz_)) {
    return errc::invalid_argument;
  }
  const std::size_t frame = std::min<std::size_t>(pcm.size(), static_cast<std::size_t>(sample_rate_hz_) * 120 / 1000);
  const int n = opus_decode(decoder_, payload.data(), len, pcm.data(), static_cast<int>(frame), fec ? 1 : 0);
  if (n < 0) return map_opus_error(n);
  return static_cast<std::size_t>(n);
}

Result<std::size_t> OpusCodec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm) noexcept {
  return decode_impl(payload, pcm, false);
}

Result<std::size_t> OpusCodec::decode_fec(std::span<const std::uint8_t> next_payload,
                                          std::span<std::int16_t> pcm) noexcept {
  return decode_impl(next_payload, pcm, true);
}

Result<std::size_t> OpusCodec::conceal(std::span<std::int16_t> pcm) noexcept {
  if (pcm.empty() || pcm.size() % static_cast<std::size_t>(sample_rate_hz_ / 400) != 0 ||
      pcm.size() > static_cast<std::size_t>(sample_rate_hz_) * 120 / 1000)
    return errc::invalid_argument;
  const int n = opus_decode(decoder_, nullptr, 0, pcm.data(), static_cast<int>(pcm.size()), 0);
  if (n < 0) return map_opus_error(n);
  return static_cast<std::size_t>(n);
}

void OpusCodec::reset() noexcept {
  opus_encoder_ctl(encoder_, OPUS_RESET_STATE);
  opus_decoder_ctl(decoder_, OPUS_RESET_STATE);
}

}  // namespace libconf::codec
