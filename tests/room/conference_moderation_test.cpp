#include "libconf/room/conference.hpp"

#include <gtest/gtest.h>

#include "libconf/error.hpp"
#include "room/conference_fixture.hpp"

namespace libconf::room::testing {

class ModerationTest : public ConferenceTest {
 protected:
  void SetUp() override {
    make_room("sales");
    make_room("support");
    mod_ = join("sales", "+100", "9999");
    a_ = join("sales", "+1");
    b_ = join("sales", "+2");
    conf_.drain_events();
  }
  ParticipantId mod_ = 0, a_ = 0, b_ = 0;
};

TEST_F(ModerationTest, ParticipantMutesItselfButNotOthers) {
  EXPECT_TRUE(conf_.set_muted(actor(a_), a_, true, now_));
  EXPECT_TRUE(conf_.participant(a_)->muted);
  EXPECT_TRUE(conf_.set_muted(actor(a_), a_, false, now_));
  EXPECT_EQ(conf_.set_muted(actor(a_), b_, true, now_).error(), errc::permission_denied);
  EXPECT_FALSE(conf_.participant(b_)->muted);
  auto denied = events_of<event::ActionDenied>();
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].action, Action::mute_other);
  EXPECT_EQ(denied[0].by, a_);
}

TEST_F(ModerationTest, ForgedActorIsRefused) {
  // Claiming to be moderator with a participant's id does not work.
  EXPECT_EQ(conf_.set_muted(Actor{"acme", Role::moderator, a_}, b_, true, now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.set_muted(Actor{"globex", Role::superuser, kConsole}, b_, true, now_).error(), errc::not_found);
}

TEST_F(ModerationTest, MuteAllSparesModerators) {
  EXPECT_TRUE(conf_.mute_all(actor(mod_), "sales", now_));
  EXPECT_TRUE(conf_.participant(a_)->muted);
  EXPECT_TRUE(conf_.participant(b_)->muted);
  EXPECT_FALSE(conf_.participant(mod_)->muted);
  auto all = events_of<event::MutedAll>();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].count, 2);
}

TEST_F(ModerationTest, ListenerCannotBeUnmuted) {
  auto l = conf_.admit_direct(actor(mod_), "sales", "+7", Role::listener, now_);
  ASSERT_TRUE(l);
  EXPECT_TRUE(conf_.participant(*l)->muted);
  EXPECT_EQ(conf_.set_muted(actor(mod_), *l, false, now_).error(), errc::invalid_state);
  EXPECT_EQ(conf_.set_muted(actor(*l), *l, false, now_).error(), errc::permission_denied);
}

TEST_F(ModerationTest, DeafKickAndReason) {
  EXPECT_TRUE(conf_.set_deaf(actor(mod_), a_, true, now_));
  EXPECT_TRUE(conf_.participant(a_)->deaf);
  EXPECT_TRUE(conf_.kick(actor(mod_), a_, "abusive", now_));
  EXPECT_EQ(conf_.participant(a_).error(), errc::not_found);
  auto left = events_of<event::Left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].reason, ExitReason::kicked);
  EXPECT_EQ(left[0].detail, "abusive");
  EXPECT_EQ(conf_.kick(actor(b_), mod_, "", now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.kick(actor(mod_), 4242, "", now_).error(), errc::not_found);
}

