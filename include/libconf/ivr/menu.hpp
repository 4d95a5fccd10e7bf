#pragma once
/// @file
/// A DTMF menu: an immutable, validated state machine loaded from JSON at
/// configuration time (docs/ivr.md gives the schema). IvrSession runs it.
///
/// Thread-safety: a Menu is immutable after parse; share it between sessions
/// and threads through std::shared_ptr<const Menu>.
/// Errors: parse and load_file throw libconf::Error naming the source, the
/// field path and the bad value, e.g.
/// "menus/main.json: states.pin.timeout_ms: -5 is negative".

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/ivr/action.hpp"
#include "libconf/room/role.hpp"
#include "libconf/ivr/digits.hpp"

namespace libconf::ivr {

using StateIndex = std::uint16_t;
inline constexpr StateIndex kNoState = 0xFFFF;

/// Hard limits checked at load so that a hostile file cannot make a menu huge.
inline constexpr std::size_t kMaxStates = 256;
inline constexpr std::size_t kMaxPromptsPerState = 16;
inline constexpr std::size_t kMaxNameLength = 128;  ///< state names and prompt ids
inline constexpr std::int64_t kMaxTimeoutMs = 600'000;
inline constexpr int kMaxRetries = 20;
inline constexpr std::size_t kMaxMenuFileBytes = 1 << 20;

/// What a state does once its prompts are played (or barged into).
enum class StateAction {
  collect_room,       ///< collect a room number (then optionally LookupRoom), go to next
  check_pin,          ///< collect a PIN, emit CheckPin, go to next when the host says pin_ok
  dial_out,           ///< collect a number, emit DialOut, go to next
  choice,             ///< one digit picks the next state from choices
  join,               ///< emit Join (final)
  route_to_operator,  ///< emit RouteToOperator (final)
  hangup,             ///< emit Hangup (final)
  record_name,        ///< emit RecordName, go to next when the host says recorded
  goto_state,         ///< go to next
};

/// "collect_room", "check_pin", ..., "goto" (the JSON spelling).
std::string_view to_string(StateAction action) noexcept;
/// True for the actions that collect digits.
constexpr bool collects_digits(StateAction a) noexcept {
  return a == StateAction::collect_room || a == StateAction::check_pin ||
         a == StateAction::dial_out || a == StateAction::choice;
}

/// One state, validated. Fields not used by the state's action keep their defaults.
struct MenuState {
  std::string name;
  StateAction action = StateAction::hangup;
  std::vector<std::string> prompts;  ///< played in order on entry (and on each retry)
  bool barge_in = true;              ///< a digit stops the prompts and starts the entry

  // Digit collection (collecting actions only).
  int min_digits = 1;
  int max_digits = 16;                    ///< entry completes when reached (<= kMaxDigits)
  char terminator = '#';                  ///< completes the entry; '\0' for none
  std::int64_t timeout_ms = 10'000;       ///< from the end of the prompts to a complete entry
  std::int64_t inter_digit_timeout_ms = 5'000;  ///< most time between two digits
  int retries = 2;                        ///< replays of the prompts after no or invalid input
  std::string invalid_prompt;             ///< played before a replay after invalid input
  std::array<StateIndex, 16> choices{};   ///< choice: by digit index (see digit_index)

  // Transitions.
  StateIndex next = kNoState;
  StateIndex on_failure = kNoState;       ///< retries or PIN attempts used up
  StateIndex on_room_unknown = kNoState;  ///< check_pin: the host knows no such room
  StateIndex on_locked_out = kNoState;    ///< check_pin: the host locked the caller out

  bool lookup = false;                 ///< collect_room: ask the host whether the room exists
  int max_attempts = 3;                ///< check_pin: wrong PINs before on_failure
  std::string wrong_prompt;            ///< check_pin: played after a wrong PIN
  room::Role role = room::Role::participant;  ///< join: role when no PIN check confirmed one
  std::optional<ExitReason> reason;    ///< route_to_operator/hangup: fixed reason, else the session's
};

/// Index 0-15 of a DTMF digit ('0'-'9', '*', '#', 'A'-'D'), -1 for anything else.
int digit_index(char digit) noexcept;

class Menu {
 public:
  /// Parses and validates menu JSON. source_name names the input in error
  /// messages (usually the file name). Throws libconf::Error: parse_error for
  /// malformed JSON, invalid_argument for bad or unknown fields, not_found for
  /// references to states that do not exist.
  static Menu parse(std::string_view json_text, std::string_view source_name);
  /// Reads and parses a file (at most kMaxMenuFileBytes). Throws libconf::Error
  /// (io_error when the file cannot be read, else as parse).
  static Menu load_file(const std::filesystem::path& path);
  /// The default flow: welcome -> room number -> PIN -> join; three wrong PINs
  /// or no input -> operator. The same menu as examples/menus/default.json.
  static std::shared_ptr<const Menu> builtin_default();
  /// The JSON text of builtin_default().
  static std::string_view builtin_default_json() noexcept;

  const std::string& name() const noexcept { return name_; }
  const std::string& source() const noexcept { return source_; }
  StateIndex initial_state() const noexcept { return initial_; }
  std::span<const MenuState> states() const noexcept { return states_; }
  /// Precondition: index < states().size().
  const MenuState& state(StateIndex index) const noexcept { return states_[index]; }
  std::optional<StateIndex> find_state(std::string_view name) const noexcept;

 private:
  friend class MenuParser;
  Menu() = default;
  std::string name_;
  std::string source_;
  StateIndex initial_ = 0;
  std::vector<MenuState> states_;
};

}  // namespace libconf::ivr
