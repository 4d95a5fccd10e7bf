#include "libconf/room/room_config.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "libconf/error.hpp"

namespace libconf::room {

TEST(RoomConfig, NamesAreRestrictedAndErrorsQuoteThem) {
  EXPECT_TRUE(is_valid_name("sales-weekly_2.0"));
  for (const std::string& bad : std::vector<std::string>{"", "x'); DROP TABLE rooms;--", "a/b", ".hidden", "-x", "a b",
                                std::string(kMaxNameLength + 1, 'a')})
    EXPECT_FALSE(is_valid_name(bad)) << bad;
  try {
    validate_name("room name", "x'); DROP TABLE rooms;--");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("room name 'x'); DROP TABLE rooms;--'"), std::string::npos) << e.what();
  }
}

TEST(RoomConfig, ValidateNamesTheBadField) {
  RoomConfig c;
  c.name = "r";
  c.max_members = 0;
  try {
    validate(c);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("max_members = 0"), std::string::npos) << e.what();
  }
  c.max_members = 5;
  c.participant_pin_hash = "1234";  // a clear PIN where a hash belongs
  EXPECT_THROW(validate(c), Error);
  c.participant_pin_hash.clear();
  c.topic = std::string(kMaxTextLength + 1, 't');
  EXPECT_THROW(validate(c), Error);
  EXPECT_THROW(validate(TenantQuota{0, 1}), Error);
}

TEST(RoomConfig, FullPolicyNamesRoundTrip) {
  EXPECT_EQ(full_policy_from_string(to_string(FullPolicy::overflow)), FullPolicy::overflow);
  EXPECT_EQ(full_policy_from_string(to_string(FullPolicy::route_to_operator)), FullPolicy::route_to_operator);
  EXPECT_FALSE(full_policy_from_string("drop"));
}

}  // namespace libconf::room
