#include "libconf/ivr/key_map_matcher.hpp"

#include <utility>

#include "libconf/error.hpp"

namespace libconf::ivr {

KeyMapMatcher::KeyMapMatcher(std::shared_ptr<const KeyMap> map, room::Role role)
    : map_(std::move(map)), role_(role) {
  if (!map_) throw Error(errc::invalid_argument, "KeyMapMatcher: key map is null");
}

void KeyMapMatcher::set_role(room::Role role) noexcept {
  role_ = role;
  reset();
}

void KeyMapMatcher::reset() noexcept {
  sequence_.clear();
  exact_.reset();
  collecting_number_ = false;
  number_.clear();
  deadline_ms_.reset();
}

std::optional<std::int64_t> KeyMapMatcher::next_deadline_ms() const noexcept { return deadline_ms_; }

KeyEvent KeyMapMatcher::resolve(KeyAction action, std::int64_t now_ms) noexcept {
  sequence_.clear();
  exact_.reset();
  deadline_ms_.reset();
  KeyEvent event;
  event.action = action;
  if (action == KeyAction::invite) {
    collecting_number_ = true;
    number_.clear();
    deadline_ms_ = now_ms + map_->number_timeout_ms();
    event.status = KeyStatus::number_started;
  } else {
    event.status = KeyStatus::matched;
  }
  return event;
}

KeyEvent KeyMapMatcher::number_digit(char digit, std::int64_t now_ms) noexcept {
  KeyEvent event;
  event.action = KeyAction::invite;
  if (digit == '*' || (digit == '#' && number_.empty())) {
    reset();
    event.status = KeyStatus::number_cancelled;
    return event;
  }
  if (digit >= '0' && digit <= '9') {
    number_.push_back(digit);
    deadline_ms_ = now_ms + map_->number_timeout_ms();
  }
  if (digit == '#' || number_.full()) {
    event.status = KeyStatus::matched;
    event.number = number_;
    reset();
    return event;
  }
  event.status = KeyStatus::pending;
  return event;
}

KeyEvent KeyMapMatcher::on_digit(char digit, std::int64_t now_ms) noexcept {
  if (!is_dtmf_digit(digit)) return {};
  if (collecting_number_) return number_digit(digit, now_ms);

  sequence_.push_back(digit);
  std::optional<KeyAction> exact;
  bool longer = false;
  for (const KeyBinding& b : map_->bindings(role_)) {
    const std::string_view seq = b.sequence.view();
    if (seq == sequence_.view()) {
      exact = b.action;
    } else if (seq.size() > sequence_.size() && seq.substr(0, sequence_.size()) == sequence_.view()) {
      longer = true;
    }
  }
  if (exact && !longer) return resolve(*exact, now_ms);
  if (longer) {
    exact_ = exact;
    deadline_ms_ = now_ms + map_->inter_digit_timeout_ms();
    return KeyEvent{KeyStatus::pending, KeyAction::toggle_mute, {}};
  }
  reset();
  return KeyEvent{KeyStatus::no_match, KeyAction::toggle_mute, {}};
}

KeyEvent KeyMapMatcher::on_tick(std::int64_t now_ms) noexcept {
  if (!deadline_ms_ || now_ms < *deadline_ms_) return {};
  if (collecting_number_) {
    KeyEvent event;
    event.action = KeyAction::invite;
    event.status = number_.empty() ? KeyStatus::number_cancelled : KeyStatus::matched;
    event.number = number_;
    reset();
    return event;
  }
  if (exact_) return resolve(*exact_, now_ms);
  reset();
  return KeyEvent{KeyStatus::no_match, KeyAction::toggle_mute, {}};
}

}  // namespace libconf::ivr
