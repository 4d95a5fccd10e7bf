#include "libconf/ivr/caller_role.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "libconf/ivr/action.hpp"
#include "libconf/ivr/host_reply.hpp"

namespace libconf::ivr {

TEST(CallerRole, NamesRoundTripAndMatchTheRoomLayer) {
  const CallerRole all[] = {CallerRole::superuser, CallerRole::moderator, CallerRole::participant,
                            CallerRole::listener};
  const char* names[] = {"superuser", "moderator", "participant", "listener"};  // room::Role's names
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(to_string(all[i]), names[i]);
    EXPECT_EQ(caller_role_from_string(names[i]), all[i]);
  }
  EXPECT_FALSE(caller_role_from_string("Moderator"));
  EXPECT_FALSE(caller_role_from_string(""));
}

TEST(HostReply, FactoriesSetKindAndRole) {
  constexpr HostReply ok = HostReply::pin_ok(CallerRole::listener);
  static_assert(ok.kind == HostReply::Kind::pin_ok);
  EXPECT_EQ(ok.role, CallerRole::listener);
  EXPECT_EQ(HostReply::pin_wrong().kind, HostReply::Kind::pin_wrong);
  EXPECT_EQ(HostReply::recorded().kind, HostReply::Kind::recorded);
}

TEST(ExitReason, HasStableNames) {
  EXPECT_EQ(to_string(ExitReason::wrong_pin), "wrong_pin");
  EXPECT_EQ(to_string(ExitReason::no_input), "no_input");
  EXPECT_EQ(to_string(ExitReason::locked_out), "locked_out");
  // Actions are small values: a queue of them costs no heap.
  static_assert(std::is_trivially_copyable_v<CheckPin>);
  static_assert(sizeof(Action) <= 128);
}

}  // namespace libconf::ivr
