#include "libconf/dsp/dtmf_detector.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <numbers>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// Half-block length at 8 kHz. 51 samples (6.375 ms) make a 102-sample window,
/// the classic DTMF block whose bins are about 78 Hz apart, so neighbouring
/// Q.23 frequencies (73..157 Hz apart) fall near each other's nulls; the
/// phase-advance frequency estimate over 51 samples is unambiguous for
/// deviations below 8000 / (2 * 51) = 78 Hz, above the 3.5 % (57 Hz) of 1633 Hz.
constexpr std::size_t kHopAt8k = 51;
/// The best tone of each group must exceed the runner-up by 8 dB: a tone 1.5 %
/// off leaks at most -12.2 dB into the neighbouring bin (697+1.5 % into 770),
/// speech harmonics usually light several bins together.
constexpr double kDominance = 6.3095734448;  // 8 dB as a power ratio
/// A window counts as a hit only if each half holds at least a quarter of the
/// other half's tone power (6 dB): the tone covers at least half of each half,
/// which is what makes the hit count measure duration (see the file comment
/// of the header).
constexpr double kBalance = 0.25;

double db_to_power(double db) { return std::pow(10.0, db / 10.0); }

void check(bool ok, errc code, const std::string& what) {
  if (!ok) throw Error(code, "DtmfDetectorConfig: " + what);
}

}  // namespace

DtmfDetector::DtmfDetector(const DtmfDetectorConfig& config) : rate_(config.sample_rate_hz) {
  check(audio::is_supported_sample_rate(rate_), errc::unsupported_sample_rate,
        "sample_rate_hz " + std::to_string(rate_) + " is not one of 8000, 16000, 24000, 32000, 48000");
  check(config.min_tone_dbm0 >= -60.0 && config.min_tone_dbm0 <= 0.0, errc::invalid_argument,
        "min_tone_dbm0 " + std::to_string(config.min_tone_dbm0) + " is outside -60..0");
  check(config.max_normal_twist_db >= 0.0 && config.max_normal_twist_db <= 20.0, errc::invalid_argument,
        "max_normal_twist_db " + std::to_string(config.max_normal_twist_db) + " is outside 0..20");
  check(config.max_reverse_twist_db >= 0.0 && config.max_reverse_twist_db <= 20.0, errc::invalid_argument,
        "max_reverse_twist_db " + std::to_string(config.max_reverse_twist_db) + " is outside 0..20");
  check(config.max_frequency_deviation_percent >= 0.5 && config.max_frequency_deviation_percent <= 3.5,
        errc::invalid_argument,
        "max_frequency_deviation_percent " + std::to_string(config.max_frequency_deviation_percent) +
            " is outside 0.5..3.5");
  check(config.max_second_harmonic_db >= -40.0 && config.max_second_harmonic_db <= 0.0, errc::invalid_argument,
        "max_second_harmonic_db " + std::to_string(config.max_second_harmonic_db) + " is outside -40..0");
  check(config.max_comb_db >= -40.0 && config.max_comb_db <= 0.0, errc::invalid_argument,
        "max_comb_db " + std::to_string(config.max_comb_db) + " is outside -40..0");
  check(config.min_tone_energy_share >= 0.1 && config.min_tone_energy_share <= 1.0, errc::invalid_argument,
        "min_tone_energy_share " + std::to_string(config.min_tone_energy_share) + " is outside 0.1..1");

  hop_ = kHopAt8k * static_cast<std::size_t>(rate_ / 8000);
  const double h = static_cast<double>(hop_);
  for (int k = 0; k < kFilters; ++k) {
    const double f = k < 4 ? kDtmfLowHz[k] : kDtmfHighHz[k - 4];
    const double w = kTwoPi * f / rate_;
    coeff_[k] = static_cast<float>(2.0 * std::cos(w));
    cos_w_[k] = static_cast<float>(std::cos(w));
    sin_w_[k] = static_cast<float>(std::sin(w));
    const double chain = static_cast<double>((hop_ + kChains - 1) / kChains);
    for (int c = 0; c < kChains; ++c) {
      rot_re_[c][k] = static_cast<float>(std::cos(w * ((c + 1) * chain - 1.0)));
      rot_im_[c][k] = static_cast<float>(-std::sin(w * ((c + 1) * chain - 1.0)));
    }
    omega_[k] = w;
    hop_re_[k] = std::cos(w * h);
    hop_im_[k] = -std::sin(w * h);
    hop_phase_[k] = std::remainder(w * h, kTwoPi);
    hop_phase_rad_[k] = w * h;
    max_dev_rad_[k] = kTwoPi * f * config.max_frequency_deviation_percent / 100.0 * h / rate_;
  }
  for (int l = 0; l < 4; ++l)
    for (int k = 0; k < 4; ++k) {
      const double d = kTwoPi * (kDtmfHighHz[k] - kDtmfLowHz[l]) / rate_;
      double re = 0.0, im = 0.0;
      for (std::size_t m = 0; m < hop_; ++m) {
        re += std::cos(d * static_cast<double>(m));
        im += std::sin(d * static_cast<double>(m));
      }
      leak_re_[l][k] = re / h;
      leak_im_[l][k] = im / h;
    }
  // A sine of rms r (full scale = 1) gives |Z| = r * sqrt(2) * W / 2 over a
  // W-sample window, so |Z|^2 = r^2 * W^2 / 2.
  const double w_len = 2.0 * h;
  const double r2 = db_to_power(config.min_tone_dbm0 + audio::kDbm0InDbfs);
  min_tone_power_ = r2 * w_len * w_len / 2.0;
  quiet_energy_ = r2 * h * 0.01;  // a half-block's energy at 20 dB under one weakest tone
  normal_twist_ = db_to_power(config.max_normal_twist_db);
  reverse_twist_ = db_to_power(config.max_reverse_twist_db);
  share_ = config.min_tone_energy_share;
  max_harmonic_db_ = config.max_second_harmonic_db;
  max_comb_db_ = config.max_comb_db;
  reset();
}

