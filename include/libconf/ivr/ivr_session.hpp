#pragma once
/// @file
/// One caller's walk through a Menu. The host feeds it inputs (digits, prompt
/// ends, clock ticks, answers to its questions) and carries out the actions
/// each input returns.
///
/// Thread-safety: one session is used by one thread at a time (the
/// ConferenceService's control thread, which owns the caller's call).
/// Real-time safety: after construction, start and every on_* call are
/// noexcept and allocate nothing; digits live in fixed buffers.
/// Lifetime: each call returns a span of actions valid until the next call on
/// this session; PlayPrompt ids stay valid while the session lives.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "libconf/error.hpp"
#include "libconf/ivr/action.hpp"
#include "libconf/ivr/digits.hpp"
#include "libconf/ivr/host_reply.hpp"
#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {

class IvrSession {
 public:
  /// No input produces more actions than this (StopPrompt, one question or
  /// DialOut, and the first action of the state entered next).
  static constexpr std::size_t kMaxActionsPerInput = 4;

  /// Throws libconf::Error(invalid_argument) when menu is null. Allocates nothing.
  explicit IvrSession(std::shared_ptr<const Menu> menu);

  /// Presets the room (a DID routed straight to a room, then a PIN-only menu).
  /// Call before start. invalid_argument when longer than kMaxDigits or empty.
  Result<void> preset_room(std::string_view room) noexcept;

  /// Enters the menu's initial state; does nothing (empty span) when already started.
  std::span<const Action> start(std::int64_t now_ms) noexcept;

  /// A DTMF digit ('0'-'9', '*', '#', 'A'-'D'; anything else is ignored).
  /// During a prompt it barges in (StopPrompt) where the state allows, else it
  /// is dropped. While collecting, '*' clears the entry and the terminator
  /// completes it; reaching max_digits completes it too, so a flood of digits
  /// is never stored beyond the state's limit.
  std::span<const Action> on_digit(char digit, std::int64_t now_ms) noexcept;
  /// The prompt last asked for has finished playing.
  std::span<const Action> on_prompt_done(std::int64_t now_ms) noexcept;
  /// Advances timeouts; call at least every next_deadline_ms (a 20 ms tick is fine).
  std::span<const Action> on_tick(std::int64_t now_ms) noexcept;
  /// The host's answer to LookupRoom, CheckPin or RecordName. A reply that
  /// answers no pending question is ignored (empty span).
  std::span<const Action> on_host_reply(const HostReply& reply, std::int64_t now_ms) noexcept;

  bool started() const noexcept { return started_; }
  /// True once Join, RouteToOperator or Hangup was emitted; later inputs do nothing.
  bool finished() const noexcept { return phase_ == Phase::finished; }
  /// Name of the current state (empty before start).
  std::string_view state_name() const noexcept;
  /// The room number collected or preset so far.
  std::string_view room() const noexcept { return room_.view(); }
  /// Digits typed in the current entry so far.
  std::string_view entry() const noexcept { return entry_.view(); }
  /// True while the current state collects a PIN (prompts, entry, and the
  /// wait for the host's answer): digits arriving now are secret and must
  /// be masked wherever they are reported.
  bool collecting_pin() const noexcept;
  /// Wrong PINs in this session.
  int pin_failures() const noexcept { return pin_failures_; }
  /// When on_tick next has something to do; nullopt when no timer runs.
  std::optional<std::int64_t> next_deadline_ms() const noexcept;

 private:
  enum class Phase { idle, playing, collecting, waiting_host, finished };

  const MenuState& current() const noexcept { return menu_->state(state_); }
  void emit(const Action& action) noexcept;
  std::span<const Action> emitted() const noexcept { return {out_.data(), out_size_}; }
  /// Moves to a state; why records the failure that led there (nullopt: none).
  void enter(StateIndex index, std::int64_t now_ms, std::optional<ExitReason> why) noexcept;
  void begin_playback(std::int64_t now_ms) noexcept;
  void next_prompt(std::int64_t now_ms) noexcept;
  void after_prompts(std::int64_t now_ms) noexcept;
  void start_collecting(std::int64_t now_ms) noexcept;
  void collect(char digit, std::int64_t now_ms) noexcept;
  void submit(std::int64_t now_ms) noexcept;
  /// Replays the state (after pre_prompt) or, with its retries used up, fails to on_failure.
  void retry(ExitReason reason, std::string_view pre_prompt, std::int64_t now_ms) noexcept;
  void replay(std::string_view pre_prompt, std::int64_t now_ms) noexcept;
  ExitReason exit_reason() const noexcept;

  std::shared_ptr<const Menu> menu_;
  std::array<Action, kMaxActionsPerInput> out_{};
  std::size_t out_size_ = 0;

  bool started_ = false;
  Phase phase_ = Phase::idle;
  StateIndex state_ = kNoState;
  std::string_view pre_prompt_;  ///< played before the state's prompts (invalid/wrong PIN)
  bool pre_prompt_playing_ = false;
  std::size_t prompt_ = 0;       ///< index of the state prompt playing
  int retries_used_ = 0;
  int pin_failures_ = 0;
  std::optional<ExitReason> why_here_;  ///< the failure that led to the current state
  std::optional<room::Role> confirmed_role_;

  DigitString entry_;
  DigitString room_;
  std::int64_t overall_deadline_ms_ = 0;
  std::int64_t digit_deadline_ms_ = 0;
};

}  // namespace libconf::ivr
