#include "libconf/dsp/agc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {
namespace {

constexpr double kSilenceDb = -120.0;

[[noreturn]] void bad(const std::string& what) { throw Error(errc::invalid_argument, "AgcConfig." + what); }

void check_range(const char* name, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    bad(std::string(name) + ": " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." +
        std::to_string(hi));
}

const AgcConfig& validated(const AgcConfig& c) {
  check_range("target_level_dbfs", c.target_level_dbfs, -40.0, -3.0);
  check_range("max_gain_db", c.max_gain_db, 0.0, 40.0);
  check_range("min_gain_db", c.min_gain_db, -40.0, 0.0);
  if (!(c.max_gain_change_db_per_s > 0.0 && c.max_gain_change_db_per_s <= 200.0))
    bad("max_gain_change_db_per_s: " + std::to_string(c.max_gain_change_db_per_s) + " is outside (0, 200]");
  check_range("peak_ceiling_db", c.peak_ceiling_db, -20.0, 0.0);
  if (c.level_time_constant_ms < 20 || c.level_time_constant_ms > 10000)
    bad("level_time_constant_ms: " + std::to_string(c.level_time_constant_ms) + " is outside 20..10000");
  return c;  // rate and frame size are checked (with their own messages) by the detector
}

TalkerDetectorConfig detector_config(const AgcConfig& c) {
  TalkerDetectorConfig d;
  d.sample_rate_hz = c.sample_rate_hz;
  d.frame_samples = c.frame_samples;
  return d;
}

double db_to_lin(double db) noexcept { return std::pow(10.0, db / 20.0); }
double lin_to_db(double g) noexcept { return g > 0.0 ? std::max(kSilenceDb, 20.0 * std::log10(g)) : kSilenceDb; }

std::int16_t saturate(double v) noexcept {
  const double r = std::nearbyint(v);
  if (r >= 32767.0) return 32767;
  if (r <= -32768.0) return -32768;
  return static_cast<std::int16_t>(r);
}

}  // namespace

Agc::Agc(const AgcConfig& config) : config_(validated(config)), detector_(detector_config(config)) {
  enabled_ = config_.enabled;
  segment_samples_ = static_cast<std::size_t>(config_.sample_rate_hz / 1000);
  segments_ = config_.frame_samples / segment_samples_;
  const double frame_ms = static_cast<double>(segments_);
  max_step_db_ = config_.max_gain_change_db_per_s * frame_ms / 1000.0;
  level_alpha_ = 1.0 - std::exp(-frame_ms / config_.level_time_constant_ms);
  warmup_frames_ = std::max(1, static_cast<int>(std::lround(config_.level_time_constant_ms / frame_ms)));
  ceiling_ = 32767.0 * db_to_lin(config_.peak_ceiling_db);
  reset();
}

void Agc::reset() noexcept {
  detector_.reset();
  gain_db_ = std::clamp(0.0, config_.min_gain_db, config_.max_gain_db);
  applied_gain_ = db_to_lin(gain_db_);
  level_power_ = 0.0;
  level_frames_ = 0;
  limiting_ = false;
  spurt_is_speech_ = false;
}

double Agc::gain_db() const noexcept { return enabled_ ? gain_db_ : 0.0; }

double Agc::input_level_dbfs() const noexcept {
  return level_frames_ > 0 && level_power_ > 0.0 ? 10.0 * std::log10(level_power_) : kSilenceDb;
}

void Agc::process(std::span<std::int16_t> frame) noexcept {
  if (!enabled_) return;
  if (frame.size() != config_.frame_samples) {
    for (auto& s : frame) s = saturate(s * applied_gain_);
    return;
  }

  // Slow loop: adapt only inside a talk spurt that has shown speech-like
  // level modulation, on frames clearly above the noise floor.
  const TalkerUpdate u = detector_.process(frame);
  if (u.started || !u.talking) spurt_is_speech_ = false;
  if (u.talking && u.modulated) spurt_is_speech_ = true;
  const bool measure = u.talking && spurt_is_speech_ &&
                       u.frame_level_dbfs >= u.noise_floor_dbfs + kLevelMarginDb &&
                       u.frame_level_dbfs >= detector_.config().min_speech_level_dbfs;
  if (measure) {
    const double p = std::pow(10.0, u.frame_level_dbfs / 10.0);
    if (level_frames_ < warmup_frames_) ++level_frames_;
    const double alpha = std::max(level_alpha_, 1.0 / level_frames_);
    level_power_ += alpha * (p - level_power_);
    const double desired =
        std::clamp(config_.target_level_dbfs - 10.0 * std::log10(level_power_), config_.min_gain_db,
                   config_.max_gain_db);
    gain_db_ += std::clamp(desired - gain_db_, -max_step_db_, max_step_db_);
  }

  // Fast path: 1 ms segments, gain at each segment boundary capped by the
  // peaks of both neighbouring segments, linear in between.
  const std::size_t n = segment_samples_;
  double min_limit = std::numeric_limits<double>::max();
  for (std::size_t k = 0; k < segments_; ++k) {
    int peak = 0;
    for (std::size_t i = 0; i < n; ++i) peak = std::max(peak, std::abs(static_cast<int>(frame[k * n + i])));
    limits_[k] = peak > 0 ? ceiling_ / peak : std::numeric_limits<double>::max();
    min_limit = std::min(min_limit, limits_[k]);
  }
  const double g0 = applied_gain_;
  const double g1 = db_to_lin(gain_db_);
  limiting_ = false;
  auto boundary = [&](std::size_t j) {
    double b = g0 + (g1 - g0) * static_cast<double>(j) / static_cast<double>(segments_);
    if (j > 0) b = std::min(b, limits_[j - 1]);
    if (j < segments_) b = std::min(b, limits_[j]);
    return b;
  };
  double b_start = boundary(0);
  for (std::size_t k = 0; k < segments_; ++k) {
    const double b_end = boundary(k + 1);
    const double step = (b_end - b_start) / static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto& s = frame[k * n + i];
      s = saturate(s * (b_start + step * static_cast<double>(i + 1)));
    }
    b_start = b_end;
  }
  applied_gain_ = b_start;
  if (min_limit < g1) {
    limiting_ = true;
    gain_db_ = lin_to_db(min_limit);
  }
}

}  // namespace libconf::dsp
