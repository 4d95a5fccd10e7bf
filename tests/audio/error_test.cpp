#include "libconf/error.hpp"

#include <gtest/gtest.h>

namespace libconf {

TEST(Error, CodesCompareAndName) {
  std::error_code ec = errc::wrong_pin;
  EXPECT_EQ(ec, errc::wrong_pin);
  EXPECT_STREQ(ec.category().name(), "libconf");
  EXPECT_EQ(ec.message(), "wrong PIN");
  Result<int> r = errc::room_full;
  EXPECT_FALSE(r);
  EXPECT_THROW(r.value(), std::system_error);
  Result<int> ok = 5;
  EXPECT_EQ(*ok, 5);
  Error e(errc::parse_error, "scenario.json: rate: 44100");
  EXPECT_EQ(e.code_enum(), errc::parse_error);
  EXPECT_NE(std::string(e.what()).find("44100"), std::string::npos);
}
}  // namespace libconf
