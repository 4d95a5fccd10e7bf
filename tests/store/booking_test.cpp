// Bookings against every backend: the capacity rules, and two bookers racing
// for the last seats from two connections.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "libconf/room/conference.hpp"
#include "libconf/room/pin.hpp"
#include "store/backend.hpp"

namespace libconf::store::testing {

class BookingTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store().add_tenant({"acme", {30, 2}}).value();
    store().put_did({"+4990012345", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}).value();
    store().put_did({"+4980012345", "acme", DidTarget::menu, "", room::BillingMode::initiator_pays}).value();
  }
  static BookingRequest request(std::int64_t start_min, std::int64_t minutes, int people,
                                room::BillingMode billing = room::BillingMode::caller_pays) {
    return BookingRequest{"acme", "weekly", start_min * 60'000, minutes * 60'000, people, billing};
  }
};

TEST_P(BookingTest, ConfirmationCarriesDialInAndWorkingPins) {
  auto c = store().book(request(0, 60, 10, room::BillingMode::initiator_pays));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->dial_in, "+4980012345");
  EXPECT_EQ(c->room, "booking-" + std::to_string(c->id));
  EXPECT_EQ(c->participant_pin.size(), 6u);
  EXPECT_EQ(c->moderator_pin.size(), 8u);
  auto r = store().room("acme", c->room);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->config.max_members, 10);
  EXPECT_EQ(r->config.topic, "weekly");
  EXPECT_TRUE(room::verify_pin(r->config.participant_pin_hash, c->participant_pin));
  EXPECT_TRUE(room::verify_pin(r->config.moderator_pin_hash, c->moderator_pin));
  EXPECT_EQ(r->config.participant_pin_hash.find(c->participant_pin), std::string::npos);
  auto list = store().bookings("acme");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, c->id);
  EXPECT_EQ(list->front().room, c->room);
  EXPECT_EQ(list->front().dial_in, "+4980012345");
  EXPECT_EQ(list->front().billing, room::BillingMode::initiator_pays);
  EXPECT_EQ(list->front().participants, 10);
  EXPECT_EQ(list->front().duration_ms, 3'600'000);
  // Ids are unique and growing.
  auto second = store().book(request(0, 60, 1));
  ASSERT_TRUE(second);
  EXPECT_GT(second->id, c->id);
  EXPECT_EQ(second->dial_in, "+4990012345");
}

TEST_P(BookingTest, CapacityIsCheckedOverTheWholeInterval) {
  auto& s = store();
  ASSERT_TRUE(s.book(request(0, 60, 20)));
  // 20 of 30 seats used 0..60 min: 11 more do not fit, 10 do.
  EXPECT_EQ(s.book(request(30, 60, 11)).error(), errc::quota_exceeded);
  ASSERT_TRUE(s.book(request(30, 60, 10)));
  // Two rooms at once are the tenant's limit.
  EXPECT_EQ(s.book(request(45, 10, 1)).error(), errc::quota_exceeded);
  // Back to back is no overlap: 60..120 has only the second booking (10 seats).
  ASSERT_TRUE(s.book(request(90, 30, 20)));
  EXPECT_EQ(s.bookings("acme")->size(), 3u);
  EXPECT_EQ(s.book(request(0, 24 * 60, 1)).error(), errc::quota_exceeded);  // 2 rooms busy at 30..60
  ASSERT_TRUE(s.book(request(200, 60, 30)));
}

TEST_P(BookingTest, PeakNotSumOfOverlappingBookings) {
  ASSERT_TRUE(store().book(request(0, 60, 15)));
  ASSERT_TRUE(store().book(request(120, 60, 15)));
  // 0..180 overlaps both, but at no instant are more than 15 seats booked.
  EXPECT_TRUE(store().book(request(0, 180, 15)));
}

TEST_P(BookingTest, ABookingOfTheLongestLengthCountsToItsLastMinute) {
  ASSERT_TRUE(store().book(request(0, 24 * 60, 30)));  // all seats for a whole day
  EXPECT_EQ(store().book(request(24 * 60 - 1, 10, 1)).error(), errc::quota_exceeded);
  EXPECT_TRUE(store().book(request(24 * 60, 10, 30)));  // the minute after it ends
}

TEST_P(BookingTest, QuotaChangesApplyToTheNextBooking) {
  ASSERT_TRUE(store().book(request(0, 60, 30)));
  EXPECT_EQ(store().book(request(0, 60, 5)).error(), errc::quota_exceeded);
  ASSERT_TRUE(store().set_quota("acme", {35, 2}));
  EXPECT_TRUE(store().book(request(0, 60, 5)));
}

