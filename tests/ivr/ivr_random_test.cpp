// Hostile and random input: sessions survive any sequence of inputs, and the
// parsers answer any byte string with a value or a libconf::Error, never a crash.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/ivr_session.hpp"
#include "libconf/ivr/key_map.hpp"
#include "support/alloc_counter.hpp"

namespace libconf::ivr {
namespace {

TEST(IvrRandom, SessionsSurviveAnyInputSequence) {
  std::mt19937 rng(20261123);
  const std::string_view symbols = "0123456789*#ABCDx";
  const HostReply replies[] = {HostReply::room_found(), HostReply::room_unknown(),
                               HostReply::pin_ok(room::Role::moderator), HostReply::pin_wrong(),
                               HostReply::locked_out(), HostReply::recorded()};
  auto menu = Menu::builtin_default();
  int finished = 0;
  for (int call = 0; call < 300; ++call) {
    IvrSession s(menu);
    std::int64_t t = 0;
    (void)s.start(t);
    libconf::test::AllocationScope scope;
    for (int step = 0; step < 400 && !s.finished(); ++step) {
      t += std::uniform_int_distribution<int>(0, 3000)(rng);
      std::span<const Action> out;
      switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
        case 0: out = s.on_digit(symbols[std::uniform_int_distribution<std::size_t>(0, symbols.size() - 1)(rng)], t); break;
        case 1: out = s.on_prompt_done(t); break;
        case 2: out = s.on_tick(t); break;
        default: out = s.on_host_reply(replies[std::uniform_int_distribution<int>(0, 5)(rng)], t); break;
      }
      ASSERT_LE(out.size(), IvrSession::kMaxActionsPerInput);
      EXPECT_LE(s.entry().size(), 8u);  // the default menu's max_digits
      for (const Action& a : out) {
        if (std::holds_alternative<Join>(a) || std::holds_alternative<RouteToOperator>(a) ||
            std::holds_alternative<Hangup>(a)) {
          EXPECT_TRUE(s.finished());
        }
      }
    }
    EXPECT_EQ(scope.count(), 0u);
    if (s.finished()) {
      ++finished;
      EXPECT_TRUE(s.on_digit('1', t).empty());
      EXPECT_TRUE(s.on_tick(t + 100'000).empty());
    }
  }
  EXPECT_GT(finished, 0);
}

TEST(IvrRandom, ParsersRejectGarbageWithAnError) {
  std::mt19937 rng(7);
  const std::string valid(Menu::builtin_default_json());
  int rejected = 0;
  for (int i = 0; i < 300; ++i) {
    std::string text = valid;
    // Mutate a few bytes of a valid file: most become invalid in some field.
    for (int k = 0; k < 3; ++k) {
      text[std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng)] =
          static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    try {
      (void)Menu::parse(text, "fuzz.json");
    } catch (const Error& e) {
      ++rejected;
      EXPECT_EQ(std::string(e.what()).rfind("fuzz.json: ", 0), 0u);
    }
    for (auto parse : {+[](const std::string& s) { (void)KeyMap::parse(s, "fuzz.json"); },
                       +[](const std::string& s) { (void)DidRouter::parse(s, "fuzz.json"); }}) {
      try {
        parse(text);
      } catch (const Error&) {
      }
    }
  }
  EXPECT_GT(rejected, 150);
}

}  // namespace
}  // namespace libconf::ivr
