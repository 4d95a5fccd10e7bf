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

TEST(RoomConfig, TextMustBeUtf8) {
  // Valid: ASCII, 2-, 3- and 4-byte sequences up to U+10FFFF.
  for (const std::string ok : {"", "plain", "Caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x93\x9e", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_TRUE(is_valid_utf8(ok)) << ok;
    EXPECT_NO_THROW(validate_text("topic", ok));
  }
  // Invalid: stray continuation, truncated sequences, overlong forms,
  // UTF-16 surrogates, beyond U+10FFFF, bytes that never occur.
  for (const std::string bad : {"\x80", "caf\xc3", "\xe2\x82", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                                "\xf4\x90\x80\x80", "\xff", "ok\xfe"}) {
    EXPECT_FALSE(is_valid_utf8(bad));
    EXPECT_FALSE(is_valid_text(bad));
    try {
      validate_text("room topic", bad);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), errc::invalid_argument);
      EXPECT_NE(std::string(e.what()).find("room topic is not valid UTF-8"), std::string::npos) << e.what();
    }
  }
}

TEST(RoomConfig, FullPolicyNamesRoundTrip) {
  EXPECT_EQ(full_policy_from_string(to_string(FullPolicy::overflow)), FullPolicy::overflow);
  EXPECT_EQ(full_policy_from_string(to_string(FullPolicy::route_to_operator)), FullPolicy::route_to_operator);
  EXPECT_FALSE(full_policy_from_string("drop"));
}

}  // namespace libconf::room