void DtmfDetector::reset() noexcept {
  fill_ = 0;
  have_prev_ = false;
  blocks_.fill(0.0f);
  cur_block_ = 0;
  prev_energy_ = cur_energy_ = 0.0;
  position_ = 0;
  window_ = DtmfWindow{-1, -1, 0, false};
  run_digit_ = 0;
  run_hits_ = 0;
  run_voiced_ = 0;
  run_begin_ = 0;
  active_ = 0;
  misses_ = 0;
  active_begin_ = active_end_ = 0;
  q_head_ = q_size_ = 0;
  dropped_ = 0;
}

std::size_t DtmfDetector::process(std::span<const std::int16_t> samples,
                                  std::span<DtmfDigitEvent> out) noexcept {
  std::size_t i = 0;
  while (i < samples.size()) {
    const std::size_t n = std::min(samples.size() - i, hop_ - fill_);
    constexpr float kScale = 1.0f / 32768.0f;
    float* const dst = blocks_.data() + cur_block_ * kBlockStride + fill_;
    for (std::size_t j = 0; j < n; ++j) dst[j] = static_cast<float>(samples[i + j]) * kScale;
    fill_ += n;
    i += n;
    position_ += static_cast<std::int64_t>(n);
    if (fill_ == hop_) finish_half_block();
  }
  std::size_t written = 0;
  while (q_size_ > 0 && written < out.size()) {
    out[written++] = queue_[q_head_];
    q_head_ = (q_head_ + 1) % kQueue;
    --q_size_;
  }
  return written;
}

