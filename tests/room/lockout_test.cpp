#include "libconf/room/lockout.hpp"

#include <gtest/gtest.h>

#include "libconf/error.hpp"

namespace libconf::room {

TEST(Lockout, LocksAfterMaxFailuresWithDoublingDelay) {
  LockoutTracker t({3, 30'000, 100'000, 3'600'000});
  std::int64_t now = 1'000;
  EXPECT_FALSE(t.record_failure("c", now).locked_until_ms);
  EXPECT_FALSE(t.record_failure("c", now).locked_until_ms);
  auto f = t.record_failure("c", now);
  ASSERT_TRUE(f.locked_until_ms);
  EXPECT_EQ(*f.locked_until_ms, now + 30'000);
  EXPECT_EQ(t.locked_until("c", now + 29'999), now + 30'000);
  EXPECT_FALSE(t.locked_until("c", now + 30'000));
  EXPECT_FALSE(t.locked_until("other", now));

  now += 30'000;  // second round: 60 s
  t.record_failure("c", now);
  t.record_failure("c", now);
  EXPECT_EQ(*t.record_failure("c", now).locked_until_ms, now + 60'000);
  now += 60'000;  // third round: 120 s capped at 100 s
  t.record_failure("c", now);
  t.record_failure("c", now);
  auto capped = t.record_failure("c", now);
  EXPECT_EQ(*capped.locked_until_ms, now + 100'000);
  EXPECT_EQ(capped.lockouts, 3);
}

TEST(Lockout, SuccessAndQuietTimeForget) {
  LockoutTracker t({2, 1'000, 8'000, 10'000});
  t.record_failure("c", 0);
  t.record_success("c");
  EXPECT_FALSE(t.record_failure("c", 1).locked_until_ms);  // count restarted
  EXPECT_TRUE(t.record_failure("c", 2).locked_until_ms);   // locked until 1002
  // Quiet for forget_after_ms after the lock-out ended: the next lock-out is base again.
  t.record_failure("c", 20'000);
  EXPECT_EQ(*t.record_failure("c", 20'000).locked_until_ms, 21'000);
}

TEST(Lockout, ManyRotatingKeysArePruned) {
  LockoutTracker t({3, 1'000, 1'000, 1'000});
  for (int i = 0; i < 30'000; ++i) t.record_failure("caller" + std::to_string(i), i * 10);
  EXPECT_LE(t.tracked_keys(), LockoutTracker::kPruneAbove + 200);
}

TEST(Lockout, PolicyValidationNamesTheField) {
  try {
    LockoutTracker t({0, 1, 1, 1});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("max_failures"), std::string::npos);
  }
  EXPECT_THROW(LockoutTracker({3, 10, 5, 1}), Error);
}

}  // namespace libconf::room
