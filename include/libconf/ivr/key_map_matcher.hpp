#pragma once
/// @file
/// Turns one caller's in-room digits into KeyMap actions: a prefix-match state
/// machine with an inter-digit timeout. A sequence that is also the prefix of a
/// longer one ("*" when "*1" exists) waits inter_digit_timeout_ms for the next
/// digit, then fires; a sequence no binding starts with is dropped (no_match).
/// invite then collects the number to dial ('#' or a pause ends it, '*' cancels).
///
/// Thread-safety: one matcher per caller, used by one thread at a time.
/// Real-time safety: on_digit and on_tick are noexcept and allocate nothing.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "libconf/room/role.hpp"
#include "libconf/ivr/digits.hpp"
#include "libconf/ivr/key_map.hpp"

namespace libconf::ivr {

enum class KeyStatus {
  idle,              ///< nothing happened
  pending,           ///< digit taken; more may follow
  matched,           ///< action fired (invite: number holds the number to dial)
  no_match,          ///< the digits match no binding; they were dropped
  number_started,    ///< invite matched: collecting the number now (play a prompt?)
  number_cancelled,  ///< invite given up ('*' or a pause before any digit)
};

struct KeyEvent {
  KeyStatus status = KeyStatus::idle;
  KeyAction action = KeyAction::toggle_mute;  ///< for matched and number_started
  DigitString number;                         ///< invite only
};

class KeyMapMatcher {
 public:
  /// Throws libconf::Error(invalid_argument) when map is null.
  KeyMapMatcher(std::shared_ptr<const KeyMap> map, room::Role role);

  /// Switches to another role's keys (e.g. promoted to moderator) and resets.
  void set_role(room::Role role) noexcept;
  room::Role role() const noexcept { return role_; }
  /// Drops any partial sequence or number.
  void reset() noexcept;

  KeyEvent on_digit(char digit, std::int64_t now_ms) noexcept;
  /// Fires what a pause decides; call at least every next_deadline_ms.
  KeyEvent on_tick(std::int64_t now_ms) noexcept;

  std::string_view pending_sequence() const noexcept { return sequence_.view(); }
  bool collecting_number() const noexcept { return collecting_number_; }
  std::optional<std::int64_t> next_deadline_ms() const noexcept;

 private:
  KeyEvent resolve(KeyAction action, std::int64_t now_ms) noexcept;
  KeyEvent number_digit(char digit, std::int64_t now_ms) noexcept;

  std::shared_ptr<const KeyMap> map_;
  room::Role role_;
  DigitString sequence_;
  std::optional<KeyAction> exact_;  ///< binding equal to sequence_, waiting out a longer one
  bool collecting_number_ = false;
  DigitString number_;
  std::optional<std::int64_t> deadline_ms_;
};

}  // namespace libconf::ivr
