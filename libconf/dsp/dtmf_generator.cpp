#include "libconf/dsp/dtmf_generator.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"
#include "libconf/dsp/dtmf.hpp"

namespace libconf::dsp {
namespace {

void check(bool ok, errc code, const std::string& what) {
  if (!ok) throw Error(code, "DtmfGeneratorConfig: " + what);
}

/// Peak amplitude (sample units) of a sine whose rms is level_dbm0.
double amplitude_for_dbm0(double level_dbm0) {
  return 32768.0 * std::sqrt(2.0) * std::pow(10.0, (level_dbm0 + audio::kDbm0InDbfs) / 20.0);
}

std::int16_t saturate(double v) noexcept {
  return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

}  // namespace

DtmfGenerator::DtmfGenerator(const DtmfGeneratorConfig& config)
    : rate_(config.sample_rate_hz), on_ms_(config.on_ms), off_ms_(config.off_ms) {
  check(audio::is_supported_sample_rate(rate_), errc::unsupported_sample_rate,
        "sample_rate_hz " + std::to_string(rate_) + " is not one of 8000, 16000, 24000, 32000, 48000");
  check(config.level_dbm0 >= -60.0 && config.level_dbm0 <= 3.0, errc::invalid_argument,
        "level_dbm0 " + std::to_string(config.level_dbm0) + " is outside -60..3");
  check(config.high_minus_low_db >= -20.0 && config.high_minus_low_db <= 20.0, errc::invalid_argument,
        "high_minus_low_db " + std::to_string(config.high_minus_low_db) + " is outside -20..20");
  check(config.on_ms >= 1 && config.on_ms <= 10000, errc::invalid_argument,
        "on_ms " + std::to_string(config.on_ms) + " is outside 1..10000");
  check(config.off_ms >= 0 && config.off_ms <= 10000, errc::invalid_argument,
        "off_ms " + std::to_string(config.off_ms) + " is outside 0..10000");
  low_amplitude_ = amplitude_for_dbm0(config.level_dbm0);
  high_amplitude_ = amplitude_for_dbm0(config.level_dbm0 + config.high_minus_low_db);
}

Result<void> DtmfGenerator::queue(std::string_view digits) noexcept {
  for (char c : digits)
    if (!is_dtmf_digit(c)) return errc::invalid_argument;
  if (digits.size() > kMaxQueued - count_) return errc::capacity_exceeded;
  for (char c : digits) {
    auto r = play(c, on_ms_, off_ms_);
    if (!r) return r;
  }
  return {};
}

Result<void> DtmfGenerator::play(char digit, int on_ms, int off_ms) noexcept {
  if (!is_dtmf_digit(digit) || on_ms < 1 || on_ms > 10000 || off_ms < 0 || off_ms > 10000)
    return errc::invalid_argument;
  if (count_ == kMaxQueued) return errc::capacity_exceeded;
  const auto samples = [this](int ms) {
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(ms) * rate_ / 1000);
  };
  items_[(head_ + count_) % kMaxQueued] = {digit, samples(on_ms), samples(off_ms)};
  ++count_;
  return {};
}

void DtmfGenerator::start_next() noexcept {
  const Item item = items_[head_];
  head_ = (head_ + 1) % kMaxQueued;
  --count_;
  int row = 0, column = 0;
  dtmf_position(item.digit, row, column);
  low_.set(kDtmfLowHz[row], rate_, low_amplitude_);
  high_.set(kDtmfHighHz[column], rate_, high_amplitude_);
  on_left_ = item.on_samples;
  remaining_ = item.on_samples + item.off_samples;
}

void DtmfGenerator::generate(std::span<std::int16_t> out) noexcept {
  for (auto& s : out) {
    if (remaining_ == 0 && count_ > 0) start_next();
    if (remaining_ == 0) {
      s = 0;
      continue;
    }
    if (on_left_ > 0) {
      s = saturate(low_.next() + high_.next());
      --on_left_;
    } else {
      s = 0;
    }
    --remaining_;
  }
}

void DtmfGenerator::clear() noexcept {
  count_ = 0;
  head_ = 0;
  on_left_ = 0;
  remaining_ = 0;
}

}  // namespace libconf::dsp