TEST_P(BookingTest, CancelFreesCapacityAndRoom) {
  auto& s = store();
  auto c = s.book(request(0, 60, 30));
  ASSERT_TRUE(c);
  EXPECT_EQ(s.book(request(0, 60, 1)).error(), errc::quota_exceeded);
  ASSERT_TRUE(s.cancel_booking("acme", c->id));
  EXPECT_EQ(s.room("acme", c->room).error(), errc::not_found);
  EXPECT_TRUE(s.book(request(0, 60, 30)));
  EXPECT_EQ(s.cancel_booking("acme", 9999).error(), errc::not_found);
  EXPECT_EQ(s.cancel_booking("other", c->id).error(), errc::not_found);
}

TEST_P(BookingTest, BadRequestsAreRefusedAndChangeNothing) {
  auto& s = store();
  EXPECT_THROW((void)s.book(request(0, 0, 5)), Error);
  EXPECT_THROW((void)s.book(request(0, 25 * 60, 5)), Error);
  EXPECT_THROW((void)s.book(request(0, 60, 0)), Error);
  EXPECT_THROW((void)s.book(request(-5, 60, 5)), Error);
  EXPECT_EQ(s.book({"ghost", "t", 0, 60'000, 1, room::BillingMode::caller_pays}).error(), errc::not_found);
  s.add_tenant({"nodid", {10, 1}}).value();
  EXPECT_EQ(s.book({"nodid", "t", 0, 60'000, 1, room::BillingMode::caller_pays}).error(), errc::not_found);
  EXPECT_TRUE(s.bookings("acme")->empty());
  EXPECT_TRUE(s.rooms("acme")->empty());
  EXPECT_TRUE(s.rooms("nodid")->empty());
}

TEST_P(BookingTest, TwoStoresOnOneDatabaseCannotOverbook) {
  auto other = backend_->open();
  ASSERT_TRUE(store().book(request(0, 60, 20)));
  EXPECT_EQ(other->book(request(0, 60, 11)).error(), errc::quota_exceeded);
  EXPECT_TRUE(other->book(request(0, 60, 10)));
}

// Two threads, each with its own store (its own connection), book at the same
// instant for a window where only one of them fits. Exactly one must win, every
// round; the loser is told quota_exceeded (not a store error).
TEST_P(BookingTest, TwoBookersRacingForTheLastSeatsNeverBothWin) {
  constexpr int kRounds = 100;
  auto a = backend_->open();
  auto b = backend_->open();
  std::atomic<int> ready{0};
  std::atomic<int> round_started{-1};
  Result<BookingConfirmation> results[2] = {errc::invalid_state, errc::invalid_state};
  auto booker = [&](Store* s, int who) {
    for (int round = 0; round < kRounds; ++round) {
      ready.fetch_add(1);
      while (round_started.load() < round) std::this_thread::yield();
      // 20 + 20 > 30 seats: only one fits in each round's own hour.
      results[who] = s->book(request(round * 60, 60, 20));
      ready.fetch_add(1);
      while (ready.load() < 4 * (round + 1)) std::this_thread::yield();
    }
  };
  int both_won = 0, none_won = 0;
  std::thread ta(booker, a.get(), 0), tb(booker, b.get(), 1);
  for (int round = 0; round < kRounds; ++round) {
    while (ready.load() < 4 * round + 2) std::this_thread::yield();
    round_started.store(round);
    while (ready.load() < 4 * round + 4) std::this_thread::yield();
    const bool wa = results[0].has_value(), wb = results[1].has_value();
    both_won += wa && wb;
    none_won += !wa && !wb;
    for (const auto& r : results) EXPECT_TRUE(r || r.error() == errc::quota_exceeded) << "round " << round;
  }
  ta.join();
  tb.join();
  EXPECT_EQ(both_won, 0);
  EXPECT_EQ(none_won, 0);
  EXPECT_EQ(store().bookings("acme")->size(), static_cast<std::size_t>(kRounds));
  EXPECT_EQ(store().rooms("acme")->size(), static_cast<std::size_t>(kRounds));
}

// The path a booked conference takes: the Store confirms a PIN, the host loads
// the booked room into the Conference model, a caller dials in with that PIN.
TEST_P(BookingTest, BookedRoomAdmitsCallersWithTheConfirmedPins) {
  auto c = store().book(request(0, 60, 2));
  ASSERT_TRUE(c);
  room::ConferenceOptions opts;
  opts.pin_hash = room::PinHashParams::minimum();
  room::Conference conf(opts);
  auto t = store().tenant("acme");
  ASSERT_TRUE(t);
  conf.create_tenant(t->name, t->quota, 0).value();
  const room::Actor op{"acme", room::Role::superuser, room::kConsole};
  const auto rooms = store().rooms("acme");
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

INSTANTIATE_TEST_SUITE_P(Store, BookingTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace libconf::store::testing
