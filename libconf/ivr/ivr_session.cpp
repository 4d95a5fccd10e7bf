#include "libconf/ivr/ivr_session.hpp"

#include <algorithm>
#include <utility>

namespace libconf::ivr {

IvrSession::IvrSession(std::shared_ptr<const Menu> menu) : menu_(std::move(menu)) {
  if (!menu_) throw Error(errc::invalid_argument, "IvrSession: menu is null");
}

Result<void> IvrSession::preset_room(std::string_view room) noexcept {
  if (started_) return errc::invalid_state;
  if (room.empty() || !room_.assign(room)) {
    room_.clear();
    return errc::invalid_argument;
  }
  return {};
}

std::string_view IvrSession::state_name() const noexcept {
  return state_ == kNoState ? std::string_view{} : std::string_view(current().name);
}

bool IvrSession::collecting_pin() const noexcept {
  return state_ != kNoState && phase_ != Phase::finished && current().action == StateAction::check_pin;
}

std::optional<std::int64_t> IvrSession::next_deadline_ms() const noexcept {
  if (phase_ != Phase::collecting) return std::nullopt;
  if (entry_.empty()) return overall_deadline_ms_;
  return std::min(overall_deadline_ms_, digit_deadline_ms_);
}

void IvrSession::emit(const Action& action) noexcept {
  // kMaxActionsPerInput bounds what one input can produce (see the header);
  // the check keeps a future change from writing past the array.
  if (out_size_ < out_.size()) out_[out_size_++] = action;
}

std::span<const Action> IvrSession::start(std::int64_t now_ms) noexcept {
  out_size_ = 0;
  if (started_) return emitted();
  started_ = true;
  enter(menu_->initial_state(), now_ms, std::nullopt);
  return emitted();
}

std::span<const Action> IvrSession::on_digit(char digit, std::int64_t now_ms) noexcept {
  out_size_ = 0;
  if (!is_dtmf_digit(digit)) return emitted();
  if (phase_ == Phase::playing) {
    const MenuState& s = current();
    if (!collects_digits(s.action) || !s.barge_in) return emitted();  // dropped
    emit(StopPrompt{});
    pre_prompt_playing_ = false;
    start_collecting(now_ms);
    collect(digit, now_ms);
  } else if (phase_ == Phase::collecting) {
    collect(digit, now_ms);
  }
  return emitted();
}

std::span<const Action> IvrSession::on_prompt_done(std::int64_t now_ms) noexcept {
  out_size_ = 0;
  if (phase_ != Phase::playing) return emitted();
  if (pre_prompt_playing_) {
    pre_prompt_playing_ = false;
  } else {
    ++prompt_;
  }
  next_prompt(now_ms);
  return emitted();
}

std::span<const Action> IvrSession::on_tick(std::int64_t now_ms) noexcept {
  out_size_ = 0;
  if (phase_ != Phase::collecting) return emitted();
  if (now_ms >= *next_deadline_ms()) submit(now_ms);
  return emitted();
}

std::span<const Action> IvrSession::on_host_reply(const HostReply& reply, std::int64_t now_ms) noexcept {
  out_size_ = 0;
  if (phase_ != Phase::waiting_host) return emitted();
  const MenuState& s = current();
  using Kind = HostReply::Kind;
  switch (s.action) {
    case StateAction::collect_room:
      if (reply.kind == Kind::room_found) {
        enter(s.next, now_ms, std::nullopt);
      } else if (reply.kind == Kind::room_unknown) {
        room_.clear();
        retry(ExitReason::room_unknown, s.invalid_prompt, now_ms);
      }
      break;
    case StateAction::check_pin:
      entry_.clear();  // the PIN is not kept past its check
      switch (reply.kind) {
        case Kind::pin_ok:
          confirmed_role_ = reply.role;
          enter(s.next, now_ms, std::nullopt);
          break;
        case Kind::pin_wrong:
          ++pin_failures_;
          if (pin_failures_ >= s.max_attempts) {
            enter(s.on_failure, now_ms, ExitReason::wrong_pin);
          } else {
            retries_used_ = 0;  // a fresh attempt gets the full no-input allowance
            replay(s.wrong_prompt, now_ms);
          }
          break;
        case Kind::room_unknown:
          enter(s.on_room_unknown, now_ms, ExitReason::room_unknown);
          break;
        case Kind::locked_out:
          enter(s.on_locked_out, now_ms, ExitReason::locked_out);
          break;
        case Kind::room_found:
        case Kind::recorded:
          break;
      }
      break;
    case StateAction::record_name:
      if (reply.kind == Kind::recorded) enter(s.next, now_ms, std::nullopt);
      break;
    default:
      break;
  }
  return emitted();
}

void IvrSession::enter(StateIndex index, std::int64_t now_ms, std::optional<ExitReason> why) noexcept {
  // Prompt-less goto states pass straight through; the parser refuses rings of them.
  while (menu_->state(index).action == StateAction::goto_state && menu_->state(index).prompts.empty()) {
    index = menu_->state(index).next;
  }
  state_ = index;
  why_here_ = why;
  retries_used_ = 0;
  entry_.clear();
  replay({}, now_ms);
}

void IvrSession::replay(std::string_view pre_prompt, std::int64_t now_ms) noexcept {
  entry_.clear();
  pre_prompt_ = pre_prompt;
  begin_playback(now_ms);
}

void IvrSession::begin_playback(std::int64_t now_ms) noexcept {
  prompt_ = 0;
  if (!pre_prompt_.empty()) {
    pre_prompt_playing_ = true;
    phase_ = Phase::playing;
    emit(PlayPrompt{pre_prompt_});
    return;
  }
  pre_prompt_playing_ = false;
  next_prompt(now_ms);
}

void IvrSession::next_prompt(std::int64_t now_ms) noexcept {
  const MenuState& s = current();
  if (prompt_ < s.prompts.size()) {
    phase_ = Phase::playing;
    emit(PlayPrompt{s.prompts[prompt_]});
    return;
  }
  after_prompts(now_ms);
}

ExitReason IvrSession::exit_reason() const noexcept {
  return current().reason.value_or(why_here_.value_or(ExitReason::requested));
}

void IvrSession::after_prompts(std::int64_t now_ms) noexcept {
  const MenuState& s = current();
  switch (s.action) {
    case StateAction::collect_room:
    case StateAction::check_pin:
    case StateAction::dial_out:
    case StateAction::choice:
      start_collecting(now_ms);
      break;
    case StateAction::join: {
      Join join;
      join.room = room_;
      join.role_hint = confirmed_role_.value_or(s.role);
      phase_ = Phase::finished;
      emit(join);
      break;
    }
    case StateAction::route_to_operator: {
      RouteToOperator route;
      route.reason = exit_reason();
      route.room = room_;
      phase_ = Phase::finished;
      emit(route);
      break;
    }
    case StateAction::hangup:
      phase_ = Phase::finished;
      emit(Hangup{exit_reason()});
      break;
    case StateAction::record_name:
      phase_ = Phase::waiting_host;
      emit(RecordName{});
      break;
    case StateAction::goto_state:
      enter(s.next, now_ms, why_here_);
      break;
  }
}

void IvrSession::start_collecting(std::int64_t now_ms) noexcept {
  phase_ = Phase::collecting;
  entry_.clear();
  overall_deadline_ms_ = now_ms + current().timeout_ms;
  digit_deadline_ms_ = overall_deadline_ms_;
}

void IvrSession::collect(char digit, std::int64_t now_ms) noexcept {
  const MenuState& s = current();
  if (s.action == StateAction::choice) {
    entry_.clear();
    entry_.push_back(digit);
    submit(now_ms);
    return;
  }
  if (s.terminator != '\0' && digit == s.terminator) {
    submit(now_ms);
    return;
  }
  if (digit == '*') {  // start the entry over, with the full time again
    entry_.clear();
    overall_deadline_ms_ = now_ms + s.timeout_ms;
    return;
  }
  if (digit < '0' || digit > '9') return;  // '#' without terminator, 'A'-'D': not part of a number
  entry_.push_back(digit);
  digit_deadline_ms_ = now_ms + s.inter_digit_timeout_ms;
  if (static_cast<int>(entry_.size()) >= s.max_digits) submit(now_ms);
}

void IvrSession::submit(std::int64_t now_ms) noexcept {
  const MenuState& s = current();
  if (entry_.empty()) {
    retry(ExitReason::no_input, {}, now_ms);
    return;
  }
  if (static_cast<int>(entry_.size()) < s.min_digits) {
    retry(ExitReason::invalid_input, s.invalid_prompt, now_ms);
    return;
  }
  switch (s.action) {
    case StateAction::collect_room:
      room_ = entry_;
      if (s.lookup) {
        phase_ = Phase::waiting_host;
        emit(LookupRoom{room_});
      } else {
        enter(s.next, now_ms, std::nullopt);
      }
      break;
    case StateAction::check_pin:
      phase_ = Phase::waiting_host;
      emit(CheckPin{room_, entry_});
      break;
    case StateAction::dial_out:
      emit(DialOut{entry_});
      enter(s.next, now_ms, std::nullopt);
      break;
    case StateAction::choice: {
      const int index = digit_index(entry_.view()[0]);
      const StateIndex target = index < 0 ? kNoState : s.choices[static_cast<std::size_t>(index)];
      if (target == kNoState) {
        retry(ExitReason::invalid_input, s.invalid_prompt, now_ms);
      } else {
        enter(target, now_ms, std::nullopt);
      }
      break;
    }
    default:
      break;
  }
}

void IvrSession::retry(ExitReason reason, std::string_view pre_prompt, std::int64_t now_ms) noexcept {
  const MenuState& s = current();
  if (retries_used_ >= s.retries) {
    enter(s.on_failure, now_ms, reason);
    return;
  }
  ++retries_used_;
  replay(pre_prompt, now_ms);
}

}  // namespace libconf::ivr
