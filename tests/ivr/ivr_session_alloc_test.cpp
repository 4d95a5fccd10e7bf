// Session inputs run on the engine worker: after start they allocate nothing.
#include "libconf/ivr/ivr_session.hpp"

#include <gtest/gtest.h>

#include "libconf/ivr/key_map_matcher.hpp"
#include "support/alloc_counter.hpp"

namespace libconf::ivr {
namespace {

TEST(IvrSessionAlloc, WholeCallsAllocateNothingAfterStart) {
  auto menu = Menu::builtin_default();  // configuration time: may allocate
  for (int call = 0; call < 50; ++call) {
    IvrSession s(menu);
    std::int64_t t = 0;
    (void)s.start(t);
    libconf::test::AllocationScope scope;
    std::size_t actions = 0;
    actions += s.on_prompt_done(t += 2000).size();
    actions += s.on_prompt_done(t += 2000).size();
    for (int tick = 0; tick < 600; ++tick) actions += s.on_tick(t += 20).size();  // a timeout and a replay
    actions += s.on_digit('4', t += 100).size();                                   // barge-in
    for (char d : std::string_view("711#99999999999999999999999999999999999999")) actions += s.on_digit(d, t += 100).size();
    actions += s.on_host_reply(HostReply::room_found(), t).size();
    actions += s.on_prompt_done(t += 2000).size();
    for (int wrong = 0; wrong < 2; ++wrong) {
      for (char d : std::string_view("0000#")) actions += s.on_digit(d, t += 100).size();
      actions += s.on_host_reply(HostReply::pin_wrong(), t).size();
      actions += s.on_prompt_done(t += 1000).size();
      actions += s.on_prompt_done(t += 1000).size();
    }
    for (char d : std::string_view("1234#")) actions += s.on_digit(d, t += 100).size();
    actions += s.on_host_reply(HostReply::pin_ok(room::Role::moderator), t).size();
    auto last = s.on_prompt_done(t += 1000);
    actions += last.size();
    EXPECT_EQ(scope.count(), 0u) << "call " << call;
    ASSERT_EQ(last.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<Join>(last[0]));
    EXPECT_EQ(std::get<Join>(last[0]).room, "4711");
    EXPECT_GT(actions, 10u);
  }
}

TEST(IvrSessionAlloc, KeyMapMatcherAllocatesNothing) {
  KeyMapMatcher m(KeyMap::builtin_default(), room::Role::moderator);
  libconf::test::AllocationScope scope;
  std::int64_t t = 0;
  int matched = 0;
  for (int i = 0; i < 1000; ++i) {
    for (char d : std::string_view("1*3*9")) matched += m.on_digit(d, t += 100).status == KeyStatus::matched;
    for (int tick = 0; tick < 100; ++tick) matched += m.on_tick(t += 20).status == KeyStatus::matched;
    for (char d : std::string_view("80301234#")) matched += m.on_digit(d, t += 100).status == KeyStatus::matched;
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_EQ(matched, 3000);  // "1", "*3", and the invite with its number
}

}  // namespace
}  // namespace libconf::ivr
