#pragma once
/// @file
/// Resampler between the supported rates (8, 16, 24, 32, 48 kHz), backed by
/// SpeexDSP's resampler. One instance per stream (it keeps filter state across
/// frames). process() is real-time safe: no allocation, no locks.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::audio {

class Resampler {
 public:
  /// quality: SpeexDSP quality 0..10 (default 3 is VoIP quality, which is
  /// what speexdsp recommends for real-time telephony).
  /// Throws libconf::Error naming the bad rate or quality.
  Resampler(int input_rate_hz, int output_rate_hz, int quality = 3);
  ~Resampler();
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;

  int input_rate_hz() const noexcept { return in_rate_; }
  int output_rate_hz() const noexcept { return out_rate_; }
  bool passthrough() const noexcept { return in_rate_ == out_rate_; }

  /// Converts one frame. For whole frames (input size a multiple of the 10 ms
  /// frame at the input rate) the output has exactly
  /// input.size() * out_rate / in_rate samples. Returns samples written.
  /// Errors: buffer_too_small.
  [[nodiscard]] Result<std::size_t> process(std::span<const std::int16_t> input,
                                            std::span<std::int16_t> output) noexcept;
  /// Clears filter memory (e.g. when a stream restarts).
  void reset() noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
  int in_rate_ = 0;
  int out_rate_ = 0;
};

}  // namespace libconf::audio

namespace libconf::audio {

/// Offline conversion of a whole buffer between any two rates (1 kHz..384 kHz),
/// e.g. a 44.1 kHz prompt file to 16 kHz. Allocates; not for the frame path.
/// Throws libconf::Error naming a bad rate.
std::vector<std::int16_t> resample_buffer(std::span<const std::int16_t> input, int input_rate_hz,
                                          int output_rate_hz, int quality = 5);

}  // namespace libconf::audio
