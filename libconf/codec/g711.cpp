#include "libconf/codec/g711.hpp"

#include <algorithm>

#include "libconf/audio/format.hpp"

namespace libconf::codec {
namespace {

// G.711 µ-law: the 14-bit magnitude plus the bias 33 falls in segment
// s = floor(log2) - 5 (0..7); the code is sign | s << 4 | the 4 bits after the
// leading one, all inverted (positive values carry sign bit 1 after inversion).
// The input y is a 14-bit value whose negatives are one's complement coded
// (magnitude ~y): linear_to_ulaw() passes y = (x - 1) >> 2 for negative x, for
// which ~y == |x| >> 2, so ±x share a magnitude code (the symmetric quantiser
// of G.711 Table 2a, bit-exact with spandsp).
constexpr std::uint8_t ulaw_encode(int sample14) {
  const int magnitude = std::min((sample14 < 0 ? ~sample14 : sample14) + 33, 0x1FFF);
  int segment = 0;
  while ((magnitude >> (segment + 6)) != 0) ++segment;
  const int code = (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F);
  return static_cast<std::uint8_t>(code ^ (sample14 < 0 ? 0x7F : 0xFF));
}

constexpr std::int16_t ulaw_decode(std::uint8_t code) {
  const int c = static_cast<std::uint8_t>(~code);
  const int segment = (c >> 4) & 0x07;
  const int value = (((c & 0x0F) << 3) + 0x84) << segment;  // mid-point of the interval, biased
  return static_cast<std::int16_t>((c & 0x80) ? 0x84 - value : value - 0x84);
}

// G.711 A-law (G.191 alaw_compress): the 12-bit magnitude (one's complement
// for negatives) below 32 is segment 0 with a linear 4-bit mantissa (mag >> 1
// in 13-bit terms); above, segment s = floor(log2) - 3 keeps the 4 bits after
// the leading one. Positive values set bit 7; even bits are inverted (^ 0x55).
constexpr std::uint8_t alaw_encode(int sample12) {
  const int magnitude = sample12 < 0 ? ~sample12 : sample12;  // 0..2047
  int code = 0;
  if (magnitude < 16) {
    code = magnitude;
  } else {
    int segment = 1;
    while ((magnitude >> (segment + 4)) != 0) ++segment;
    code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
  }
  if (sample12 >= 0) code |= 0x80;
  return static_cast<std::uint8_t>(code ^ 0x55);
}

constexpr std::int16_t alaw_decode(std::uint8_t code) {
  const int c = code ^ 0x55;
  const int segment = (c >> 4) & 0x07;
  int value = (c & 0x0F) << 4;
  value = segment == 0 ? value + 8 : (value + 0x108) << (segment - 1);  // mid-points of the intervals
  return static_cast<std::int16_t>((c & 0x80) ? value : -value);
}

constexpr std::array<std::uint8_t, 16385> make_ulaw_table() {
  std::array<std::uint8_t, 16385> table{};
  for (int i = 0; i < 16385; ++i) table[static_cast<std::size_t>(i)] = ulaw_encode(i - 8193);
  return table;
}

constexpr std::array<std::uint8_t, 4096> make_alaw_table() {
  std::array<std::uint8_t, 4096> table{};
  for (std::size_t i = 0; i < 4096; ++i) {
    // Index i holds the top 12 bits of a 16-bit two's complement sample.
    const int sample = static_cast<std::int16_t>(static_cast<std::uint16_t>(i << 4));
    table[i] = alaw_encode(sample >> 4);
  }
  return table;
}

constexpr std::array<std::int16_t, 256> make_decode_table(std::int16_t (*decode)(std::uint8_t)) {
  std::array<std::int16_t, 256> table{};
  for (int i = 0; i < 256; ++i) table[i] = decode(static_cast<std::uint8_t>(i));
  return table;
}

}  // namespace

namespace detail {
constexpr std::array<std::uint8_t, 16385> kUlawFromLinear = make_ulaw_table();
constexpr std::array<std::uint8_t, 4096> kAlawFromLinear = make_alaw_table();
constexpr std::array<std::int16_t, 256> kLinearFromUlaw = make_decode_table(ulaw_decode);
constexpr std::array<std::int16_t, 256> kLinearFromAlaw = make_decode_table(alaw_decode);
static_assert(kUlawFromLinear[8193] == 0xFF && kAlawFromLinear[0] == 0xD5);
}  // namespace detail

void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = linear_to_ulaw(in[i]);
}
void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = ulaw_to_linear(in[i]);
}
void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = linear_to_alaw(in[i]);
}
void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = alaw_to_linear(in[i]);
}

Result<void> G711Codec::validate(const CodecParams& params) noexcept {
  if (params.sample_rate_hz != 8000) return errc::unsupported_sample_rate;
  if (!audio::is_supported_ptime(params.ptime_ms)) return errc::unsupported_frame_size;
  return {};
}

Result<std::unique_ptr<Codec>> G711Codec::create(G711Law law, const CodecParams& params) {
  if (auto ok = validate(params); !ok) return ok.error();
  return std::unique_ptr<Codec>(std::make_unique<G711Codec>(law, params.ptime_ms));
}

G711Codec::G711Codec(G711Law law, int ptime_ms) : law_(law), ptime_ms_(ptime_ms), plc_(8000) {}

Result<std::size_t> G711Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept {
  if (out.size() < pcm.size()) return errc::buffer_too_small;
  if (law_ == G711Law::ulaw)
    encode_ulaw(pcm, out);
  else
    encode_alaw(pcm, out);
  return pcm.size();
}

Result<std::size_t> G711Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm) noexcept {
  if (payload.empty()) return errc::malformed_packet;
  if (pcm.size() < payload.size()) return errc::buffer_too_small;
  const auto out = pcm.first(payload.size());
  if (law_ == G711Law::ulaw)
    decode_ulaw(payload, out);
  else
    decode_alaw(payload, out);
  plc_.receive(out);
  return payload.size();
}

Result<std::size_t> G711Codec::conceal(std::span<std::int16_t> pcm) noexcept {
  plc_.conceal(pcm);
  return pcm.size();
}

}  // namespace libconf::codec
