// Authority is per room: the moderator (or participant) of room alpha may act
// on alpha, its side rooms and overflow rooms, never on room beta of the same
// tenant; the superuser acts tenant-wide. Every action of the permission
// table is tried across rooms.
#include <gtest/gtest.h>

#include "libconf/room/conference.hpp"
#include "room/conference_fixture.hpp"

namespace libconf::room::testing {
namespace {

class AuthorityTest : public ConferenceTest {
 protected:
  void SetUp() override {
    make_room("alpha", 50, "1111", "9999");
    make_room("beta", 50, "2222", "8888");
    mod_a_ = join("alpha", "+100", "9999");
    part_a_ = join("alpha", "+101", "1111");
    mod_b_ = join("beta", "+200", "8888");
    part_b_ = join("beta", "+201", "2222");
    other_b_ = join("beta", "+202", "2222");
    ASSERT_TRUE(conf_.set_muted(op(), other_b_, true, now_));  // for unmute_other
    side_b_ = *conf_.create_side_room(op(), "beta", {other_b_, mod_b_}, now_);
    conf_.drain_events();
  }

  // Does `actor` get to perform `action` on room beta (or a participant in it)?
  Result<void> try_on_beta(const Actor& a, Action action) {
    auto v = [](auto r) -> Result<void> { return r ? Result<void>{} : Result<void>{r.error()}; };
    switch (action) {
      case Action::join:
      case Action::speak:
      case Action::mute_self:
      case Action::set_own_name:
      case Action::view_roster:
      case Action::play_prompt:
      case Action::record:
      case Action::manage_moderators:
      case Action::transfer:
        // No model operation of its own: the host asks before acting.
        return conf_.authorize(a, action, "beta", now_);
      case Action::invite: return v(conf_.admit_direct(a, "beta", "+999", Role::participant, now_));
      case Action::mute_other: return conf_.set_muted(a, part_b_, true, now_);
      case Action::unmute_other: return conf_.set_muted(a, other_b_, false, now_);
      case Action::mute_all: return conf_.mute_all(a, "beta", now_);
      case Action::deafen_other: return conf_.set_deaf(a, part_b_, true, now_);
      case Action::kick: return conf_.kick(a, part_b_, "", now_);
      case Action::move: {
        // Neither a caller of beta out, nor one of alpha into beta (skipping beta's PIN).
        auto out = conf_.move(a, part_b_, "alpha", now_);
        auto in = conf_.move(a, part_a_, "beta", now_);
        return !out ? out : in;
      }
      case Action::create_side_room: return v(conf_.create_side_room(a, "beta", {part_b_, mod_b_}, now_));
      case Action::bring_back: return conf_.bring_back(a, side_b_, now_);
      case Action::listen_in: {
        auto main = conf_.check_listen_in(a, "beta", now_);
        auto side = conf_.check_listen_in(a, side_b_, now_);
        return !main ? main : side;
      }
      case Action::whisper: return conf_.check_whisper(a, part_b_, now_);
      case Action::lock_room: return conf_.set_locked(a, "beta", true, now_);
      case Action::set_name: return conf_.set_name(a, part_b_, "renamed", now_);
      case Action::end_room: return conf_.end_room(a, "beta", now_);
      case Action::set_max_size: return conf_.set_max_members(a, "beta", 3, now_);
      case Action::create_room: return conf_.set_pin(a, "beta", PinKind::participant, "3333", now_);
      case Action::take_from_queue: return v(conf_.take_from_queue(a, now_));
    }
    return errc::invalid_state;
  }

  // Beta as SetUp left it.
  void expect_beta_untouched() {
    const auto b = conf_.room("acme", "beta");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->locked);
    EXPECT_EQ(b->max_members, 50);
    EXPECT_EQ(b->seats_taken, 3);
    const auto p = conf_.participant(part_b_);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->room, "beta");
    EXPECT_FALSE(p->muted);
    EXPECT_FALSE(p->deaf);
    EXPECT_EQ(p->name, "+201");
    EXPECT_TRUE(conf_.participant(other_b_)->muted);
    EXPECT_EQ(conf_.participant(other_b_)->room, side_b_);
    EXPECT_EQ(conf_.participant(part_a_)->room, "alpha");
    EXPECT_EQ(conf_.admit(AdmitRequest{"acme", "beta", "+300", "2222", ""}, now_)->outcome, AdmitOutcome::joined);
  }

  ParticipantId mod_a_ = 0, part_a_ = 0, mod_b_ = 0, part_b_ = 0, other_b_ = 0;
  std::string side_b_;
};

