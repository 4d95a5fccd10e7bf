#include "libconf/ivr/digits.hpp"

#include <gtest/gtest.h>

#include <string>

namespace libconf::ivr {

TEST(DigitString, HoldsUpToCapacityAndRefusesMore) {
  DigitString d;
  for (std::size_t i = 0; i < kMaxDigits; ++i) EXPECT_TRUE(d.push_back('7'));
  EXPECT_TRUE(d.full());
  EXPECT_FALSE(d.push_back('8'));
  EXPECT_EQ(d.size(), kMaxDigits);
  EXPECT_EQ(d.view(), std::string(kMaxDigits, '7'));
}

TEST(DigitString, AssignRejectsTooLongAndLeavesItEmpty) {
  DigitString d;
  EXPECT_TRUE(d.assign("4711"));
  EXPECT_EQ(d, "4711");
  EXPECT_FALSE(d.assign(std::string(kMaxDigits + 1, '1')));
  EXPECT_TRUE(d.empty());
}

TEST(DigitString, RecognisesTheSixteenDtmfSymbols) {
  int count = 0;
  for (int c = 0; c < 256; ++c) count += is_dtmf_digit(static_cast<char>(c)) ? 1 : 0;
  EXPECT_EQ(count, 16);
  EXPECT_TRUE(is_dtmf_digit('*'));
  EXPECT_TRUE(is_dtmf_digit('D'));
  EXPECT_FALSE(is_dtmf_digit('E'));
  EXPECT_FALSE(is_dtmf_digit('a'));
}

}  // namespace libconf::ivr
