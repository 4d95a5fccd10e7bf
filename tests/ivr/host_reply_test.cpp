#include "libconf/ivr/host_reply.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "libconf/ivr/action.hpp"

namespace libconf::ivr {

TEST(HostReply, FactoriesSetKindAndRole) {
  constexpr HostReply ok = HostReply::pin_ok(room::Role::listener);
  static_assert(ok.kind == HostReply::Kind::pin_ok);
  EXPECT_EQ(ok.role, room::Role::listener);
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
