// The owner check, compiled in whatever the build type.
#define LIBCONF_THREAD_CHECKS 1
#include "libconf/audio/thread_checker.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace libconf::audio::detail {
namespace {

bool checked_from_other_thread(const OwnerChecker& c) {
  bool ok = false;
  std::thread([&] { ok = c.is_owner(); }).join();
  return ok;
}

TEST(OwnerChecker, BindsToTheFirstThreadAndRefusesOthers) {
  OwnerChecker c;
  EXPECT_TRUE(c.is_owner());
  EXPECT_TRUE(c.is_owner());
  EXPECT_FALSE(checked_from_other_thread(c));
}

TEST(OwnerChecker, DetachHandsTheObjectOver) {
  OwnerChecker c;
  EXPECT_TRUE(c.is_owner());
  c.detach();
  EXPECT_TRUE(checked_from_other_thread(c));  // the other thread is the owner now
  EXPECT_FALSE(c.is_owner());
}

TEST(OwnerChecker, ASequenceOwnsItWhicheverThreadRunsIt) {
  OwnerChecker c;
  int worker_token = 0;
  {
    ScopedSequence s(&worker_token);
    EXPECT_TRUE(c.is_owner());
  }
  EXPECT_FALSE(c.is_owner());  // this thread outside the sequence is someone else
  bool ok = false;
  std::thread([&] {
    ScopedSequence s(&worker_token);
    ok = c.is_owner();
  }).join();
  EXPECT_TRUE(ok);
}

TEST(OwnerCheckerDeathTest, TheCheckAbortsNamingTheObject) {
  OwnerChecker owner_;
  EXPECT_TRUE(owner_.is_owner());
  EXPECT_DEATH(std::thread([&] { LIBCONF_DCHECK_OWNER(owner_); }).join(), "owner_ used outside its owning thread");
}

}  // namespace
}  // namespace libconf::audio::detail
