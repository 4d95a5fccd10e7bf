#include "libconf/room/pin_throttle.hpp"

#include <gtest/gtest.h>

#include "libconf/error.hpp"

namespace libconf::room {
namespace {

using Kind = PinThrottle::Reservation::Kind;

PinThrottlePolicy policy() { return PinThrottlePolicy{3, 1'000, 8'000, 60'000, 5'000, 4}; }

// n wrong PINs, each as soon as the throttle lets it run (from `at` on).
void fail(PinThrottle& t, int n, std::int64_t at) {
  for (int i = 0; i < n; ++i) {
    const auto r = t.reserve("r", t.next_slot_ms("r", at));
    ASSERT_EQ(r.kind, Kind::granted);
    t.record_result("r", true, r.slot.at_ms);
  }
}

TEST(PinThrottle, FreeUntilTheFailuresThenSpacedAndDoubling) {
  PinThrottle t(policy());
  fail(t, 2, 0);
  EXPECT_EQ(t.spacing_ms("r", 0), 0);
  fail(t, 1, 0);
  EXPECT_EQ(t.spacing_ms("r", 0), 1'000);
  EXPECT_EQ(t.reserve("r", 0).slot.at_ms, 0);
  EXPECT_EQ(t.reserve("r", 0).slot.at_ms, 1'000);
  EXPECT_EQ(t.reserve("r", 0).slot.at_ms, 2'000);
  t.record_result("r", true, 0);
  t.record_result("r", true, 0);
  t.record_result("r", true, 0);  // 6 failures: level 2, 2 s apart
  EXPECT_EQ(t.spacing_ms("r", 0), 2'000);
  fail(t, 6, 3'000);  // 12 failures: level 4, 8 s apart (the cap)
  EXPECT_EQ(t.spacing_ms("r", 0), 8'000);
}

TEST(PinThrottle, AtMostMaxInFlightChecksRunAtOnce) {
  PinThrottle t(policy());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(t.reserve("r", 0).kind, Kind::granted);
  EXPECT_EQ(t.reserve("r", 0).kind, Kind::busy);
  EXPECT_EQ(t.reserve("other", 0).kind, Kind::granted);  // per key
  t.record_result("r", false, 0);
  EXPECT_EQ(t.reserve("r", 0).kind, Kind::granted);
}

TEST(PinThrottle, AWaitBeyondTheLimitIsTooFarUnlessTheCheckAlreadyQueued) {
  PinThrottle t(policy());
  fail(t, 6, 0);  // 2 s apart now; the next slot is at 3 s
  int granted = 0;
  PinThrottle::Reservation r;
  while ((r = t.reserve("r", 0)).kind == Kind::granted) {
    ++granted;
    t.record_result("r", false, r.slot.at_ms);  // right PINs: the level stays
  }
  EXPECT_EQ(r.kind, Kind::too_far);
  EXPECT_EQ(granted, 2);  // slots at 3 s and 5 s; the next at 7 s is beyond the 5 s wait
  EXPECT_EQ(r.retry_at_ms, 7'000 - 5'000);
  EXPECT_EQ(t.reserve("r", r.retry_at_ms).kind, Kind::granted);
  EXPECT_EQ(t.reserve("r", 0, true).kind, Kind::granted);  // a queued check is not turned away
}

TEST(PinThrottle, GivingUpHandsBackOnlyTheLastSlot) {
  PinThrottle t(policy());
  fail(t, 3, 0);  // 1 s apart
  const auto a = t.reserve("r", 0).slot;  // at 0
  const auto b = t.reserve("r", 0).slot;  // at 1000
  t.release("r", a);                      // not the last: its slot stays unused
  EXPECT_EQ(t.reserve("r", 0).slot.at_ms, 2'000);
  const auto d = t.reserve("r", 0).slot;  // at 3000
  t.release("r", d);                      // the last: handed back
  EXPECT_EQ(t.reserve("r", 0).slot.at_ms, d.at_ms);
  (void)b;
}

TEST(PinThrottle, QuietRoomsAreForgivenAndKeysBounded) {
  PinThrottle t(policy());
  fail(t, 6, 0);
  EXPECT_GT(t.spacing_ms("r", 0), 0);
  EXPECT_GT(t.spacing_ms("r", 60'000), 0);  // the last failure was at 2 s
  EXPECT_EQ(t.spacing_ms("r", 62'000), 0);
  EXPECT_EQ(t.reserve("r", 70'000).slot.at_ms, 70'000);
  for (int i = 0; i < 12'000; ++i) {
    const std::string key = "room-" + std::to_string(i);
    const auto r = t.reserve(key, i);
    t.record_result(key, true, r.slot.at_ms);
  }
  (void)t.reserve("late", 10'000'000);
  EXPECT_LE(t.tracked_keys(), PinThrottle::kPruneAbove + 1);
}

TEST(PinThrottle, PolicyIsValidatedNamingTheField) {
  auto bad = policy();
  bad.max_wait_ms = 10;
  try {
    PinThrottle t(bad);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("max_wait_ms"), std::string::npos);
  }
  bad = policy();
  bad.max_in_flight = 0;
  EXPECT_THROW(PinThrottle{bad}, Error);
}

}  // namespace
}  // namespace libconf::room
