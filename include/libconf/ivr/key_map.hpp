#pragma once
/// @file
/// In-room DTMF key maps, one per role (like Asterisk ConfBridge menus): which
/// digit sequence ("1", "*1", "*6") triggers which in-room action. Loaded from
/// JSON at configuration time (docs/ivr.md gives the schema); KeyMapMatcher
/// turns a caller's digits into actions.
///
/// Thread-safety: immutable after parse; share as std::shared_ptr<const KeyMap>.
/// Errors: parse and load_file throw libconf::Error naming source, field and value,
/// e.g. "keys.json: roles.participant.*1: 'lock' is a moderator action".

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/role.hpp"
#include "libconf/ivr/digits.hpp"

namespace libconf::ivr {

enum class KeyAction {
  toggle_mute,
  talk_volume_up,      ///< louder to the others
  talk_volume_down,
  listen_volume_up,    ///< the room louder to me
  listen_volume_down,
  participant_count,   ///< tell me how many are here
  call_operator,
  invite,              ///< collect a number (ended by '#' or a pause), then dial it
  // Moderator keys (moderator and superuser maps only):
  lock,
  unlock,
  mute_all,
  kick_last,           ///< remove the participant who joined last
  move_to_side_room,
  bring_back,          ///< bring side-room participants back to the main room
};

/// The JSON spelling: "toggle_mute", "talk_volume_up", ...
std::string_view to_string(KeyAction action) noexcept;
std::optional<KeyAction> key_action_from_string(std::string_view text) noexcept;
/// True for the keys only moderators and the superuser may have.
constexpr bool is_moderator_action(KeyAction a) noexcept {
  return a == KeyAction::lock || a == KeyAction::unlock || a == KeyAction::mute_all ||
         a == KeyAction::kick_last || a == KeyAction::move_to_side_room || a == KeyAction::bring_back;
}

inline constexpr std::size_t kMaxKeySequence = 8;
inline constexpr std::size_t kMaxBindingsPerRole = 64;

struct KeyBinding {
  DigitString sequence;  ///< 1..kMaxKeySequence DTMF digits
  KeyAction action = KeyAction::toggle_mute;
};

class KeyMap {
 public:
  /// Throws libconf::Error: parse_error for malformed JSON, invalid_argument
  /// for unknown fields, bad sequences, unknown actions, moderator keys in a
  /// participant or listener map, or out-of-range timeouts.
  static KeyMap parse(std::string_view json_text, std::string_view source_name);
  static KeyMap load_file(const std::filesystem::path& path);
  /// The same key map as examples/menus/keys.json.
  static std::shared_ptr<const KeyMap> builtin_default();
  static std::string_view builtin_default_json() noexcept;

  std::span<const KeyBinding> bindings(room::Role role) const noexcept;
  /// How long an ambiguous prefix ("*" when "*1" exists) waits for more digits.
  std::int64_t inter_digit_timeout_ms() const noexcept { return inter_digit_timeout_ms_; }
  /// How long invite waits between digits of the number before dialing it.
  std::int64_t number_timeout_ms() const noexcept { return number_timeout_ms_; }

 private:
  KeyMap() = default;
  std::int64_t inter_digit_timeout_ms_ = 1500;
  std::int64_t number_timeout_ms_ = 5000;
  std::vector<KeyBinding> roles_[4];
};

}  // namespace libconf::ivr
