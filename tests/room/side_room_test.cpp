#include "libconf/room/conference.hpp"

#include <gtest/gtest.h>

#include "room/conference_fixture.hpp"

namespace libconf::room::testing {

class SideRoomTest : public ConferenceTest {
 protected:
  void SetUp() override {
    make_room("main", 4);
    mod_ = join("main", "+100", "9999");
    a_ = join("main", "+1");
    b_ = join("main", "+2");
    conf_.drain_events();
  }
  ParticipantId mod_ = 0, a_ = 0, b_ = 0;
};

TEST_F(SideRoomTest, ModeratorMovesTwoIntoSeparee) {
  auto side = conf_.create_side_room(actor(mod_), "main", {a_, b_}, now_);
  ASSERT_TRUE(side);
  EXPECT_EQ(*side, "main/side-1");
  EXPECT_EQ(conf_.participant(a_)->room, "main/side-1");
  EXPECT_EQ(conf_.participant(a_)->home_room, "main");
  auto v = conf_.room("acme", "main/side-1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->parent, "main");
  EXPECT_EQ(v->members.size(), 2u);
  // Their seats stay reserved in the main room.
  EXPECT_EQ(conf_.room("acme", "main")->members.size(), 1u);
  EXPECT_EQ(conf_.room("acme", "main")->seats_taken, 3);
  auto opened = events_of<event::SideRoomOpened>();
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].members, (std::vector<ParticipantId>{a_, b_}));
}

TEST_F(SideRoomTest, ParticipantsCannotLeaveOrOpenSepareesThemselves) {
  auto side = *conf_.create_side_room(actor(mod_), "main", {a_, b_}, now_);
  EXPECT_EQ(conf_.move(actor(a_), a_, "main", now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.bring_back(actor(a_), side, now_).error(), errc::permission_denied);
  EXPECT_EQ(conf_.create_side_room(actor(a_), "main", {a_, b_}, now_).error(), errc::permission_denied);
  // Nobody dials into a séparée.
  EXPECT_EQ(conf_.admit({"acme", side, "+9", "1111", ""}, now_).error(), errc::not_found);
}

TEST_F(SideRoomTest, BringBackIntoAFullMainRoomUsesTheReservedSeats) {
  auto side = *conf_.create_side_room(actor(mod_), "main", {a_, b_}, now_);
  join("main", "+3");  // 4 of 4 seats: 2 present, 2 reserved
  EXPECT_EQ(admit("main", "+4", "1111").outcome, AdmitOutcome::route_to_operator);
  conf_.set_max_members(op(), "main", 2, now_).value();  // even lowered meanwhile
  conf_.drain_events();
  ASSERT_TRUE(conf_.bring_back(actor(mod_), side, now_ + 5'000));
  EXPECT_EQ(conf_.participant(a_)->room, "main");
  EXPECT_EQ(conf_.room("acme", "main")->members.size(), 4u);
  EXPECT_EQ(conf_.room("acme", side).error(), errc::not_found);
  EXPECT_EQ(events_of<event::SideRoomClosed>().size(), 1u);
}

TEST_F(SideRoomTest, ConsultationOfOneCallerWithTheModerator) {
  auto side = conf_.create_side_room(actor(mod_), "main", {mod_, a_}, now_);
  ASSERT_TRUE(side);
  EXPECT_EQ(conf_.participant(mod_)->room, *side);
  // The main room still counts its moderator (away in consultation).
  EXPECT_TRUE(conf_.room("acme", "main")->moderator_present);
  EXPECT_TRUE(conf_.check_listen_in(actor(mod_), "main", now_));
  ASSERT_TRUE(conf_.bring_back(actor(mod_), *side, now_));
  EXPECT_EQ(conf_.participant(mod_)->room, "main");
}

TEST_F(SideRoomTest, RejectsTooFewDuplicatesOrAbsentMembers) {
  EXPECT_EQ(conf_.create_side_room(actor(mod_), "main", {a_}, now_).error(), errc::invalid_argument);
  EXPECT_EQ(conf_.create_side_room(actor(mod_), "main", {a_, a_}, now_).error(), errc::invalid_argument);
  EXPECT_EQ(conf_.create_side_room(actor(mod_), "main", {a_, 777}, now_).error(), errc::not_found);
  EXPECT_EQ(conf_.create_side_room(actor(mod_), "nope", {a_, b_}, now_).error(), errc::not_found);
  EXPECT_EQ(conf_.participant(a_)->room, "main");
}

TEST_F(SideRoomTest, HangupInSideRoomFreesTheSeatAndLastOneClosesIt) {
  auto side = *conf_.create_side_room(actor(mod_), "main", {a_, b_}, now_);
  conf_.leave(a_, ExitReason::hangup, now_).value();
  EXPECT_EQ(conf_.room("acme", "main")->seats_taken, 2);
  conf_.leave(b_, ExitReason::hangup, now_).value();
  EXPECT_EQ(conf_.room("acme", side).error(), errc::not_found);
  EXPECT_EQ(conf_.room("acme", "main")->seats_taken, 1);
  // Side-room numbers are not reused.
  ParticipantId c = join("main", "+3");
  ParticipantId d = join("main", "+4");
  EXPECT_EQ(*conf_.create_side_room(actor(mod_), "main", {c, d}, now_), "main/side-2");
}

TEST_F(SideRoomTest, EndingTheMainRoomEndsItsSideRooms) {
  auto side = *conf_.create_side_room(actor(mod_), "main", {a_, b_}, now_);
  conf_.end_room(actor(mod_), "main", now_).value();
  EXPECT_EQ(conf_.participant_count("acme"), 0);
  EXPECT_EQ(conf_.room("acme", side).error(), errc::not_found);
  EXPECT_EQ(conf_.room("acme", "main")->seats_taken, 0);
}

}  // namespace libconf::room::testing
