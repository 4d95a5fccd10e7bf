#include "libconf/mix/limiter.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace libconf::mix {

namespace {
// Round half away from zero after clamping to the int16 range. Written out so
// the loops vectorise (std::lrint is a libm call under -fmath-errno).
inline std::int16_t to_int16(float v) noexcept {
  v = std::clamp(v, -32767.0f, 32767.0f);
  return static_cast<std::int16_t>(v >= 0.0f ? v + 0.5f : v - 0.5f);
}
}  // namespace

Limiter::Limiter(const LimiterConfig& config, int sample_rate_hz, std::size_t frame_samples) noexcept
    : threshold_(config.threshold) {
  const double subframe_s = static_cast<double>(frame_samples) / kSubframes / sample_rate_hz;
  release_per_subframe_ = static_cast<float>(std::pow(10.0, config.release_db_per_s * subframe_s / 20.0));
}

void Limiter::process(std::span<const float> in, std::span<std::int16_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  const std::size_t sub = n / kSubframes;
  // Gain each sub-frame may at most use so that its peak stays at the threshold.
  std::array<float, kSubframes> allowed{};
  bool transparent = gain_ >= 1.0f;
  for (std::size_t k = 0; k < kSubframes; ++k) {
    float peak = 0.0f;
    const float* p = in.data() + k * sub;
    for (std::size_t i = 0; i < sub; ++i) peak = std::max(peak, std::fabs(p[i]));
    allowed[k] = peak > threshold_ ? threshold_ / peak : 1.0f;
    transparent = transparent && allowed[k] >= 1.0f;
  }
  if (transparent) {
    for (std::size_t i = 0; i < n; ++i) out[i] = to_int16(in[i]);
    return;
  }
  // Envelope points b[k] at the start of each sub-frame (b[kSubframes] = end).
  // b[k] <= allowed[k-1] and b[k] <= allowed[k], so the linear ramp across
  // sub-frame k never exceeds allowed[k]: no sample passes the threshold.
  float b_prev = std::min(gain_, allowed[0]);
  for (std::size_t k = 0; k < kSubframes; ++k) {
    const float released = std::min(1.0f, b_prev * release_per_subframe_);
    const float next_allowed = k + 1 < kSubframes ? allowed[k + 1] : 1.0f;
    const float b_next = std::min({released, allowed[k], next_allowed});
    const float step = (b_next - b_prev) / static_cast<float>(sub);
    const float* p = in.data() + k * sub;
    std::int16_t* o = out.data() + k * sub;
    for (std::size_t i = 0; i < sub; ++i) o[i] = to_int16(p[i] * (b_prev + step * static_cast<float>(i)));
    b_prev = b_next;
  }
  // Samples past the last whole sub-frame (never for supported sizes).
  for (std::size_t i = sub * kSubframes; i < n; ++i)
    out[i] = to_int16(in[i] * b_prev);
  gain_ = b_prev;
}

}  // namespace libconf::mix
