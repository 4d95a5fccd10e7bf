#include "libconf/dsp/talker_detector.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {
namespace {

constexpr double kSilenceDb = -120.0;
/// Frames whose samples are all within ±1 LSB are digital silence: a dropout, a muted
/// phone or the jitter buffer's fill. Isolated ones must not drag the floor
/// down (a lost packet would make every later noise frame look like speech),
/// so they count as a floor observation only after kDigitalSilenceForFloorMs.
constexpr double kDigitalSilenceDbfs = -90.0;
constexpr int kDigitalSilencePeak = 1;  // |sample| <= 1 LSB: zeros or dither
constexpr int kDigitalSilenceForFloorMs = 100;
/// Minimum-statistics sub-window; four of them give a 1.6 s memory, longer
/// than the longest syllable-to-syllable gap so the floor sits in the pauses.
constexpr int kSubWindowMs = 400;
/// Window over which level modulation is measured (about 1.5 syllables).
constexpr int kModulationWindowMs = 400;
/// DC blocker corner: below the lowest voice fundamental (≈ 70 Hz), above
/// the DC offset and mains hum leakage some lines carry.
constexpr double kDcCornerHz = 40.0;
/// Marks a ring slot whose frame was below min_speech_level_dbfs.
constexpr double kNoLevel = std::numeric_limits<double>::lowest();

[[noreturn]] void bad(errc code, const std::string& what) { throw Error(code, "TalkerDetectorConfig." + what); }

double power_to_db(double p) noexcept { return p > 0.0 ? std::max(kSilenceDb, 10.0 * std::log10(p)) : kSilenceDb; }

}  // namespace

TalkerDetector::TalkerDetector(const TalkerDetectorConfig& config) : config_(config) {
  if (!audio::is_supported_sample_rate(config.sample_rate_hz))
    bad(errc::unsupported_sample_rate,
        "sample_rate_hz: " + std::to_string(config.sample_rate_hz) + " is not one of 8000, 16000, 24000, 32000, 48000");
  const std::size_t per_ms = static_cast<std::size_t>(config.sample_rate_hz / 1000);
  if (config.frame_samples == 0 || config.frame_samples % per_ms != 0 ||
      !audio::is_supported_ptime(static_cast<int>(config.frame_samples / per_ms)))
    bad(errc::unsupported_frame_size, "frame_samples: " + std::to_string(config.frame_samples) +
                                          " is not 10, 20, 40 or 60 ms at " + std::to_string(config.sample_rate_hz) +
                                          " Hz");
  if (config.hangover_ms < 0 || config.hangover_ms > 10000)
    bad(errc::invalid_argument, "hangover_ms: " + std::to_string(config.hangover_ms) + " is outside 0..10000");
  if (config.start_ms < 0 || config.start_ms > 1000)
    bad(errc::invalid_argument, "start_ms: " + std::to_string(config.start_ms) + " is outside 0..1000");
  if (!(config.active_margin_db > 0.0 && config.active_margin_db <= 40.0))
    bad(errc::invalid_argument,
        "active_margin_db: " + std::to_string(config.active_margin_db) + " is outside (0, 40]");
  if (!(config.start_margin_db >= config.active_margin_db && config.start_margin_db <= 60.0))
    bad(errc::invalid_argument, "start_margin_db: " + std::to_string(config.start_margin_db) +
                                    " must be within [active_margin_db, 60]");
  if (!(config.min_speech_level_dbfs >= -100.0 && config.min_speech_level_dbfs <= 0.0))
    bad(errc::invalid_argument, "min_speech_level_dbfs: " + std::to_string(config.min_speech_level_dbfs) +
                                    " is outside -100..0");
  if (config.level_time_constant_ms < 1 || config.level_time_constant_ms > 60000)
    bad(errc::invalid_argument,
        "level_time_constant_ms: " + std::to_string(config.level_time_constant_ms) + " is outside 1..60000");

  frame_ms_ = static_cast<int>(config.frame_samples / per_ms);
  auto frames_for = [this](int ms) { return std::max(1, (ms + frame_ms_ - 1) / frame_ms_); };
  start_frames_ = frames_for(config.start_ms);
  hangover_frames_ = frames_for(config.hangover_ms);
  sub_window_frames_ = frames_for(kSubWindowMs);
  silence_frames_for_floor_ = frames_for(kDigitalSilenceForFloorMs);
  ring_len_ = std::min<std::size_t>(kMaxRingFrames, static_cast<std::size_t>(frames_for(kModulationWindowMs)));
  dc_coeff_ = 1.0 - 2.0 * std::numbers::pi * kDcCornerHz / config.sample_rate_hz;
  emph_lag_ = static_cast<std::size_t>(config.sample_rate_hz / 8000);
  for (int i = 0; i < 4; ++i) dc_pow_[static_cast<std::size_t>(i)] = static_cast<float>(std::pow(dc_coeff_, i + 1));
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i)
      dc_col_[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] =
          i < j ? 0.0f : static_cast<float>(std::pow(dc_coeff_, i - j));
  level_alpha_ = 1.0 - std::exp(-static_cast<double>(frame_ms_) / config.level_time_constant_ms);
  reset();
}

