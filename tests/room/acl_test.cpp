#include "libconf/room/acl.hpp"

#include <gtest/gtest.h>

#include "libconf/error.hpp"

namespace libconf::room {

TEST(Glob, StarQuestionAndLiterals) {
  EXPECT_TRUE(glob_match("+4930*", "+4930123456"));
  EXPECT_FALSE(glob_match("+4930*", "+4989123456"));
  EXPECT_TRUE(glob_match("sip:*@example.com", "sip:alice@EXAMPLE.com"));
  EXPECT_FALSE(glob_match("sip:*@example.com", "sip:alice@example.com.evil"));
  EXPECT_TRUE(glob_match("0171-???", "0171-123"));
  EXPECT_FALSE(glob_match("0171-???", "0171-1234"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
}

TEST(Glob, HostilePatternStaysFast) {
  // Exponential in naive recursive matchers; linear-ish here.
  const std::string text(20000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*b", text));
}

TEST(Acl, DenyWinsAndAllowListRestricts) {
  Acl acl;
  EXPECT_TRUE(acl.permits("+491701234"));
  acl.deny = {"+49170*"};
  EXPECT_FALSE(acl.permits("+491701234"));
  EXPECT_TRUE(acl.permits("+491711234"));
  acl.allow = {"+49*"};
  EXPECT_TRUE(acl.permits("+491711234"));
  EXPECT_FALSE(acl.permits("+331711234"));
  acl.allow.push_back("+49170555");
  EXPECT_FALSE(acl.permits("+49170555"));  // deny still wins
}

TEST(Acl, ValidationNamesTheProblem) {
  Acl acl;
  acl.allow = {""};
  EXPECT_THROW(validate_acl(acl), Error);
  acl.allow = {std::string(kMaxAclPatternLength + 1, '*')};
  try {
    validate_acl(acl);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("257 characters"), std::string::npos) << e.what();
  }
  acl.allow = {"ok*"};
  acl.deny = {"bad\n"};
  EXPECT_THROW(validate_acl(acl), Error);
}

}  // namespace libconf::room