TEST_F(ModerationTest, ModeratorCannotActOnSuperuser) {
  auto su = conf_.admit_direct(op(), "sales", "op-console", Role::superuser, now_);
  ASSERT_TRUE(su);
  EXPECT_EQ(conf_.kick(actor(mod_), *su, "", now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.set_muted(actor(mod_), *su, true, now_).error(), errc::permission_denied);
  // Nor place someone above its own role.
  EXPECT_EQ(conf_.admit_direct(actor(mod_), "sales", "+8", Role::superuser, now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.admit_direct(actor(a_), "sales", "+8", Role::moderator, now_).error(), errc::permission_denied);
  EXPECT_TRUE(conf_.admit_direct(actor(a_), "sales", "+8", Role::participant, now_));  // participants invite
}

TEST_F(ModerationTest, MoveStaysInTheModeratorsRoomAndOnlyTheSuperuserOverfills) {
  conf_.set_max_members(op(), "support", 1, now_).value();
  // support is not the sales moderator's room: it may not send callers there.
  EXPECT_EQ(conf_.move(actor(mod_), a_, "support", now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.participant(a_)->room, "sales");
  EXPECT_TRUE(conf_.move(op(), a_, "support", now_));
  EXPECT_EQ(conf_.participant(a_)->room, "support");
  EXPECT_TRUE(conf_.move(op(), b_, "support", now_));  // the superuser may overfill
  EXPECT_EQ(conf_.room("acme", "support")->seats_taken, 2);
  EXPECT_EQ(conf_.room("acme", "sales")->seats_taken, 1);
  auto moved = events_of<event::Moved>();
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0].from, "sales");
  EXPECT_EQ(moved[0].to, "support");
  EXPECT_EQ(conf_.move(op(), a_, "nowhere", now_).error(), errc::not_found);
}

TEST_F(ModerationTest, MaxSizeIsTheSuperusersAndValidated) {
  EXPECT_EQ(conf_.set_max_members(actor(mod_), "sales", 100, now_).error(), errc::permission_denied);
  EXPECT_THROW((void)conf_.set_max_members(op(), "sales", 0, now_), Error);
  EXPECT_THROW((void)conf_.set_max_members(op(), "sales", kMaxRoomMembers + 1, now_), Error);
  EXPECT_TRUE(conf_.set_max_members(op(), "sales", 3, now_));
  EXPECT_EQ(conf_.room("acme", "sales")->max_members, 3);
}

TEST_F(ModerationTest, NamesSelfAndByModerator) {
  EXPECT_TRUE(conf_.set_name(actor(a_), a_, "Anna", now_));
  EXPECT_EQ(conf_.participant(a_)->name, "Anna");
  EXPECT_EQ(conf_.set_name(actor(a_), b_, "Bob", now_).error(), errc::permission_denied);
  EXPECT_TRUE(conf_.set_name(actor(mod_), b_, "Bob", now_));
  EXPECT_THROW((void)conf_.set_name(actor(mod_), b_, std::string(kMaxTextLength + 1, 'x'), now_), Error);
  EXPECT_EQ(conf_.participant(b_)->name, "Bob");
}

TEST_F(ModerationTest, ListenInForModeratorsWhisperForSuperuserOnly) {
  EXPECT_TRUE(conf_.check_listen_in(actor(mod_), "sales", now_));
  EXPECT_EQ(conf_.check_listen_in(actor(mod_), "support", now_).error(), errc::permission_denied);
  EXPECT_TRUE(conf_.check_listen_in(op(), "support", now_));
  EXPECT_EQ(conf_.check_listen_in(actor(a_), "sales", now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.check_whisper(actor(mod_), a_, now_).error(), errc::permission_denied);
  EXPECT_TRUE(conf_.check_whisper(op(), mod_, now_));
  auto w = events_of<event::WhisperGranted>();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].target, mod_);
}

TEST_F(ModerationTest, RosterListsNamesRolesAndTimeInRoom) {
  now_ = 61'000;
  ParticipantId late = join("sales", "+3");
  conf_.set_name(actor(late), late, "Late Larry", now_).value();
  auto roster = conf_.roster("acme", "sales");
  ASSERT_EQ(roster.size(), 4u);
  EXPECT_EQ(roster[0].id, mod_);
  EXPECT_EQ(roster[0].role, Role::moderator);
  EXPECT_EQ(roster[0].name, "+100");  // the caller ID until a name is set
  EXPECT_EQ(roster[3].name, "Late Larry");
  EXPECT_EQ(now_ - roster[0].joined_at_ms, 60'000);
  EXPECT_EQ(now_ - roster[3].room_since_ms, 0);
  EXPECT_TRUE(conf_.roster("acme", "nope").empty());
}

TEST_F(ModerationTest, EndRoomRemovesEveryone) {
  EXPECT_TRUE(conf_.end_room(actor(mod_), "sales", now_));
  EXPECT_EQ(conf_.participant_count("acme"), 0);
  EXPECT_TRUE(conf_.room("acme", "sales")->members.empty());
  EXPECT_EQ(events_of<event::RoomEnded>().size(), 1u);
}

TEST_F(ModerationTest, RemoveRoomOnlyWhenEmpty) {
  EXPECT_EQ(conf_.remove_room(op(), "sales", now_).error(), errc::invalid_state);
  EXPECT_TRUE(conf_.remove_room(op(), "support", now_));
  EXPECT_EQ(conf_.room("acme", "support").error(), errc::not_found);
}

TEST_F(ModerationTest, EveryOperationEmitsAnEvent) {
  auto count = [&] { return conf_.drain_events().size(); };
  EXPECT_TRUE(conf_.set_muted(actor(mod_), a_, true, now_));
  EXPECT_GE(count(), 1u);
  EXPECT_TRUE(conf_.set_deaf(actor(mod_), a_, true, now_));
  EXPECT_GE(count(), 1u);
  EXPECT_TRUE(conf_.set_locked(actor(mod_), "sales", true, now_));
  EXPECT_GE(count(), 1u);
  EXPECT_TRUE(conf_.set_name(actor(mod_), a_, "A", now_));
  EXPECT_GE(count(), 1u);
  EXPECT_TRUE(conf_.check_listen_in(actor(mod_), "sales", now_));
  EXPECT_GE(count(), 1u);
  EXPECT_TRUE(conf_.leave(b_, ExitReason::hangup, now_));
  EXPECT_GE(count(), 1u);
  for (const auto& e : std::vector<Event>{event::Joined{1, 2, "t", "r", "c", Role::listener, false}})
    EXPECT_EQ(event_name(e), "joined");
}

}  // namespace libconf::room::testing