void TalkerDetector::reset() noexcept {
  dc_x1_ = dc_y1_ = 0.0;
  floor_known_ = false;
  floor_db_ = kSilenceDb;
  sub_minima_.fill(kSilenceDb);
  sub_index_ = 0;
  sub_count_ = 0;
  sub_min_ = sub_max_ = 0.0;
  digital_silence_run_ = 0;
  emphasised_.reset();
  emph_hist_.fill(0);
  ring_.fill(kNoLevel);
  ring_pos_ = 0;
  talking_ = false;
  speech_run_ = 0;
  quiet_run_ = 0;
  level_power_ = 0.0;
}

float TalkerDetector::level_dbfs() const noexcept {
  return talking_ ? static_cast<float>(power_to_db(level_power_)) : static_cast<float>(kSilenceDb);
}

float TalkerDetector::noise_floor_dbfs() const noexcept { return static_cast<float>(floor_db_); }

void TalkerDetector::FloorTracker::reset() noexcept {
  known = false;
  floor_db = kSilenceDb;
  minima.fill(kSilenceDb);
  index = 0;
  count = 0;
  sub_min = sub_max = 0.0;
}

void TalkerDetector::FloorTracker::observe(double level_db, int sub_window_frames) noexcept {
  // The same minimum statistics as observe_floor(), for the emphasised level.
  if (!known) {
    known = true;
    floor_db = level_db;
    minima.fill(level_db);
  }
  sub_min = count == 0 ? level_db : std::min(sub_min, level_db);
  sub_max = count == 0 ? level_db : std::max(sub_max, level_db);
  ++count;
  floor_db = std::min(floor_db, level_db);
  if (count < sub_window_frames) return;
  if (sub_max - sub_min <= kStationarySpreadDb) {
    minima.fill(sub_min);
  } else {
    minima[index] = sub_min;
    index = (index + 1) % kSubWindows;
  }
  floor_db = *std::min_element(minima.begin(), minima.end());
  count = 0;
}

void TalkerDetector::observe_floor(double level_db) noexcept {
  if (!floor_known_) {
    // The first observation is the only evidence there is: a line that starts
    // with steady noise must not look like a talker starting.
    floor_known_ = true;
    floor_db_ = level_db;
    sub_minima_.fill(level_db);
  }
  if (sub_count_ == 0) {
    sub_min_ = sub_max_ = level_db;
  } else {
    sub_min_ = std::min(sub_min_, level_db);
    sub_max_ = std::max(sub_max_, level_db);
  }
  ++sub_count_;
  floor_db_ = std::min(floor_db_, level_db);  // falls at once
  if (sub_count_ < sub_window_frames_) return;
  if (sub_max_ - sub_min_ <= kStationarySpreadDb) {
    // A steady sub-window is the line's noise (or a steady tone): it replaces
    // the older, lower minima so the floor rises at once.
    sub_minima_.fill(sub_min_);
  } else {
    sub_minima_[sub_index_] = sub_min_;
    sub_index_ = (sub_index_ + 1) % kSubWindows;
  }
  floor_db_ = *std::min_element(sub_minima_.begin(), sub_minima_.end());
  sub_count_ = 0;
}

double TalkerDetector::modulation_db() const noexcept {
  double lo = std::numeric_limits<double>::max();
  double hi = kNoLevel;
  int n = 0;
  for (std::size_t i = 0; i < ring_len_; ++i) {
    const double v = ring_[i];
    if (v == kNoLevel) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++n;
  }
  return n >= 2 ? hi - lo : 0.0;
}

