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
  if (c.pause_hold_ms < 0 || c.pause_hold_ms > 2000)
    bad("pause_hold_ms: " + std::to_string(c.pause_hold_ms) + " is outside 0..2000");
  if (!(c.pause_release_db_per_s > 0.0 && c.pause_release_db_per_s <= 1000.0))
    bad("pause_release_db_per_s: " + std::to_string(c.pause_release_db_per_s) + " is outside (0, 1000]");
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

// Rounds to nearest (ties to even) and clamps, in plain float arithmetic the
// compiler vectorises: adding and subtracting 1.5 * 2^23 leaves the nearest
// integer of any |v| < 2^22.
std::int16_t saturate(float v) noexcept {
  constexpr float kRound = 12582912.0f;
  v = std::clamp(v, -32768.0f, 32767.0f);
  return static_cast<std::int16_t>((v + kRound) - kRound);
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
  hold_frames_ = static_cast<int>(std::ceil(config_.pause_hold_ms / frame_ms));
  release_step_db_ = config_.pause_release_db_per_s * frame_ms / 1000.0;
  reset();
}

void Agc::reset() noexcept {
  detector_.reset();
  gain_db_ = std::clamp(0.0, config_.min_gain_db, config_.max_gain_db);
  applied_db_ = std::min(gain_db_, 0.0);
  applied_gain_ = db_to_lin(applied_db_);
  level_power_ = 0.0;
  level_frames_ = 0;
  limiting_ = false;
  spurt_is_speech_ = false;
  frames_since_speech_ = 1 << 20;
}

double Agc::gain_db() const noexcept { return enabled_ ? gain_db_ : 0.0; }

double Agc::applied_gain_db() const noexcept { return enabled_ ? lin_to_db(applied_gain_) : 0.0; }

double Agc::input_level_dbfs() const noexcept {
  return level_frames_ > 0 && level_power_ > 0.0 ? 10.0 * std::log10(level_power_) : kSilenceDb;
}

void Agc::process(std::span<std::int16_t> frame) noexcept {
  if (!enabled_) return;
  if (frame.size() != config_.frame_samples) {
    process(frame, TalkerUpdate{});
    return;
  }
  process(frame, detector_.process(frame));
}

void Agc::process(std::span<std::int16_t> frame, const TalkerUpdate& u) noexcept {
  if (!enabled_) return;
  if (frame.size() != config_.frame_samples) {
    const auto g = static_cast<float>(applied_gain_);
    for (auto& s : frame) s = saturate(static_cast<float>(s) * g);
    return;
  }

  // Slow loop: adapt only inside a talk spurt that has shown speech-like
  // level modulation, on frames clearly above the noise floor.
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

  // Speech gets the gain, the pauses between sentences do not: hold it for
  // pause_hold_ms after the last speech frame, then release to min(gain, 0).
  const bool speech = u.speech_frame && u.emphasised_snr_db >= kEmphasisedMarginDb;
  frames_since_speech_ = speech ? 0 : std::min(frames_since_speech_ + 1, 1 << 20);
  const double target_db = frames_since_speech_ <= hold_frames_ ? gain_db_ : std::min(gain_db_, 0.0);
  const bool attack = target_db > applied_db_ + max_step_db_;
  applied_db_ = target_db >= applied_db_ ? target_db : std::max(target_db, applied_db_ - release_step_db_);

  // Fast path: 1 ms segments, gain at each segment boundary capped by the
  // peaks of both neighbouring segments, linear in between (within the
  // first kAttackMs at an onset).
  const std::size_t n = segment_samples_;
  // The frame's peak first (one vectorisable pass): when no segment can reach
  // the ceiling, the per-segment caps are not needed, and at unity gain
  // there is nothing to do at all (a quiet or silent leg between sentences).
  int frame_peak = 0;
  for (const std::int16_t v16 : frame) {
    const int v = v16;
    frame_peak = std::max(frame_peak, v < 0 ? -v : v);
  }
  const double g0 = applied_gain_;
  double g1 = db_to_lin(applied_db_);
  const bool may_cap = static_cast<double>(frame_peak) * std::max(g0, g1) > ceiling_;
  limiting_ = false;
  if (may_cap) {
    for (std::size_t k = 0; k < segments_; ++k) {
      const std::int16_t* x = frame.data() + k * n;
      int peak = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const int v = x[i];
        peak = std::max(peak, v < 0 ? -v : v);
      }
      limits_[k] = peak > 0 ? static_cast<float>(ceiling_ / peak) : std::numeric_limits<float>::max();
    }
    const double min_limit = ceiling_ / frame_peak;
    limiting_ = min_limit < g1;
    if (limiting_) {
      gain_db_ = std::min(gain_db_, lin_to_db(min_limit));
      applied_db_ = std::min(applied_db_, lin_to_db(min_limit));
    }
  } else {
    if (g0 == 1.0 && g1 == 1.0) return;  // unity: nothing to do
    std::fill(limits_.begin(), limits_.begin() + static_cast<std::ptrdiff_t>(segments_),
              std::numeric_limits<float>::max());
  }
  const std::size_t ramp = attack ? std::min<std::size_t>(segments_, kAttackMs) : segments_;
  auto boundary = [&](std::size_t j) {
    double b = j >= ramp ? g1 : g0 + (g1 - g0) * static_cast<double>(j) / static_cast<double>(ramp);
    if (j > 0) b = std::min(b, static_cast<double>(limits_[j - 1]));
    if (j < segments_) b = std::min(b, static_cast<double>(limits_[j]));
    return b;
  };
  double b_start = boundary(0);
  for (std::size_t k = 0; k < segments_; ++k) {
    const double b_end = boundary(k + 1);
    const auto start = static_cast<float>(b_start);
    const auto step = static_cast<float>((b_end - b_start) / static_cast<double>(n));
    std::int16_t* x = frame.data() + k * n;
    for (std::size_t i = 0; i < n; ++i) x[i] = saturate(static_cast<float>(x[i]) * (start + step * static_cast<float>(i + 1)));
    b_start = b_end;
  }
  applied_gain_ = b_start;
}

}  // namespace libconf::dsp
