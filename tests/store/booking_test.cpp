#include <gtest/gtest.h>

#include "libconf/room/pin.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "store/temp_db.hpp"

namespace libconf::store::testing {

class BookingTest : public ::testing::Test {
 protected:
  BookingTest() : store_(tmp_.path(), cheap_options()) {
    store_.add_tenant({"acme", {30, 2}}).value();
    store_.put_did({"+4990012345", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}).value();
    store_.put_did({"+4980012345", "acme", DidTarget::menu, "", room::BillingMode::initiator_pays}).value();
  }
  BookingRequest request(std::int64_t start_min, std::int64_t minutes, int people,
                         room::BillingMode billing = room::BillingMode::caller_pays) {
    return BookingRequest{"acme", "weekly", start_min * 60'000, minutes * 60'000, people, billing};
  }
  TempDb tmp_;
  SqliteStore store_;
};

TEST_F(BookingTest, ConfirmationCarriesDialInAndWorkingPins) {
  auto c = store_.book(request(0, 60, 10, room::BillingMode::initiator_pays));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->dial_in, "+4980012345");
  EXPECT_EQ(c->room, "booking-" + std::to_string(c->id));
  EXPECT_EQ(c->participant_pin.size(), 6u);
  EXPECT_EQ(c->moderator_pin.size(), 8u);
  auto r = store_.room("acme", c->room);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->config.max_members, 10);
  EXPECT_EQ(r->config.topic, "weekly");
  EXPECT_TRUE(room::verify_pin(r->config.participant_pin_hash, c->participant_pin));
  EXPECT_TRUE(room::verify_pin(r->config.moderator_pin_hash, c->moderator_pin));
  EXPECT_EQ(r->config.participant_pin_hash.find(c->participant_pin), std::string::npos);
  EXPECT_EQ(store_.bookings("acme")->size(), 1u);
}

TEST_F(BookingTest, CapacityIsCheckedOverTheWholeInterval) {
  ASSERT_TRUE(store_.book(request(0, 60, 20)));
  // 20 of 30 seats used 0..60 min: 11 more do not fit, 10 do.
  EXPECT_EQ(store_.book(request(30, 60, 11)).error(), errc::quota_exceeded);
  ASSERT_TRUE(store_.book(request(30, 60, 10)));
  // Two rooms at once are the tenant's limit.
  EXPECT_EQ(store_.book(request(45, 10, 1)).error(), errc::quota_exceeded);
  // Back to back is no overlap: 60..120 has only the second booking (10 seats).
  ASSERT_TRUE(store_.book(request(90, 30, 20)));
  // Two bookings that do not overlap each other both overlapping a long request:
  // peak, not sum, counts (20 + 10 at 30..60, then 10 + 20 at 90..120).
  EXPECT_EQ(store_.bookings("acme")->size(), 3u);
  EXPECT_EQ(store_.book(request(0, 24 * 60, 1)).error(), errc::quota_exceeded);  // 2 rooms busy at 30..60
  ASSERT_TRUE(store_.book(request(200, 60, 30)));
}

TEST_F(BookingTest, PeakNotSumOfOverlappingBookings) {
  ASSERT_TRUE(store_.book(request(0, 60, 15)));
  ASSERT_TRUE(store_.book(request(120, 60, 15)));
  // 0..180 overlaps both, but at no instant are more than 15 seats booked.
  EXPECT_TRUE(store_.book(request(0, 180, 15)));
}

TEST_F(BookingTest, CancelFreesCapacityAndRoom) {
  auto c = store_.book(request(0, 60, 30));
  ASSERT_TRUE(c);
  EXPECT_EQ(store_.book(request(0, 60, 1)).error(), errc::quota_exceeded);
  ASSERT_TRUE(store_.cancel_booking("acme", c->id));
  EXPECT_EQ(store_.room("acme", c->room).error(), errc::not_found);
  EXPECT_TRUE(store_.book(request(0, 60, 30)));
  EXPECT_EQ(store_.cancel_booking("acme", 9999).error(), errc::not_found);
}

TEST_F(BookingTest, BadRequestsAreRefusedAndChangeNothing) {
  EXPECT_THROW((void)store_.book(request(0, 0, 5)), Error);
  EXPECT_THROW((void)store_.book(request(0, 25 * 60, 5)), Error);
  EXPECT_THROW((void)store_.book(request(0, 60, 0)), Error);
  EXPECT_THROW((void)store_.book(request(-5, 60, 5)), Error);
  EXPECT_EQ(store_.book({"ghost", "t", 0, 60'000, 1, room::BillingMode::caller_pays}).error(), errc::not_found);
  store_.add_tenant({"nodid", {10, 1}}).value();
  EXPECT_EQ(store_.book({"nodid", "t", 0, 60'000, 1, room::BillingMode::caller_pays}).error(), errc::not_found);
  EXPECT_TRUE(store_.bookings("acme")->empty());
  EXPECT_TRUE(store_.rooms("acme")->empty());
}

TEST_F(BookingTest, TwoStoresOnOneFileCannotOverbook) {
  SqliteStore other(tmp_.path(), cheap_options());
  ASSERT_TRUE(store_.book(request(0, 60, 20)));
  EXPECT_EQ(other.book(request(0, 60, 11)).error(), errc::quota_exceeded);
  EXPECT_TRUE(other.book(request(0, 60, 10)));
}

}  // namespace libconf::store::testing

#include "libconf/room/conference.hpp"

namespace libconf::store::testing {

// The path a booked conference takes: the Store confirms a PIN, the host loads
// the booked room into the Conference model, a caller dials in with that PIN.
TEST_F(BookingTest, BookedRoomAdmitsCallersWithTheConfirmedPins) {
  auto c = store_.book(request(0, 60, 2));
  ASSERT_TRUE(c);
  room::ConferenceOptions opts;
  opts.pin_hash = room::PinHashParams::minimum();
  room::Conference conf(opts);
  auto t = store_.tenant("acme");
  ASSERT_TRUE(t);
  conf.create_tenant(t->name, t->quota, 0).value();
  const room::Actor op{"acme", room::Role::superuser, room::kConsole};
  const auto rooms = store_.rooms("acme");
  ASSERT_TRUE(rooms);
  for (const auto& r : *rooms) conf.create_room(op, r.config, 0).value();

  auto wrong = conf.admit({"acme", c->room, "+1", "000000", ""}, 0);
  EXPECT_EQ(wrong->outcome, room::AdmitOutcome::wrong_pin);
  auto p = conf.admit({"acme", c->room, "+1", c->participant_pin, ""}, 0);
  EXPECT_EQ(p->outcome, room::AdmitOutcome::joined);
  EXPECT_EQ(p->role, room::Role::participant);
  auto m = conf.admit({"acme", c->room, "+2", c->moderator_pin, ""}, 0);
  EXPECT_EQ(m->role, room::Role::moderator);
  // The booked size is the room's size.
  auto third = conf.admit({"acme", c->room, "+3", c->participant_pin, ""}, 0);
  EXPECT_EQ(third->outcome, room::AdmitOutcome::route_to_operator);
  EXPECT_EQ(third->reason, errc::room_full);
}

}  // namespace libconf::store::testing