TalkerUpdate TalkerDetector::process(std::span<const std::int16_t> frame) noexcept {
  TalkerUpdate u;
  if (frame.size() != config_.frame_samples) {
    u.talking = talking_;
    u.level_dbfs = level_dbfs();
    u.noise_floor_dbfs = noise_floor_dbfs();
    return u;
  }

  // One pass, four samples at a time, in float vectors:
  // - the DC blocker y[n] = d[n] + R y[n-1], d[n] = x[n] - x[n-1], as
  //   [y0..y3] = [R, R^2, R^3, R^4] y[-1] + L [d0..d3] with L lower
  //   triangular in powers of R, so the recursion advances four samples per
  //   step instead of one (the frame is a multiple of 4 samples: 10 ms at
  //   8 kHz is 80);
  // - the emphasised difference x[n] - x[n - L];
  // - the raw peak.
  typedef float V4 __attribute__((vector_size(16)));
  typedef std::int32_t I4 __attribute__((vector_size(16)));
  typedef std::int16_t S4 __attribute__((vector_size(8)));
  const std::size_t n = frame.size();
  const auto lag = static_cast<std::ptrdiff_t>(emph_lag_);
  const std::int16_t* const x16 = frame.data();
  // Four samples from k on (k may reach back into the previous frame's tail).
  auto four = [&](std::ptrdiff_t k) {
    S4 s4;
    if (k >= 0) {
      std::memcpy(&s4, x16 + k, sizeof s4);
    } else {
      for (std::ptrdiff_t j = 0; j < 4; ++j)
        s4[j] = k + j >= 0 ? x16[k + j] : emph_hist_[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(kHistory) + k + j)];
    }
    return __builtin_convertvector(__builtin_convertvector(s4, I4), V4);
  };
  auto load = [](const float* p) {
    V4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  const V4 pw = load(dc_pow_.data());
  const V4 c0 = load(dc_col_[0].data()), c1 = load(dc_col_[1].data()), c2 = load(dc_col_[2].data()),
           c3 = load(dc_col_[3].data());
  V4 acc = {}, acc_e = {}, peak = {};
  float y_last = static_cast<float>(dc_y1_);
  for (std::size_t i = 0; i < n; i += 4) {
    const auto k = static_cast<std::ptrdiff_t>(i);
    const V4 x = four(k);
    const V4 d = x - four(k - 1);
    const V4 e = x - four(k - lag);
    acc_e += e * e;
    const V4 ax = x < 0 ? -x : x;
    peak = ax > peak ? ax : peak;
    const V4 y = pw * y_last + c0 * d[0] + c1 * d[1] + c2 * d[2] + c3 * d[3];
    acc += y * y;
    y_last = y[3];
  }
  for (std::size_t i = 0; i < kHistory; ++i) emph_hist_[i] = frame[n - kHistory + i];
  const int raw_peak = static_cast<int>(std::max(std::max(peak[0], peak[1]), std::max(peak[2], peak[3])));
  const double sum = static_cast<double>(acc[0]) + acc[1] + acc[2] + acc[3];
  const double diff_sum = static_cast<double>(acc_e[0]) + acc_e[1] + acc_e[2] + acc_e[3];
  double y1 = y_last;
  const double x1 = frame[n - 1];
  if (std::abs(y1) < 1e-9) y1 = 0.0;  // keep denormals out of the recursion
  dc_x1_ = x1;
  dc_y1_ = y1;
  const double power = sum / static_cast<double>(frame.size()) / (32768.0 * 32768.0);
  // Digital silence is judged on the raw samples: the DC blocker's decay
  // after a dropout would otherwise read as a -65..-85 dBFS "noise" frame.
  const bool digital_silence = raw_peak <= kDigitalSilencePeak;
  const double level = digital_silence ? std::min(kDigitalSilenceDbfs, power_to_db(power)) : power_to_db(power);

  const bool loud_enough = level >= config_.min_speech_level_dbfs;
  const bool speech = floor_known_ && loud_enough && level >= floor_db_ + config_.active_margin_db;
  const bool clear = floor_known_ && loud_enough && level >= floor_db_ + config_.start_margin_db;
  u.noise_floor_dbfs = floor_known_ ? static_cast<float>(floor_db_) : static_cast<float>(kSilenceDb);

  const double emphasised = power_to_db(0.5 * diff_sum / static_cast<double>(frame.size()) / (32768.0 * 32768.0));
  u.emphasised_snr_db = emphasised_.known ? static_cast<float>(emphasised - emphasised_.floor_db) : 0.f;
  if (digital_silence) {
    if (++digital_silence_run_ >= silence_frames_for_floor_) {
      observe_floor(kDigitalSilenceDbfs);
      emphasised_.observe(kDigitalSilenceDbfs, sub_window_frames_);
    }
  } else {
    digital_silence_run_ = 0;
    observe_floor(level);
    emphasised_.observe(emphasised, sub_window_frames_);
  }

  ring_[ring_pos_] = loud_enough ? level : kNoLevel;
  ring_pos_ = (ring_pos_ + 1) % ring_len_;

  if (!talking_) {
    speech_run_ = speech ? speech_run_ + 1 : 0;
    if (clear || speech_run_ >= start_frames_) {
      talking_ = true;
      u.started = true;
      quiet_run_ = 0;
      level_power_ = power;
    }
  } else {
    quiet_run_ = speech ? 0 : quiet_run_ + 1;
    level_power_ += level_alpha_ * (power - level_power_);
    if (quiet_run_ >= hangover_frames_) {
      talking_ = false;
      u.stopped = true;
      speech_run_ = 0;
    }
  }

  u.talking = talking_;
  u.level_dbfs = level_dbfs();
  u.speech_frame = speech;
  u.modulated = modulation_db() >= kSpeechModulationDb;
  u.frame_level_dbfs = static_cast<float>(level);
  return u;
}

TalkerUpdate TalkerDetector::force_stop() noexcept {
  TalkerUpdate u;
  u.stopped = talking_;
  talking_ = false;
  speech_run_ = 0;
  quiet_run_ = 0;
  u.talking = false;
  u.level_dbfs = static_cast<float>(kSilenceDb);
  u.noise_floor_dbfs = noise_floor_dbfs();
  return u;
}

}  // namespace libconf::dsp
