#include "libconf/room/pin.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::room {

TEST(Pin, HashVerifiesOnlyTheRightPin) {
  const std::string h = hash_pin("1234", PinHashParams::minimum());
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(h.find("1234"), std::string::npos);
  EXPECT_TRUE(verify_pin(h, "1234"));
  EXPECT_FALSE(verify_pin(h, "1235"));
  EXPECT_FALSE(verify_pin(h, "12345"));
  EXPECT_FALSE(verify_pin(h, ""));
  EXPECT_FALSE(verify_pin("not a hash", "1234"));
}

TEST(Pin, SaltMakesEveryHashDifferent) {
  const auto p = PinHashParams::minimum();
  EXPECT_NE(hash_pin("987654", p), hash_pin("987654", p));
}

TEST(Pin, RejectsMalformedPinsWithoutEchoingThem) {
  for (const std::string& bad : std::vector<std::string>{"123", "12a4", "12 34", "1234'; DROP TABLE rooms;--", std::string(17, '9'),
                                std::string(100000, '7')}) {
    try {
      (void)hash_pin(bad, PinHashParams::minimum());
      ADD_FAILURE() << "accepted a malformed PIN";
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), errc::invalid_argument);
      EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  try {
    validate_pin("123");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 digits"), std::string::npos) << e.what();
  }
}

TEST(Pin, EnormousDigitStringIsRefusedWithoutHashing) {
  const std::string h = hash_pin("4321", PinHashParams::minimum());
  EXPECT_FALSE(verify_pin(h, std::string(1'000'000, '4')));
  EXPECT_FALSE(is_well_formed_pin(std::string(kMaxPinDigits + 1, '1')));
  EXPECT_TRUE(is_well_formed_pin(std::string(kMaxPinDigits, '1')));
}

TEST(Pin, RejectsCostOutsideLibsodiumLimits) {
  PinHashParams p = PinHashParams::minimum();
  p.mem_limit_bytes = 16;
  EXPECT_THROW((void)hash_pin("1234", p), Error);
}

TEST(Pin, GeneratedPinsAreDigitsOfTheAskedLengthAndVary) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string pin = generate_pin(6);
    EXPECT_TRUE(is_well_formed_pin(pin));
    EXPECT_EQ(pin.size(), 6u);
    seen.insert(pin);
  }
  EXPECT_GT(seen.size(), 45u);  // 50 draws from 10^6: a repeat is rare
  EXPECT_THROW((void)generate_pin(3), Error);
  EXPECT_THROW((void)generate_pin(17), Error);
}

TEST(Pin, InteractiveDefaultsAreLibsodiumInteractive) {
  EXPECT_EQ(PinHashParams::interactive().ops_limit, 2u);
  EXPECT_EQ(PinHashParams::interactive().mem_limit_bytes, 64u * 1024 * 1024);
}

}  // namespace libconf::room
