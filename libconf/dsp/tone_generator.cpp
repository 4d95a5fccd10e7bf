#include "libconf/dsp/tone_generator.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"

namespace libconf::dsp {
namespace {

std::int16_t saturate(double v) noexcept {
  return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

void check_rate(int rate) {
  if (!audio::is_supported_sample_rate(rate))
    throw Error(errc::unsupported_sample_rate,
                "ToneGenerator: sample_rate_hz " + std::to_string(rate) +
                    " is not one of 8000, 16000, 24000, 32000, 48000");
}

ToneSpec make(double f1, double f2, double level_dbm0, std::array<int, 6> cadence, double modulation_hz = 0.0) {
  ToneSpec s;
  s.frequencies_hz = {f1, f2};
  s.level_dbm0 = level_dbm0;
  s.cadence_ms = cadence;
  s.modulation_hz = modulation_hz;
  return s;
}

}  // namespace

// Frequencies and cadences from ITU-T E.180 Supplement 2 ("Various tones used
// in national networks") and the operators' own specifications named in
// ToneRegion. Levels: the North American precise tone plan's -13 (dial),
// -19 (ringback) and -24 dBm0 (busy, reorder) per component; the 425 Hz and
// 400 Hz single tones at -10 dBm0 (ETSI ES 201 970 allows -14..-8 dBm0).
ToneSpec tone_spec(ToneRegion region, CallProgressTone tone) noexcept {
  using T = CallProgressTone;
  switch (region) {
    case ToneRegion::kEurope:
      switch (tone) {
        case T::kDial: return make(425, 0, -10, {});
        case T::kRingback: return make(425, 0, -10, {1000, 4000});
        case T::kBusy: return make(425, 0, -10, {500, 500});
        case T::kCongestion: return make(425, 0, -10, {250, 250});
      }
      break;
    case ToneRegion::kNorthAmerica:
      switch (tone) {
        case T::kDial: return make(350, 440, -13, {});
        case T::kRingback: return make(440, 480, -19, {2000, 4000});
        case T::kBusy: return make(480, 620, -24, {500, 500});
        case T::kCongestion: return make(480, 620, -24, {250, 250});
      }
      break;
    case ToneRegion::kUnitedKingdom:
      switch (tone) {
        case T::kDial: return make(350, 440, -13, {});
        case T::kRingback: return make(400, 450, -16, {400, 200, 400, 2000});
        case T::kBusy: return make(400, 0, -10, {375, 375});
        case T::kCongestion: return make(400, 0, -10, {400, 350, 225, 525});
      }
      break;
    case ToneRegion::kGermany:
      switch (tone) {
        case T::kDial: return make(425, 0, -10, {});
        case T::kRingback: return make(425, 0, -10, {1000, 4000});
        case T::kBusy: return make(425, 0, -10, {480, 480});
        case T::kCongestion: return make(425, 0, -10, {240, 240});
      }
      break;
    case ToneRegion::kSwitzerland:
      switch (tone) {
        case T::kDial: return make(425, 0, -10, {});
        case T::kRingback: return make(425, 0, -10, {1000, 4000});
        case T::kBusy: return make(425, 0, -10, {500, 500});
        case T::kCongestion: return make(425, 0, -10, {200, 200});
      }
      break;
    case ToneRegion::kJapan:
      switch (tone) {
        case T::kDial: return make(400, 0, -10, {});
        case T::kRingback: return make(400, 0, -10, {1000, 2000}, 16.0);
        case T::kBusy: return make(400, 0, -10, {500, 500});
        case T::kCongestion: return make(400, 0, -10, {500, 500});
      }
      break;
  }
  return make(425, 0, -10, {});
}

Result<ToneRegion> tone_region_from_name(std::string_view name) noexcept {
  if (name == "europe") return ToneRegion::kEurope;
  if (name == "north_america") return ToneRegion::kNorthAmerica;
  if (name == "uk") return ToneRegion::kUnitedKingdom;
  if (name == "germany") return ToneRegion::kGermany;
  if (name == "switzerland") return ToneRegion::kSwitzerland;
  if (name == "japan") return ToneRegion::kJapan;
  return errc::not_found;
}

ToneGenerator::ToneGenerator(int sample_rate_hz) : rate_(sample_rate_hz) { check_rate(rate_); }

ToneGenerator::ToneGenerator(int sample_rate_hz, const ToneSpec& spec) : rate_(sample_rate_hz) {
  check_rate(rate_);
  if (!set_tone(spec))
    throw Error(errc::invalid_argument,
                "ToneGenerator: ToneSpec with frequencies " + std::to_string(spec.frequencies_hz[0]) + "/" +
                    std::to_string(spec.frequencies_hz[1]) + " Hz, level " + std::to_string(spec.level_dbm0) +
                    " dBm0 is invalid at " + std::to_string(rate_) + " Hz");
}

Result<void> ToneGenerator::set_tone(const ToneSpec& spec) noexcept {
  for (double f : spec.frequencies_hz)
    if (!(f >= 0.0 && f < rate_ / 2.0)) return errc::invalid_argument;
  if (!(spec.modulation_hz >= 0.0 && spec.modulation_hz < rate_ / 2.0)) return errc::invalid_argument;
  if (!(spec.level_dbm0 <= 3.0)) return errc::invalid_argument;
  for (int c : spec.cadence_ms)
    if (c < 0 || c > 600000) return errc::invalid_argument;
  const double amplitude =
      32768.0 * std::sqrt(2.0) * std::pow(10.0, (spec.level_dbm0 + audio::kDbm0InDbfs) / 20.0);
  for (std::size_t i = 0; i < tones_.size(); ++i)
    tones_[i].set(spec.frequencies_hz[i], rate_, spec.frequencies_hz[i] > 0.0 ? amplitude : 0.0);
  modulated_ = spec.modulation_hz > 0.0;
  modulator_.set(spec.modulation_hz, rate_, kModulationDepth);
  segments_ = 0;
  for (int c : spec.cadence_ms) {
    if (c == 0) break;
    cadence_samples_[segments_++] = static_cast<std::uint32_t>(static_cast<std::int64_t>(c) * rate_ / 1000);
  }
  segment_ = 0;
  segment_left_ = segments_ > 0 ? cadence_samples_[0] : 0;
  playing_ = true;
  return {};
}

void ToneGenerator::generate(std::span<std::int16_t> out) noexcept {
  for (auto& s : out) {
    if (!playing_) {
      s = 0;
      continue;
    }
    if (segments_ > 0 && segment_left_ == 0) {
      segment_ = (segment_ + 1) % segments_;
      segment_left_ = cadence_samples_[segment_];
      if (segment_ % 2 == 0) {
        for (auto& t : tones_) t.restart();
        modulator_.restart();
      }
    }
    const bool on = segments_ == 0 || segment_ % 2 == 0;
    if (segments_ > 0) --segment_left_;
    if (!on) {
      s = 0;
      continue;
    }
    double v = tones_[0].next() + tones_[1].next();
    // Envelope 1 + depth*sin, scaled so its peak is the nominal amplitude.
    if (modulated_) v *= (1.0 + modulator_.next()) / (1.0 + kModulationDepth);
    s = saturate(v);
  }
}

}  // namespace libconf::dsp
