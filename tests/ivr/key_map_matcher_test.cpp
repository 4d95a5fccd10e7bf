#include "libconf/ivr/key_map_matcher.hpp"

#include <gtest/gtest.h>

namespace libconf::ivr {
namespace {

std::shared_ptr<const KeyMap> ambiguous_map() {
  return std::make_shared<const KeyMap>(KeyMap::parse(R"({
      "inter_digit_timeout_ms": 2000, "number_timeout_ms": 4000,
      "roles": {
        "moderator": {"*": "participant_count", "*1": "lock", "*11": "unlock", "1": "toggle_mute", "#8": "invite"},
        "participant": {"1": "toggle_mute", "*": "call_operator"}}})",
                                                      "keys.json"));
}

TEST(KeyMapMatcher, UnambiguousKeyFiresAtOnce) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  KeyEvent e = m.on_digit('1', 0);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::toggle_mute);
  EXPECT_FALSE(m.next_deadline_ms());
}

TEST(KeyMapMatcher, AmbiguousPrefixIsResolvedByTimeout) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  EXPECT_EQ(m.on_digit('*', 1000).status, KeyStatus::pending);  // "*" or "*1"?
  EXPECT_EQ(m.pending_sequence(), "*");
  EXPECT_EQ(m.next_deadline_ms(), 3000);
  EXPECT_EQ(m.on_tick(2999).status, KeyStatus::idle);
  KeyEvent e = m.on_tick(3000);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::participant_count);
  EXPECT_EQ(m.pending_sequence(), "");
}

TEST(KeyMapMatcher, LongerSequenceWinsWhenTypedInTime) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  EXPECT_EQ(m.on_digit('*', 1000).status, KeyStatus::pending);
  EXPECT_EQ(m.on_digit('1', 2500).status, KeyStatus::pending);  // "*1" is a prefix of "*11"
  EXPECT_EQ(m.next_deadline_ms(), 4500);                          // the timer restarts per digit
  KeyEvent e = m.on_tick(4500);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::lock);
  m.on_digit('*', 5000);
  m.on_digit('1', 5100);
  e = m.on_digit('1', 5200);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::unlock);
}

TEST(KeyMapMatcher, UnknownSequenceIsDropped) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  EXPECT_EQ(m.on_digit('7', 0).status, KeyStatus::no_match);
  m.on_digit('*', 100);
  EXPECT_EQ(m.on_digit('9', 200).status, KeyStatus::no_match);  // "*9": neither "*" nor "*1"
  EXPECT_EQ(m.pending_sequence(), "");
  EXPECT_EQ(m.on_digit('#', 300).status, KeyStatus::pending);  // prefix of "#8" only
  EXPECT_EQ(m.on_tick(2300).status, KeyStatus::no_match);      // pause: no key is just "#"
  EXPECT_EQ(m.on_digit('1', 2400).status, KeyStatus::matched);  // and the matcher is ready again
}

TEST(KeyMapMatcher, RolesHaveTheirOwnKeys) {
  KeyMapMatcher m(ambiguous_map(), room::Role::participant);
  KeyEvent e = m.on_digit('*', 0);  // no "*1" for participants: no wait
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::call_operator);
  m.on_digit('*', 0);  // would wait as moderator...
  m.set_role(room::Role::moderator);  // ...a role change resets
  EXPECT_EQ(m.pending_sequence(), "");
  KeyMapMatcher listener(ambiguous_map(), room::Role::listener);  // no keys at all
  EXPECT_EQ(listener.on_digit('1', 0).status, KeyStatus::no_match);
}

TEST(KeyMapMatcher, InviteCollectsTheNumberUntilHash) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  m.on_digit('#', 0);
  KeyEvent e = m.on_digit('8', 100);
  EXPECT_EQ(e.status, KeyStatus::number_started);
  EXPECT_EQ(e.action, KeyAction::invite);
  EXPECT_TRUE(m.collecting_number());
  for (char d : std::string_view("0301234")) EXPECT_EQ(m.on_digit(d, 200).status, KeyStatus::pending);
  e = m.on_digit('#', 300);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.action, KeyAction::invite);
  EXPECT_EQ(e.number, "0301234");
  EXPECT_FALSE(m.collecting_number());
}

TEST(KeyMapMatcher, InviteEndsOnAPauseAndCancelsOnStar) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  m.on_digit('#', 0);
  m.on_digit('8', 0);
  m.on_digit('5', 1000);
  m.on_digit('5', 2000);
  EXPECT_EQ(m.on_tick(5999).status, KeyStatus::idle);
  KeyEvent e = m.on_tick(6000);
  EXPECT_EQ(e.status, KeyStatus::matched);
  EXPECT_EQ(e.number, "55");

  m.on_digit('#', 7000);
  m.on_digit('8', 7000);
  m.on_digit('5', 7100);
  EXPECT_EQ(m.on_digit('*', 7200).status, KeyStatus::number_cancelled);
  m.on_digit('#', 8000);
  m.on_digit('8', 8000);
  EXPECT_EQ(m.on_tick(12'000).status, KeyStatus::number_cancelled);  // nothing typed
}

TEST(KeyMapMatcher, InviteNumberIsCappedAtMaxDigits) {
  KeyMapMatcher m(ambiguous_map(), room::Role::moderator);
  m.on_digit('#', 0);
  m.on_digit('8', 0);
  KeyEvent last;
  int matched = 0;
  for (int i = 0; i < 100; ++i) {
    KeyEvent e = m.on_digit('9', i);
    if (e.status == KeyStatus::matched) {
      ++matched;
      last = e;
    }
  }
  EXPECT_EQ(matched, 1);
  EXPECT_EQ(last.number.size(), kMaxDigits);
}

}  // namespace
}  // namespace libconf::ivr
