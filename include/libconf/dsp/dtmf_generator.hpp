#pragma once
/// @file
/// DtmfGenerator: in-band DTMF digits (ITU-T Q.23 frequency pairs) at a
/// chosen level, twist and timing, produced frame by frame with phase kept
/// across frames. Used by the IVR for tests and by hosts that must signal
/// digits in-band (e.g. towards an operator that only hears audio).
/// Thread-safety: one instance per stream, one thread at a time.
/// Real-time safety: queue(), play(), generate(), clear() allocate nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "libconf/dsp/tone_oscillator.hpp"
#include "libconf/error.hpp"

namespace libconf::dsp {

struct DtmfGeneratorConfig {
  int sample_rate_hz = 8000;  ///< 8000, 16000, 24000, 32000 or 48000
  /// Level of the low-group tone, dBm0 (rms of that sine; see
  /// audio::kDbm0InDbfs). Q.23 senders use about -6..-10 dBm0 per tone; two
  /// tones above about -3 dBm0 each saturate 16 bits. Range -60..3.
  double level_dbm0 = -8.0;
  /// High-group level minus low-group level, dB. Senders put the high group
  /// about 2 dB up to pre-compensate line loss. Range -20..20.
  double high_minus_low_db = 2.0;
  int on_ms = 100;   ///< tone duration for queue(), 1..10000
  int off_ms = 100;  ///< pause after each digit for queue(), 0..10000
};

class DtmfGenerator {
 public:
  /// Most digits that can wait in the queue.
  static constexpr std::size_t kMaxQueued = 64;

  /// Throws libconf::Error naming a bad rate, level, twist or duration.
  explicit DtmfGenerator(const DtmfGeneratorConfig& config = {});

  /// Appends digits ('0'-'9', '*', '#', 'A'-'D', 'a'-'d') played with the
  /// configured on/off times. Errors: invalid_argument (a non-DTMF character;
  /// nothing is queued), capacity_exceeded (more than kMaxQueued pending).
  [[nodiscard]] Result<void> queue(std::string_view digits) noexcept;
  /// Appends one digit with its own timing. Errors as queue(), plus
  /// invalid_argument for on_ms outside 1..10000 or off_ms outside 0..10000.
  [[nodiscard]] Result<void> play(char digit, int on_ms, int off_ms) noexcept;
  /// Fills out with the next samples: queued digits, then silence.
  void generate(std::span<std::int16_t> out) noexcept;
  /// Drops everything queued and the digit being played.
  void clear() noexcept;
  /// True when nothing is queued or playing (generate() writes silence).
  bool idle() const noexcept { return count_ == 0 && remaining_ == 0; }
  int sample_rate_hz() const noexcept { return rate_; }

 private:
  struct Item {
    char digit;
    std::uint32_t on_samples;
    std::uint32_t off_samples;
  };
  void start_next() noexcept;

  int rate_;
  double low_amplitude_;
  double high_amplitude_;
  int on_ms_, off_ms_;
  std::array<Item, kMaxQueued> items_{};
  std::size_t head_ = 0, count_ = 0;
  ToneOscillator low_, high_;
  std::uint32_t on_left_ = 0, remaining_ = 0;  // samples of tone left, of tone+pause left
};

}  // namespace libconf::dsp
