#pragma once
/// @file
/// PromptLibrary: the recordings the service plays, by prompt id (the ids the
/// menus use: welcome, enter_room, enter_pin, pin_wrong, joining, to_operator,
/// room_unknown, plus the service's own: music_on_hold, only_participant,
/// join_tone, leave_tone, beep, enter_number, say_name, operator_alert, and
/// has_joined/has_left, which play after a recorded name when supplied). A prompt the host did not supply falls back to
/// a short built-in tone sequence (dsp::ToneGenerator), so a menu works without
/// any recording: every id gets its own distinct pitch, music_on_hold is a
/// looping two-tone melody.
///
/// Thread-safety: configure on one thread; get() is const and safe afterwards.
/// Errors: set() throws libconf::Error(invalid_argument) for an empty id or an
/// empty/null prompt.

#include <map>
#include <string>
#include <string_view>

#include "libconf/engine/engine.hpp"

namespace libconf::service {

class PromptLibrary {
 public:
  /// sample_rate_hz of the built-in fallbacks (8000..48000).
  explicit PromptLibrary(int sample_rate_hz = 16000);
  /// Supplies a recording for `id` (replaces an earlier one).
  void set(const std::string& id, engine::PromptPtr prompt);
  /// The host's recording for `id`, else the built-in fallback (made once, cached).
  engine::PromptPtr get(std::string_view id) const;
  /// True when the host supplied `id`.
  bool has_recording(std::string_view id) const noexcept;
  /// n short beeps (n clamped to 1..20): the participant count announcement.
  engine::PromptPtr beeps(int n) const;
  /// Frequency of the built-in fallback tone of `id`, Hz (stable per id:
  /// tests and listeners can tell prompts apart by pitch).
  static double fallback_frequency_hz(std::string_view id) noexcept;

 private:
  int rate_;
  std::map<std::string, engine::PromptPtr, std::less<>> recorded_;
  mutable std::map<std::string, engine::PromptPtr, std::less<>> fallback_;
};

}  // namespace libconf::service