void DtmfDetector::finish_half_block() noexcept {
  prev_re_ = cur_re_;
  prev_im_ = cur_im_;
  prev_energy_ = cur_energy_;
  // The hot loop: eight Goertzel resonators (two 4-lane vectors) on each of
  // two chains, the chains interleaved so their dependency chains overlap.
  typedef float V4 __attribute__((vector_size(16)));
  const std::size_t len = (hop_ + kChains - 1) / kChains;
  float* const block = blocks_.data() + cur_block_ * kBlockStride;
  for (std::size_t j = hop_; j < kChains * len; ++j) block[j] = 0.0f;  // pad to whole chains
  auto load = [](const float* p) {
    V4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  // A half-block too quiet to hold any part of a pair (its mean power 20 dB
  // under the weakest tone) skips the filters: its spectrum is taken as zero,
  // which moves no window's verdict (its filter outputs would be at least
  // 20 dB under every threshold). A silent or quiet leg costs only this sum.
  {
    V4 acc[2] = {};
    for (std::size_t j = 0; j + 8 <= kChains * len; j += 8) {
      const V4 a = load(block + j), b = load(block + j + 4);
      acc[0] += a * a;
      acc[1] += b * b;
    }
    const V4 t = acc[0] + acc[1];
    const double energy = static_cast<double>(t[0]) + t[1] + t[2] + t[3];
    double tail = 0.0;
    for (std::size_t j = (kChains * len) / 8 * 8; j < kChains * len; ++j) tail += static_cast<double>(block[j]) * block[j];
    if (energy + tail < quiet_energy_) {
      cur_re_.fill(0.0);
      cur_im_.fill(0.0);
      cur_energy_ = energy + tail;
      decide();
      return;
    }
  }
  const V4 c_lo = load(coeff_.data()), c_hi = load(coeff_.data() + 4);
  V4 a_lo[kChains] = {}, a_hi[kChains] = {}, b_lo[kChains] = {}, b_hi[kChains] = {};
  float e[kChains] = {};
  for (std::size_t j = 0; j < len; ++j) {
    for (int c = 0; c < kChains; ++c) {
      const float x = block[c * len + j];
      e[c] += x * x;
      const V4 xv = {x, x, x, x};
      const V4 lo = xv - b_lo[c] + c_lo * a_lo[c];
      const V4 hi = xv - b_hi[c] + c_hi * a_hi[c];
      b_lo[c] = a_lo[c];
      b_hi[c] = a_hi[c];
      a_lo[c] = lo;
      a_hi[c] = hi;
    }
  }
  // Goertzel output y = s1 - e^{-jw} s2 equals sum x(m) e^{jw(L-1-m)} over
  // the chain; turning it by e^{-jw((c+1)L-1)} gives sum x(m) e^{-jwm} with m
  // counted from the half-block's first sample.
  V4 re[2] = {}, im[2] = {};
  for (int half = 0; half < 2; ++half) {
    const V4 cw = load(cos_w_.data() + 4 * half), sw = load(sin_w_.data() + 4 * half);
    for (int c = 0; c < kChains; ++c) {
      const V4 s1 = half ? a_hi[c] : a_lo[c];
      const V4 s2 = half ? b_hi[c] : b_lo[c];
      const V4 yr = s1 - cw * s2, yi = sw * s2;
      const V4 rr = load(rot_re_[c].data() + 4 * half), ri = load(rot_im_[c].data() + 4 * half);
      re[half] += rr * yr - ri * yi;
      im[half] += rr * yi + ri * yr;
    }
  }
  for (int k = 0; k < kFilters; ++k) {
    cur_re_[k] = re[k / 4][k % 4];
    cur_im_[k] = im[k / 4][k % 4];
  }
  cur_energy_ = 0.0;
  for (int c = 0; c < kChains; ++c) cur_energy_ += static_cast<double>(e[c]);
  decide();
}

void DtmfDetector::decide() noexcept {
  fill_ = 0;
  if (have_prev_) {
    bool balanced = false;
    const char digit = judge(balanced, window_);
    window_.begin_sample = position_ - static_cast<std::int64_t>(2 * hop_);
    window_.end_sample = position_;
    window_.candidate = digit;
    window_.hit = digit != 0 && balanced;
    debounce(window_.hit ? digit : 0, window_.hit && window_.comb_db > max_comb_db_);
  }
  have_prev_ = true;
  cur_block_ = (cur_block_ + 1) % kHarmonicBlocks;
}

char DtmfDetector::judge(bool& balanced, DtmfWindow& window) const noexcept {
  DtmfVerdict& verdict = window.verdict;
  // Window spectrum: previous half plus the current half turned by e^{-jwH}.
  std::array<double, kFilters> power{};
  for (int k = 0; k < kFilters; ++k) {
    const double re = prev_re_[k] + hop_re_[k] * cur_re_[k] - hop_im_[k] * cur_im_[k];
    const double im = prev_im_[k] + hop_re_[k] * cur_im_[k] + hop_im_[k] * cur_re_[k];
    power[k] = re * re + im * im;
  }
  auto best_of = [&](int first, double& runner_up) {
    int best = first;
    for (int k = first + 1; k < first + 4; ++k)
      if (power[k] > power[best]) best = k;
    runner_up = 0.0;
    for (int k = first; k < first + 4; ++k)
      if (k != best) runner_up = std::max(runner_up, power[k]);
    return best;
  };
  double low_second = 0.0, high_second = 0.0;
  const int low = best_of(0, low_second);
  const int high = best_of(4, high_second);
  // Cheap rejections on the raw powers first (most windows of speech and
  // silence end here). The leakage correction below moves a tone's power by
  // well under 1 dB, so these use 3 dB of slack and the exact tests follow.
  verdict = DtmfVerdict::kTooWeak;
  if (power[low] < 0.5 * min_tone_power_ || power[high] < 0.5 * min_tone_power_) return 0;
  // The raw runner-up of a group also holds the pair's own leakage (up to
  // -6.5 dB relative to the weaker tone at 10 dB twist), which the exact
  // test below removes: here 6 dB of slack.
  verdict = DtmfVerdict::kNotDominant;
  if (4.0 * power[low] < kDominance * low_second || 4.0 * power[high] < kDominance * high_second) return 0;
  verdict = DtmfVerdict::kSpread;
  if (4.0 * (power[low] + power[high]) / (2.0 * static_cast<double>(hop_)) < share_ * (prev_energy_ + cur_energy_))
    return 0;
  // Over a 51-sample half-block the two tones leak into each other's bins
  // (about -14 dB, 1.6 bins apart), which would bend the phase-advance
  // frequency estimate by up to 10 Hz. Undo it: with leakage K of the high
  // tone into the low bin (and conj(K) back), the measured pair is
  // Zl = Tl + K Th, Zh = Th + conj(K) Tl; solve for the tones' own values T.
  const double kr = leak_re_[low][high - 4], ki = leak_im_[low][high - 4];
  const double det = 1.0 - (kr * kr + ki * ki);
  struct C {
    double re, im;
  };
  auto untangle = [&](const std::array<double, kFilters>& zr, const std::array<double, kFilters>& zi, C& tl, C& th) {
    tl = {(zr[low] - (kr * zr[high] - ki * zi[high])) / det, (zi[low] - (kr * zi[high] + ki * zr[high])) / det};
    th = {(zr[high] - (kr * zr[low] + ki * zi[low])) / det, (zi[high] - (kr * zi[low] - ki * zr[low])) / det};
  };
  C pl_prev{}, ph_prev{}, pl_cur{}, ph_cur{};
  untangle(prev_re_, prev_im_, pl_prev, ph_prev);
  untangle(cur_re_, cur_im_, pl_cur, ph_cur);
  auto window_power = [&](const C& a, const C& b, int k) {
    const double re = a.re + hop_re_[k] * b.re - hop_im_[k] * b.im;
    const double im = a.im + hop_re_[k] * b.im + hop_im_[k] * b.re;
    return re * re + im * im;
  };
  const double pl = window_power(pl_prev, pl_cur, low), ph = window_power(ph_prev, ph_cur, high);
  verdict = DtmfVerdict::kTooWeak;
  if (pl < min_tone_power_ || ph < min_tone_power_) return 0;
  verdict = DtmfVerdict::kTwist;
  if (ph > pl * reverse_twist_ || pl > ph * normal_twist_) return 0;
  verdict = DtmfVerdict::kSpread;
  // Share of energy: a sine's |Z|^2 = r^2 W^2 / 2 and its energy is r^2 W.
  const double window_len = 2.0 * static_cast<double>(hop_);
  if (2.0 * (pl + ph) / window_len < share_ * (prev_energy_ + cur_energy_)) return 0;
  verdict = DtmfVerdict::kOffFrequency;
  // Frequency: the phase advance of each tone from one half to the next is
  // w'H; its difference from the nominal wH is (w' - w) H.
  auto deviation_rad = [&](const C& a, const C& b, int k) {
    const double cr = b.re * a.re + b.im * a.im;
    const double ci = b.im * a.re - b.re * a.im;
    return std::remainder(std::atan2(ci, cr) - hop_phase_[k], kTwoPi);
  };
  const double dl = deviation_rad(pl_prev, pl_cur, low), dh = deviation_rad(ph_prev, ph_cur, high);
  // Relative error: the phase error per hop over the nominal advance w H.
  window.low_deviation = dl / (hop_phase_rad_[low]);
  window.high_deviation = dh / (hop_phase_rad_[high]);
  if (std::abs(dl) > max_dev_rad_[low] || std::abs(dh) > max_dev_rad_[high]) return 0;
  // Dominance: when the raw runner-ups already stand 8 dB under the
  // (untangled) tones, the pair's leakage cannot matter; otherwise the
  // exact test, with the pair's leakage removed, decides. Either way the
  // fit of the pair is made only when a later test needs it.
  verdict = DtmfVerdict::kNotDominant;
  PairFit fit;
  bool fitted = false;
  if (pl < kDominance * low_second || ph < kDominance * high_second) {
    if (!dominant(low, high, dl, dh, pl, ph, fit)) return 0;
    fitted = true;
  }
  const char digit = kDtmfKeypad[low][high - 4];
  auto p2 = [](const C& c) { return c.re * c.re + c.im * c.im; };
  balanced = !(p2(pl_prev) < kBalance * p2(pl_cur) || p2(pl_cur) < kBalance * p2(pl_prev) ||
               p2(ph_prev) < kBalance * p2(ph_cur) || p2(ph_cur) < kBalance * p2(ph_prev));
  // The second-harmonic test guards the start of a digit: it runs only for
  // windows that would count as a hit towards a digit not yet confirmed
  // (a few per digit), so its cost does not show per frame. A window that
  // fails it still names its candidate (DtmfGuard mutes it) but is no hit.
  window.high_harmonic_db = -200.0;
  window.comb_db = -200.0;
  if (balanced && digit != active_) {
    window.high_harmonic_db = second_harmonic_db(high, ph, window.high_deviation);
    // The comb is judged from a run's second window on: a digit's first
    // window may straddle its onset (see debounce()), and this halves the
    // cost per digit.
    if (run_digit_ == digit && run_hits_ >= 1) {
      if (!fitted) fitted = fit_pair(low, high, dl, dh, fit);
      window.comb_db = fitted ? comb_db(fit, pl + ph) : -200.0;
    }
    if (window.high_harmonic_db > max_harmonic_db_) {
      verdict = DtmfVerdict::kHarmonic;
      balanced = false;
      return digit;
    }
  }
  verdict = DtmfVerdict::kPair;
  return digit;
}

namespace {
using Cx = std::complex<double>;
/// D(d) = sum_{m<n} e^{jdm}: what a complex tone d rad/sample off a bin puts
/// into that bin over n samples, relative to its own amplitude.
Cx dirichlet(double d, double n) {
  const double s = std::sin(d / 2.0);
  const double mag = std::abs(s) < 1e-12 ? n : std::sin(n * d / 2.0) / s;
  return std::polar(mag, d * (n - 1.0) / 2.0);
}
}  // namespace

bool DtmfDetector::dominant(int low, int high, double low_dev_rad, double high_dev_rad, double low_power,
                            double high_power, PairFit& fit) const noexcept {
  // Each tone must stand kDominance above every other frequency of its group
  // once the pair's own leakage is taken out. Over a half-block of H samples
  // a tone a e^{jwm} shows at bin k as a D(w - w_k), D(d) = sum_{m<H} e^{jdm};
  // a strong low tone leaks up to -16 dB into the high group's bins, and with
  // the weak tone's own leakage into its neighbour (-14 dB over the window)
  // it can come within 8 dB of a weak tone at 7-10 dB normal twist,
  // depending on the phases. So: fit both tones at their measured
  // frequencies to their two bins (a 2 x 2 complex system per half-block),
  // predict what they put into the other six bins, and judge the residual.
  if (!fit_pair(low, high, low_dev_rad, high_dev_rad, fit)) return false;
  const double h = static_cast<double>(hop_);
  std::array<Cx, kFilters> kl{}, kh{};
  for (int k = 0; k < kFilters; ++k) {
    if (k == low || k == high) continue;
    kl[k] = dirichlet(fit.w_low - omega_[k], h);
    kh[k] = dirichlet(fit.w_high - omega_[k], h);
  }
  for (int k = 0; k < kFilters; ++k) {
    if (k == low || k == high) continue;
    const Cx r_prev = Cx{prev_re_[k], prev_im_[k]} - fit.low[0] * kl[k] - fit.high[0] * kh[k];
    const Cx r_cur = Cx{cur_re_[k], cur_im_[k]} - fit.low[1] * kl[k] - fit.high[1] * kh[k];
    const double residual = std::norm(r_prev + Cx{hop_re_[k], hop_im_[k]} * r_cur);
    if (residual * kDominance > (k < 4 ? low_power : high_power)) return false;
  }
  return true;
}

bool DtmfDetector::fit_pair(int low, int high, double low_dev_rad, double high_dev_rad, PairFit& fit) const noexcept {
  // Both tones at their measured frequencies, fitted to their own two bins:
  // Z_low = a_l D(w_l' - w_l) + a_h D(w_h' - w_l), and the same for Z_high.
  const double h = static_cast<double>(hop_);
  fit.w_low = omega_[low] + low_dev_rad / h;
  fit.w_high = omega_[high] + high_dev_rad / h;
  const Cx ll = dirichlet(fit.w_low - omega_[low], h), lh = dirichlet(fit.w_low - omega_[high], h);
  const Cx hl = dirichlet(fit.w_high - omega_[low], h), hh = dirichlet(fit.w_high - omega_[high], h);
  const Cx det = ll * hh - hl * lh;
  if (std::norm(det) < 1e-12) return false;
  const Cx inv = 1.0 / det;
  for (int half = 0; half < 2; ++half) {
    const auto& zr = half ? cur_re_ : prev_re_;
    const auto& zi = half ? cur_im_ : prev_im_;
    const Cx zl{zr[low], zi[low]}, zh{zr[high], zi[high]};
    fit.low[half] = (zl * hh - hl * zh) * inv;
    fit.high[half] = (ll * zh - lh * zl) * inv;
  }
  return true;
}

Cx DtmfDetector::window_dft(double w) const noexcept {
  // sum_{m<2H} x(m) e^{-jwm} over the window, as four Goertzel chains side
  // by side: each half-block's two halves of len samples, the layout of the
  // hot loop (chain s starts at o_s = 0, len, H, H + len).
  typedef float V4 __attribute__((vector_size(16)));
  const std::size_t len = (hop_ + 1) / 2;
  const float* old_block = blocks_.data() + ((cur_block_ + 1) % kHarmonicBlocks) * kBlockStride;
  const float* new_block = blocks_.data() + cur_block_ * kBlockStride;
  const float c = static_cast<float>(2.0 * std::cos(w));
  V4 a = {}, b = {};
  for (std::size_t j = 0; j < len; ++j) {
    const V4 x = {old_block[j], old_block[len + j], new_block[j], new_block[len + j]};
    const V4 s0 = x - b + c * a;
    b = a;
    a = s0;
  }
  // y_s = s1 - e^{-jw} s2 = e^{jw(len-1)} sum_m x_s(m) e^{-jwm}.
  const Cx e_minus{std::cos(w), -std::sin(w)};
  Cx z{};
  const double offsets[4] = {0.0, static_cast<double>(len), static_cast<double>(hop_),
                             static_cast<double>(hop_ + len)};
  for (int s = 0; s < 4; ++s) z += (Cx{a[s], 0.0} - e_minus * static_cast<double>(b[s])) * std::polar(1.0, -w * offsets[s]);
  return z * std::polar(1.0, -w * static_cast<double>(len - 1));
}

double DtmfDetector::comb_db(const PairFit& fit, double pair_power) const noexcept {
  // Voiced speech (and many instruments) is a comb of harmonics of one f0;
  // two of its harmonics can pass as a DTMF pair (e.g. the 5th and 8th of a
  // 167 Hz vowel as 852 + 1336 Hz), and then the other teeth of the comb
  // are there too, while a DTMF pair has nothing at the multiples of any
  // common sub-harmonic. For every f0 = f_low / q in the voice and
  // instrument range whose multiple p f0 matches f_high, the mean power at
  // the other harmonics from 250 Hz to 3.4 kHz (the pair's own leakage
  // removed) is compared with the pair's power. The worst f0 counts.
  const double h = static_cast<double>(hop_);
  const double fl = fit.w_low * rate_ / kTwoPi, fh = fit.w_high * rate_ / kTwoPi;
  // The two f0s that fit the pair best (a voiced pair fits its f0 to the
  // precision of the frequency estimate; a multiple of that f0 fits equally
  // well and comes second, its teeth between the real ones).
  struct Candidate {
    int q = 0, p = 0;
    double error = 1.0;
  } best[2];
  for (int q = 2;; ++q) {
    const double f0 = fl / q;
    if (f0 < kCombMinF0Hz) break;
    if (f0 > kCombMaxF0Hz) continue;
    const int p = static_cast<int>(std::lround(fh / f0));
    const double error = std::abs(p * f0 - fh) / fh;
    if (error > kCombRatioTolerance) continue;
    if (error < best[0].error) {
      best[1] = best[0];
      best[0] = {q, p, error};
    } else if (error < best[1].error) {
      best[1] = {q, p, error};
    }
  }
  double worst = -200.0;
  for (const Candidate& c : best) {
    if (c.q == 0) continue;
    const int q = c.q, p = c.p;
    const double f0 = fl / q;
    double loudest = 0.0;
    for (int n = std::max(1, q - kCombReach); n <= p + kCombReach; ++n) {
      const double f = n * f0;
      if (n == p || n == q || f < kCombBottomHz || f > kCombTopHz) continue;
      if (std::abs(f - fl) < kCombGuardHz || std::abs(f - fh) < kCombGuardHz) continue;
      const double w = kTwoPi * f / rate_;
      // The window's DFT at w minus what the fitted pair puts there (its
      // images at -w are 26 dB or more under the threshold and are left).
      const Cx dl = dirichlet(fit.w_low - w, h), dh = dirichlet(fit.w_high - w, h);
      const Cx turn = std::polar(1.0, -w * h);
      const Cx x = window_dft(w) - (fit.low[0] * dl + fit.high[0] * dh) - (fit.low[1] * dl + fit.high[1] * dh) * turn;
      loudest = std::max(loudest, std::norm(x));
    }
    if (loudest <= 0.0) continue;
    worst = std::max(worst, 10.0 * std::log10(loudest / std::max(pair_power, 1e-30)));
  }
  return worst;
}

double DtmfDetector::second_harmonic_db(int high, double tone_power, double deviation) const noexcept {
  // The window's DFT at twice the high tone's measured frequency (a speech
  // harmonic sits at 2f' exactly; a nominal 2f bin could sit on a null of
  // it), as four Goertzel chains side by side: each half-block's two halves
  // of len samples, the layout of the hot loop. Chain s starts at o_s = 0,
  // len, H, H + len; only the magnitude matters, so the chains are turned
  // by e^{-jw o_s} relative to the first one.
  typedef float V4 __attribute__((vector_size(16)));
  const double w = kTwoPi * 2.0 * kDtmfHighHz[high - 4] * (1.0 + deviation) / rate_;
  const std::size_t len = (hop_ + 1) / 2;
  const float* old_block = blocks_.data() + ((cur_block_ + 1) % kHarmonicBlocks) * kBlockStride;
  const float* new_block = blocks_.data() + cur_block_ * kBlockStride;
  const float c = static_cast<float>(2.0 * std::cos(w));
  V4 a = {}, b = {};
  for (std::size_t j = 0; j < len; ++j) {
    const V4 x = {old_block[j], old_block[len + j], new_block[j], new_block[len + j]};
    const V4 s0 = x - b + c * a;
    b = a;
    a = s0;
  }
  struct Cx {
    double re, im;
    Cx operator*(const Cx& o) const { return {re * o.re - im * o.im, re * o.im + im * o.re}; }
    Cx operator+(const Cx& o) const { return {re + o.re, im + o.im}; }
  };
  // y_s = s1 - e^{-jw} s2 = sum over the chain of x(m) e^{jw(len-1-m)}.
  const double cw = std::cos(w), sw = std::sin(w);
  Cx y[4];
  for (int s = 0; s < 4; ++s) y[s] = {a[s] - cw * b[s], sw * b[s]};
  const Cx turn_len{std::cos(w * static_cast<double>(len)), -std::sin(w * static_cast<double>(len))};
  const Cx turn_hop{std::cos(w * static_cast<double>(hop_)), -std::sin(w * static_cast<double>(hop_))};
  const Cx z = (y[0] + y[1] * turn_len) + (y[2] + y[3] * turn_len) * turn_hop;
  // The tone's own bin is nominal: a tone d rad/sample off it shows with
  // |sin(Nd/2) / (N sin(d/2))|^2 of its power (at most 2.3 dB down at the
  // 2.5 % limit); undo that so the ratio is that of the components.
  const double n = static_cast<double>(2 * hop_);
  const double d = kTwoPi * kDtmfHighHz[high - 4] / rate_ * deviation;
  const double sd = std::sin(d / 2.0);
  const double g = std::abs(sd) < 1e-9 ? 1.0 : std::sin(n * d / 2.0) / (n * sd);
  const double tone = tone_power / std::max(g * g, 0.1);
  return 10.0 * std::log10(std::max(z.re * z.re + z.im * z.im, 1e-30) / std::max(tone, 1e-30));
}

void DtmfDetector::debounce(char hit, bool voiced) noexcept {
  // Track a run of hits of a digit other than the one held down. A run with
  // two windows that show a harmonic comb is speech, not a digit: it ends
  // there (a digit's first window may straddle its onset, where the fit of a
  // steady pair leaves a comb-like residual, so one is forgiven).
  if (hit != 0 && hit != active_) {
    if (hit == run_digit_) {
      ++run_hits_;
      run_voiced_ += voiced ? 1 : 0;
    } else {
      run_digit_ = hit;
      run_hits_ = 1;
      run_voiced_ = voiced ? 1 : 0;
      run_begin_ = window_.begin_sample;
    }
    if (run_voiced_ >= kVoicedWindowsPerRun) {
      run_digit_ = 0;
      run_hits_ = 0;
      run_voiced_ = 0;
    }
  } else {
    run_digit_ = 0;
    run_hits_ = 0;
    run_voiced_ = 0;
  }
  if (active_ != 0) {
    if (hit == active_) {
      misses_ = 0;
      active_end_ = window_.end_sample;
    } else if (++misses_ >= kOffMisses) {
      push({active_, true, active_begin_, to_ms(active_end_ - active_begin_)});
      active_ = 0;
      misses_ = 0;
    }
  }
  if (active_ == 0 && run_hits_ >= kOnHits) {
    active_ = run_digit_;
    active_begin_ = run_begin_;
    active_end_ = window_.end_sample;
    misses_ = 0;
    run_digit_ = 0;
    run_hits_ = 0;
    push({active_, false, active_begin_, to_ms(active_end_ - active_begin_)});
  }
}

void DtmfDetector::push(const DtmfDigitEvent& e) noexcept {
  if (q_size_ == kQueue) {
    q_head_ = (q_head_ + 1) % kQueue;  // drop the oldest
    --q_size_;
    ++dropped_;
  }
  queue_[(q_head_ + q_size_) % kQueue] = e;
  ++q_size_;
}

std::uint32_t DtmfDetector::to_ms(std::int64_t samples) const noexcept {
  return static_cast<std::uint32_t>(samples * 1000 / rate_);
}

}  // namespace libconf::dsp
