#pragma once
/// @file
/// ToneOscillator: a sine of fixed frequency and amplitude produced by a
/// complex rotator (one complex multiply per sample, no table, no std::sin in
/// the loop), renormalised every sample pair so its amplitude never drifts.
/// Keeps phase across calls. Real-time safe; one instance per stream.

#include <cmath>
#include <numbers>

namespace libconf::dsp {

class ToneOscillator {
 public:
  ToneOscillator() = default;
  /// frequency_hz in [0, sample_rate_hz / 2); amplitude in sample units
  /// (32767 = full scale peak). Restarts at phase 0 (a sine starts at 0).
  ToneOscillator(double frequency_hz, int sample_rate_hz, double amplitude) noexcept {
    set(frequency_hz, sample_rate_hz, amplitude);
  }
  void set(double frequency_hz, int sample_rate_hz, double amplitude) noexcept {
    const double w = 2.0 * std::numbers::pi * frequency_hz / sample_rate_hz;
    step_re_ = std::cos(w);
    step_im_ = std::sin(w);
    amplitude_ = amplitude;
    restart();
  }
  void set_amplitude(double amplitude) noexcept { amplitude_ = amplitude; }
  double amplitude() const noexcept { return amplitude_; }
  /// Back to phase 0.
  void restart() noexcept {
    re_ = 1.0;
    im_ = 0.0;
  }
  /// The next sample (amplitude * sin(phase)), then advances the phase.
  double next() noexcept {
    const double out = amplitude_ * im_;
    const double re = re_ * step_re_ - im_ * step_im_;
    const double im = re_ * step_im_ + im_ * step_re_;
    // First-order renormalisation: |z|^2 stays within 1e-15 of 1.
    const double g = 1.5 - 0.5 * (re * re + im * im);
    re_ = re * g;
    im_ = im * g;
    return out;
  }

 private:
  double step_re_ = 1.0, step_im_ = 0.0;
  double re_ = 1.0, im_ = 0.0;
  double amplitude_ = 0.0;
};

}  // namespace libconf::dsp