TEST_F(AuthorityTest, NoActionOfAlphasPeopleReachesBeta) {
  const Actor console_mod_a{"acme", Role::moderator, kConsole, "alpha"};
  const Actor console_mod_nowhere{"acme", Role::moderator, kConsole, ""};
  for (const Actor& a : {actor(mod_a_), actor(part_a_), console_mod_a, console_mod_nowhere}) {
    for (Action action : kAllActions) {
      SCOPED_TRACE(std::string(to_string(a.role)) + " " + std::to_string(a.id) + " " + std::string(to_string(action)));
      auto r = try_on_beta(a, action);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error(), errc::permission_denied);
      // Every refusal is reported.
      bool reported = false;
      for (const auto& e : conf_.drain_events())
        if (const auto* d = std::get_if<event::ActionDenied>(&e)) reported = reported || d->by == a.id;
      EXPECT_TRUE(reported);
    }
  }
  expect_beta_untouched();
}

TEST_F(AuthorityTest, TheSuperuserReachesEveryRoomOfTheTenant) {
  for (Action action : kAllActions) EXPECT_TRUE(conf_.authorize(op(), action, "beta", now_)) << to_string(action);
  EXPECT_TRUE(conf_.set_muted(op(), part_b_, true, now_));
  EXPECT_TRUE(conf_.check_listen_in(op(), side_b_, now_));
  EXPECT_TRUE(conf_.move(op(), part_a_, "beta", now_));
  EXPECT_TRUE(conf_.set_locked(op(), "beta", true, now_));
  EXPECT_TRUE(conf_.end_room(op(), "beta", now_));
  // Another tenant's rooms are not found, whatever the role.
  ASSERT_TRUE(conf_.create_tenant("globex", TenantQuota{}, now_));
  EXPECT_EQ(conf_.authorize(Actor{"globex", Role::superuser, kConsole}, Action::kick, "alpha", now_).error(),
            errc::not_found);
}

TEST_F(AuthorityTest, AModeratorsRoomIncludesItsSideRooms) {
  const Actor m = actor(mod_a_);
  EXPECT_TRUE(conf_.set_muted(m, part_a_, true, now_));
  EXPECT_TRUE(conf_.check_listen_in(m, "alpha", now_));
  auto side = conf_.create_side_room(m, "alpha", {part_a_, mod_a_}, now_);
  ASSERT_TRUE(side);
  EXPECT_TRUE(conf_.check_listen_in(m, *side, now_));
  EXPECT_TRUE(conf_.set_name(m, part_a_, "Anna", now_));  // in the side room, still alpha's
  EXPECT_TRUE(conf_.bring_back(m, *side, now_));
  // A participant of alpha invites into alpha (the table allows it), never elsewhere.
  EXPECT_TRUE(conf_.admit_direct(actor(part_a_), "alpha", "+103", Role::participant, now_));
  EXPECT_EQ(conf_.admit_direct(actor(part_a_), "beta", "+104", Role::participant, now_).error(),
            errc::permission_denied);
  // A console moderator's authority is the room the host authenticated it for.
  const Actor console{"acme", Role::moderator, kConsole, "alpha"};
  EXPECT_TRUE(conf_.set_muted(console, part_a_, false, now_));
  EXPECT_TRUE(conf_.set_locked(console, "alpha", true, now_));
}

TEST_F(AuthorityTest, OverflowRoomsBelongToTheRoomTheyRelieve) {
  RoomConfig c;
  c.name = "delta";
  c.max_members = 1;
  c.when_full = FullPolicy::overflow;
  ASSERT_TRUE(conf_.create_room(op(), c, now_));
  ASSERT_TRUE(conf_.set_pin(op(), "delta", PinKind::moderator, "7777", now_));
  const ParticipantId first = join("delta", "+500", "");
  const ParticipantId mod = join("delta", "+501", "7777");  // moderators always get in
  const auto over = conf_.admit(AdmitRequest{"acme", "delta", "+502", "", ""}, now_);
  ASSERT_TRUE(over);
  ASSERT_EQ(over->outcome, AdmitOutcome::overflow);
  EXPECT_EQ(over->room, "delta-2");
  EXPECT_TRUE(conf_.set_muted(actor(mod), over->participant, true, now_));
  EXPECT_TRUE(conf_.check_listen_in(actor(mod), "delta-2", now_));
  EXPECT_EQ(conf_.check_listen_in(actor(mod_a_), "delta-2", now_).error(), errc::permission_denied);
  EXPECT_TRUE(conf_.set_muted(actor(mod), first, true, now_));
}

}  // namespace
}  // namespace libconf::room::testing
