#include "libconf/codec/l16.hpp"

#include "libconf/audio/format.hpp"

namespace libconf::codec {

Result<void> L16Codec::validate(const CodecParams& params) noexcept {
  if (!audio::is_supported_sample_rate(params.sample_rate_hz)) return errc::unsupported_sample_rate;
  if (!audio::is_supported_ptime(params.ptime_ms)) return errc::unsupported_frame_size;
  return {};
}

Result<std::unique_ptr<Codec>> L16Codec::create(const CodecParams& params) {
  if (auto ok = validate(params); !ok) return ok.error();
  return std::unique_ptr<Codec>(std::make_unique<L16Codec>(params.sample_rate_hz, params.ptime_ms));
}

L16Codec::L16Codec(int sample_rate_hz, int ptime_ms)
    : sample_rate_hz_(sample_rate_hz), ptime_ms_(ptime_ms), plc_(sample_rate_hz) {}

Result<std::size_t> L16Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept {
  if (out.size() < 2 * pcm.size()) return errc::buffer_too_small;
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const auto v = static_cast<std::uint16_t>(pcm[i]);
    out[2 * i] = static_cast<std::uint8_t>(v >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(v & 0xFF);
  }
  return 2 * pcm.size();
}

Result<std::size_t> L16Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm) noexcept {
  if (payload.empty() || payload.size() % 2 != 0) return errc::malformed_packet;
  const std::size_t n = payload.size() / 2;
  if (pcm.size() < n) return errc::buffer_too_small;
  for (std::size_t i = 0; i < n; ++i)
    pcm[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>((payload[2 * i] << 8) | payload[2 * i + 1]));
  plc_.receive(pcm.first(n));
  return n;
}

Result<std::size_t> L16Codec::conceal(std::span<std::int16_t> pcm) noexcept {
  plc_.conceal(pcm);
  return pcm.size();
}

}  // namespace libconf::codec
