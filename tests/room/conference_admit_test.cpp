#include "libconf/room/conference.hpp"

#include <gtest/gtest.h>

#include "room/conference_fixture.hpp"

namespace libconf::room::testing {

TEST_F(ConferenceTest, PinDecidesTheRole) {
  make_room("sales");
  conf_.set_pin(op(), "sales", PinKind::listener, "5555", now_).value();
  auto p = admit("sales", "+491", "1111");
  EXPECT_EQ(p.outcome, AdmitOutcome::joined);
  EXPECT_EQ(p.role, Role::participant);
  auto m = admit("sales", "+492", "9999");
  EXPECT_EQ(m.role, Role::moderator);
  auto l = admit("sales", "+493", "5555");
  EXPECT_EQ(l.role, Role::listener);
  EXPECT_TRUE(conf_.participant(l.participant)->muted);
  EXPECT_EQ(conf_.participant_count("acme"), 3);
  EXPECT_EQ(conf_.room("acme", "sales")->members.size(), 3u);
}

TEST_F(ConferenceTest, EachRoleHasItsOwnPin) {
  make_room("sales");  // participant 1111, moderator 9999
  EXPECT_EQ(conf_.set_pin(op(), "sales", PinKind::moderator, "1111", now_).error(), errc::already_exists);
  EXPECT_EQ(conf_.set_pin(op(), "sales", PinKind::listener, "1111", now_).error(), errc::already_exists);
  EXPECT_EQ(conf_.set_pin(op(), "sales", PinKind::listener, "9999", now_).error(), errc::already_exists);
  EXPECT_EQ(conf_.set_pin(op(), "sales", PinKind::participant, "9999", now_).error(), errc::already_exists);
  // Nothing changed: 1111 still admits a participant, not a moderator.
  EXPECT_EQ(admit("sales", "+491", "1111").role, Role::participant);
  EXPECT_EQ(admit("sales", "+492", "9999").role, Role::moderator);
  // Setting a kind to its own PIN again, or to a new PIN, is fine.
  EXPECT_TRUE(conf_.set_pin(op(), "sales", PinKind::moderator, "9999", now_));
  EXPECT_TRUE(conf_.set_pin(op(), "sales", PinKind::moderator, "8888", now_));
  EXPECT_TRUE(conf_.set_pin(op(), "sales", PinKind::participant, "9999", now_));  // 9999 is free now
}

TEST_F(ConferenceTest, UnknownTenantOrRoomIsNotFoundAndCountsNothing) {
  make_room("sales");
  EXPECT_EQ(conf_.admit({"nope", "sales", "+1", "1111", ""}, now_).error(), errc::not_found);
  EXPECT_EQ(conf_.admit({"acme", "x'); DROP TABLE rooms;--", "+1", "1111", ""}, now_).error(), errc::not_found);
  EXPECT_EQ(conf_.participant_count("acme"), 0);
  EXPECT_EQ(conf_.rooms("acme").size(), 1u);
}

TEST_F(ConferenceTest, WrongPinsLockTheCallerOutWithGrowingDelay) {
  make_room("sales");
  conf_.drain_events();
  EXPECT_EQ(admit("sales", "+49666", "0000").outcome, AdmitOutcome::wrong_pin);
  EXPECT_EQ(admit("sales", "+49666", "").outcome, AdmitOutcome::wrong_pin);  // a missing PIN counts too
  auto third = admit("sales", "+49666", "0001");
  EXPECT_EQ(third.outcome, AdmitOutcome::locked_out);
  EXPECT_EQ(third.retry_at_ms, now_ + 30'000);
  auto rejected = conf_.drain_events();
  int pin_rejected = 0, locked = 0;
  for (const auto& e : rejected) {
    if (std::holds_alternative<event::PinRejected>(e)) ++pin_rejected;
    if (auto* l = std::get_if<event::LockedOut>(&e)) {
      ++locked;
      EXPECT_FALSE(l->room_wide);
      EXPECT_EQ(l->caller_id, "+49666");
    }
  }
  EXPECT_EQ(pin_rejected, 3);
  EXPECT_EQ(locked, 1);
  // Even the right PIN is refused while locked out, and does not join.
  EXPECT_EQ(admit("sales", "+49666", "1111").outcome, AdmitOutcome::locked_out);
  EXPECT_EQ(conf_.participant_count("acme"), 0);
  // Another caller is unaffected.
  EXPECT_EQ(admit("sales", "+49777", "1111").outcome, AdmitOutcome::joined);
  // After the delay: three more failures lock for 60 s.
  now_ += 30'000;
  admit("sales", "+49666", "0000");
  admit("sales", "+49666", "0000");
  EXPECT_EQ(admit("sales", "+49666", "0000").retry_at_ms, now_ + 60'000);
  now_ += 60'000;
  EXPECT_EQ(admit("sales", "+49666", "1111").outcome, AdmitOutcome::joined);
}

// Strangers rotating caller IDs used to lock the whole room after 20 wrong
// PINs, refusing the right participant and moderator PINs for a minute and
// more. Now they only slow PIN checks down: those who know the PIN get in.
TEST_F(ConferenceTest, StrangersGuessingSlowThePinButCannotLockOutThoseWhoKnowIt) {
  make_room("sales");  // participant 1111, moderator 9999
  for (int i = 0; i < 20; ++i) EXPECT_EQ(admit("sales", "+3300" + std::to_string(i), "0000").outcome, AdmitOutcome::wrong_pin);
  conf_.drain_events();
  // The next checks get slots 3 s apart; each caller waits for its slot and is admitted.
  auto who = [&](const std::string& caller, const std::string& pin) {
    auto s = conf_.begin_admit(AdmitRequest{"acme", "sales", caller, pin, ""}, now_);
    EXPECT_TRUE(s && s->check);
    return *s->check;
  };
  const PinCheck participant = who("+4400", "1111");
  const PinCheck moderator = who("+4401", "9999");
  EXPECT_EQ(participant.not_before_ms, now_);
  EXPECT_EQ(moderator.not_before_ms, now_ + 3'000);
  EXPECT_EQ(events_of<event::PinThrottled>().size(), 1u);  // the moderator waits 3 s
  auto p = conf_.finish_admit(participant.id, verify_pin_check(participant), participant.not_before_ms);
  auto m = conf_.finish_admit(moderator.id, verify_pin_check(moderator), moderator.not_before_ms);
  ASSERT_TRUE(p && m);
  EXPECT_EQ(p->outcome, AdmitOutcome::joined);
  EXPECT_EQ(p->role, Role::participant);
  EXPECT_EQ(m->outcome, AdmitOutcome::joined);
  EXPECT_EQ(m->role, Role::moderator);
  // A synchronous admit cannot wait: it is told when its slot comes, not refused for a minute.
  auto sync = admit("sales", "+4402", "1111");
  EXPECT_EQ(sync.outcome, AdmitOutcome::locked_out);
  EXPECT_LE(sync.retry_at_ms, now_ + 3'000 * 3);
  now_ = sync.retry_at_ms;
  EXPECT_EQ(admit("sales", "+4402", "1111").outcome, AdmitOutcome::joined);
}

// 100 callers with the right PIN at once (a big conference at its start):
// a room verifies 8 checks at a time, the others wait their turn and are not
// slowed by a throttle; 100 strangers guessing at once get 20 free guesses
// and then wait for spaced slots.
TEST_F(ConferenceTest, ParallelChecksOfOneRoomWaitTheirTurn) {
  make_room("sales", 200);
  auto run = [&](const std::string& prefix, const std::string& pin) {
    std::vector<PinCheck> ready;
    std::size_t waiting = 0;
    for (int i = 0; i < 100; ++i) {
      auto s = conf_.begin_admit(AdmitRequest{"acme", "sales", prefix + std::to_string(i), pin, ""}, now_);
      EXPECT_TRUE(s && !s->decision);
      if (s->check) {
        ready.push_back(*s->check);
      } else {
        ++waiting;
      }
    }
    EXPECT_EQ(ready.size(), 8u);
    EXPECT_EQ(waiting, 92u);
    std::vector<AdmitDecision> out;
    std::int64_t latest = now_;
    while (!ready.empty()) {
      PinCheck c = ready.front();
      ready.erase(ready.begin());
      latest = std::max(latest, c.not_before_ms);
      out.push_back(*conf_.finish_admit(c.id, verify_pin_check(c), c.not_before_ms));
      for (auto& r : conf_.take_ready_checks()) ready.push_back(r);
    }
    EXPECT_EQ(out.size(), 100u);
    EXPECT_EQ(conf_.pending_pin_checks(), 0u);
    return std::make_pair(out, latest);
  };
  const auto [right, right_latest] = run("+49171", "1111");
  for (const auto& d : right) EXPECT_EQ(d.outcome, AdmitOutcome::joined);
  EXPECT_EQ(right_latest, now_);  // nobody waited for a slot
  const auto [wrong, wrong_latest] = run("+49999", "0000");
  for (const auto& d : wrong) EXPECT_EQ(d.outcome, AdmitOutcome::wrong_pin);
  EXPECT_GE(wrong_latest, now_ + 60'000);  // 80 spaced guesses after the free 20
}

// Brute force stays as slow as the old room lock-out (20 wrong PINs -> 60 s,
// doubling to 1 h): an attacker who guesses as fast as allowed for a day gets
// no more guesses than under the lock-out, give or take one burst of 20.
TEST(PinThrottle, GuessRateMatchesTheOldRoomLockOutOverADay) {
  constexpr std::int64_t kDay = 24 * 3'600'000;
  for (const std::int64_t horizon : std::initializer_list<std::int64_t>{60'000, 600'000, 3'600'000, 4 * 3'600'000, kDay}) {
    LockoutTracker o(LockoutPolicy{20, 60'000, 3'600'000, 3'600'000});
    PinThrottle n(ConferenceOptions{}.room_throttle);
    int old_guesses = 0, new_guesses = 0;
    for (std::int64_t t = 0; t < horizon;) {
      if (auto until = o.locked_until("r", t)) {
        t = *until;
        continue;
      }
      (void)o.record_failure("r", t);
      ++old_guesses;
    }
    for (std::int64_t t = 0; t < horizon;) {
      t = std::max(t, n.next_slot_ms("r", t));
      if (t >= horizon) break;
      const auto r = n.reserve("r", t);
      ASSERT_EQ(r.kind, PinThrottle::Reservation::Kind::granted);
      n.record_result("r", true, r.slot.at_ms);
      ++new_guesses;
    }
    EXPECT_LE(new_guesses, old_guesses + 20) << "within " << horizon / 1000 << " s";
    EXPECT_GE(new_guesses, old_guesses - 20) << "within " << horizon / 1000 << " s";
  }
}

TEST_F(ConferenceTest, HostilePinInputIsAWrongPin) {
  make_room("sales");
  EXPECT_EQ(admit("sales", "+1", std::string(100'000, '1')).outcome, AdmitOutcome::wrong_pin);
  EXPECT_EQ(admit("sales", "+2", "1111' OR '1'='1").outcome, AdmitOutcome::wrong_pin);
  EXPECT_EQ(conf_.participant_count("acme"), 0);
}

TEST_F(ConferenceTest, OpenRoomAdmitsWithoutPinButDigitsMustMatch) {
  make_room("open", 10, "", "9999");
  EXPECT_EQ(admit("open", "+1", "").outcome, AdmitOutcome::joined);
  EXPECT_EQ(admit("open", "+2", "1234").outcome, AdmitOutcome::wrong_pin);
  EXPECT_EQ(admit("open", "+3", "9999").role, Role::moderator);
}

TEST_F(ConferenceTest, AclDeniesBeforeAnyPinIsTried) {
  make_room("sales");
  Acl acl;
  acl.allow = {"+49*", "sip:*@acme.example"};
  acl.deny = {"+49170*"};
  conf_.set_acl(op(), "sales", acl, now_).value();
  conf_.drain_events();
  EXPECT_EQ(admit("sales", "+33123", "1111").outcome, AdmitOutcome::denied);
  EXPECT_EQ(admit("sales", "+4917012", "1111").outcome, AdmitOutcome::denied);
  EXPECT_EQ(admit("sales", "sip:bob@ACME.example", "1111").outcome, AdmitOutcome::joined);
  EXPECT_EQ(events_of<event::AccessDenied>().size(), 2u);
}

TEST_F(ConferenceTest, FullRoomRoutesToOperatorQueueFifo) {
  make_room("small", 2);
  join("small", "+1");
  join("small", "+2");
  now_ = 5'000;
  auto d3 = admit("small", "+3", "1111");
  EXPECT_EQ(d3.outcome, AdmitOutcome::route_to_operator);
  EXPECT_EQ(d3.reason, errc::room_full);
  now_ = 6'000;
  auto d4 = admit("small", "+4", "1111");
  // Moderators always get in.
  EXPECT_EQ(admit("small", "+5", "9999").outcome, AdmitOutcome::joined);
  ASSERT_EQ(conf_.queue("acme").size(), 2u);
  now_ = 20'000;
  auto first = conf_.take_from_queue(op(), now_);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->ticket, d3.queue_ticket);
  EXPECT_EQ(first->caller_id, "+3");
  EXPECT_EQ(first->waited_ms, 15'000);
  EXPECT_TRUE(conf_.abandon_queue(d4.queue_ticket, now_));
  EXPECT_EQ(conf_.take_from_queue(op(), now_).error(), errc::not_found);
  // A moderator may not answer the operator queue.
  ParticipantId mod = conf_.room("acme", "small")->members.back();
  EXPECT_EQ(conf_.take_from_queue(actor(mod), now_).error(), errc::permission_denied);
  // The operator raises the limit live and places the caller itself.
  conf_.set_max_members(op(), "small", 4, now_).value();
  auto placed = conf_.admit_direct(op(), "small", first->caller_id, Role::participant, now_);
  ASSERT_TRUE(placed);
  EXPECT_EQ(conf_.room("acme", "small")->seats_taken, 4);
}

TEST_F(ConferenceTest, FullRoomWithOverflowPolicyOpensNumberedRoomsOnSameTopic) {
  RoomConfig c;
  c.name = "town-hall";
  c.topic = "budget";
  c.max_members = 2;
  c.when_full = FullPolicy::overflow;
  conf_.create_room(op(), c, now_).value();
  join("town-hall", "+1", "");
  join("town-hall", "+2", "");
  conf_.drain_events();
  auto d = admit("town-hall", "+3", "");
  EXPECT_EQ(d.outcome, AdmitOutcome::overflow);
  EXPECT_EQ(d.room, "town-hall-2");
  auto opened = events_of<event::OverflowOpened>();
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].overflow_room, "town-hall-2");
  auto v = conf_.room("acme", "town-hall-2");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->topic, "budget");
  EXPECT_EQ(v->overflow_of, "town-hall");
  join("town-hall", "+4", "");
  EXPECT_EQ(admit("town-hall", "+5", "").room, "town-hall-3");
  // The overflow room disappears when its last member leaves.
  conf_.leave(d.participant, ExitReason::hangup, now_).value();
  EXPECT_TRUE(conf_.room("acme", "town-hall-2"));
  auto p4 = conf_.room("acme", "town-hall-2")->members.front();
  conf_.leave(p4, ExitReason::hangup, now_).value();
  EXPECT_EQ(conf_.room("acme", "town-hall-2").error(), errc::not_found);
}

TEST_F(ConferenceTest, OverflowStopsAtTheRoomQuota) {
  conf_.set_quota("acme", TenantQuota{100, 2}, now_).value();
  RoomConfig c;
  c.name = "r";
  c.max_members = 1;
  c.when_full = FullPolicy::overflow;
  conf_.create_room(op(), c, now_).value();
  join("r", "+1", "");
  EXPECT_EQ(admit("r", "+2", "").room, "r-2");
  auto d = admit("r", "+3", "");
  EXPECT_EQ(d.outcome, AdmitOutcome::route_to_operator);
  EXPECT_EQ(d.reason, errc::room_full);
  RoomConfig other;
  other.name = "other";
  EXPECT_EQ(conf_.create_room(op(), other, now_).error(), errc::quota_exceeded);
}

TEST_F(ConferenceTest, TenantParticipantQuotaIsEnforced) {
  conf_.set_quota("acme", TenantQuota{2, 10}, now_).value();
  make_room("a");
  make_room("b");
  join("a", "+1");
  join("b", "+2");
  auto d = admit("a", "+3", "1111");
  EXPECT_EQ(d.outcome, AdmitOutcome::route_to_operator);
  EXPECT_EQ(d.reason, errc::quota_exceeded);
  EXPECT_EQ(conf_.admit_direct(op(), "a", "+4", Role::participant, now_).error(), errc::quota_exceeded);
  EXPECT_EQ(conf_.participant_count("acme"), 2);
  // Tenants are separate.
  conf_.create_tenant("globex", TenantQuota{5, 5}, now_).value();
  Actor gop{"globex", Role::superuser, kConsole};
  RoomConfig g;
  g.name = "a";
  conf_.create_room(gop, g, now_).value();
  EXPECT_EQ(conf_.admit({"globex", "a", "+9", "", ""}, now_)->outcome, AdmitOutcome::joined);
}

TEST_F(ConferenceTest, LockedRoomSendsCallersToOperatorButLetsModeratorsIn) {
  make_room("sales");
  ParticipantId mod = join("sales", "+1", "9999");
  conf_.set_locked(actor(mod), "sales", true, now_).value();
  auto d = admit("sales", "+2", "1111");
  EXPECT_EQ(d.outcome, AdmitOutcome::route_to_operator);
  EXPECT_EQ(d.reason, errc::room_locked);
  EXPECT_EQ(admit("sales", "+3", "9999").outcome, AdmitOutcome::joined);
  EXPECT_EQ(conf_.admit_direct(actor(mod), "sales", "+4", Role::participant, now_).error(), errc::room_locked);
  conf_.set_locked(actor(mod), "sales", false, now_).value();
  EXPECT_EQ(admit("sales", "+2", "1111").outcome, AdmitOutcome::joined);
}

TEST_F(ConferenceTest, WaitForModeratorHoldsCallersUntilOneJoins) {
  RoomConfig c;
  c.name = "board";
  c.wait_for_moderator = true;
  conf_.create_room(op(), c, now_).value();
  conf_.set_pin(op(), "board", PinKind::moderator, "9999", now_).value();
  auto a = admit("board", "+1", "");
  EXPECT_EQ(a.outcome, AdmitOutcome::wait_for_moderator);
  auto b = admit("board", "+2", "");
  EXPECT_TRUE(conf_.participant(b.participant)->waiting);
  conf_.drain_events();
  auto m = admit("board", "+3", "9999");
  EXPECT_EQ(m.outcome, AdmitOutcome::joined);
  EXPECT_EQ(events_of<event::Released>().size(), 2u);
  EXPECT_FALSE(conf_.participant(a.participant)->waiting);
  EXPECT_EQ(admit("board", "+4", "").outcome, AdmitOutcome::joined);
}

TEST_F(ConferenceTest, RoomEndsAfterGraceWhenLastModeratorLeaves) {
  RoomConfig c;
  c.name = "class";
  c.end_with_last_moderator = true;
  c.end_grace_ms = 10'000;
  conf_.create_room(op(), c, now_).value();
  conf_.set_pin(op(), "class", PinKind::moderator, "9999", now_).value();
  ParticipantId m = join("class", "+1", "9999");
  ParticipantId p = join("class", "+2", "");
  conf_.leave(m, ExitReason::hangup, now_).value();
  EXPECT_EQ(conf_.room("acme", "class")->ends_at_ms, now_ + 10'000);
  conf_.tick(now_ + 9'999);
  EXPECT_TRUE(conf_.participant(p));
  conf_.drain_events();
  conf_.tick(now_ + 10'000);
  EXPECT_EQ(conf_.participant(p).error(), errc::not_found);
  auto left = events_of<event::Left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].reason, ExitReason::room_ended);
  EXPECT_EQ(conf_.participant_count("acme"), 0);
}

TEST_F(ConferenceTest, ReturningModeratorCancelsTheEnd) {
  RoomConfig c;
  c.name = "class";
  c.end_with_last_moderator = true;
  c.end_grace_ms = 10'000;
  conf_.create_room(op(), c, now_).value();
  conf_.set_pin(op(), "class", PinKind::moderator, "9999", now_).value();
  ParticipantId m = join("class", "+1", "9999");
  ParticipantId p = join("class", "+2", "");
  conf_.leave(m, ExitReason::hangup, now_).value();
  join("class", "+1", "9999");
  EXPECT_FALSE(conf_.room("acme", "class")->ends_at_ms);
  conf_.tick(now_ + 60'000);
  EXPECT_TRUE(conf_.participant(p));
}

}  // namespace libconf::room::testing
