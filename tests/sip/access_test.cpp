#include "libconf/sip/access.hpp"

#include <gtest/gtest.h>

namespace libconf::sip {
namespace {

TEST(IpAcl, Ipv4AndIpv6Networks) {
  IpAcl acl({"203.0.113.0/24", "198.51.100.7", "2001:db8::/32", "::1"});
  EXPECT_TRUE(acl.contains("203.0.113.200"));
  EXPECT_FALSE(acl.contains("203.0.114.1"));
  EXPECT_TRUE(acl.contains("198.51.100.7"));
  EXPECT_FALSE(acl.contains("198.51.100.8"));
  EXPECT_TRUE(acl.contains("2001:db8:1::5"));
  EXPECT_FALSE(acl.contains("2001:db9::5"));
  EXPECT_TRUE(acl.contains("::1"));
  EXPECT_TRUE(acl.contains("::ffff:203.0.113.9"));  // IPv4-mapped
  EXPECT_FALSE(acl.contains("not-an-ip"));
  EXPECT_FALSE(acl.contains(""));
  EXPECT_FALSE(IpAcl().contains("127.0.0.1"));
  EXPECT_TRUE(IpAcl({"0.0.0.0/0"}).contains("8.8.8.8"));
  EXPECT_FALSE(IpAcl({"0.0.0.0/0"}).contains("::1"));
}

TEST(IpAcl, BadEntriesNameTheValue) {
  auto message = [](std::vector<std::string> cidrs) {
    try {
      IpAcl acl(cidrs);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message({"10.0.0.0/8", "pbx.example"}).find("[1]"), std::string::npos);
  EXPECT_NE(message({"pbx.example"}).find("'pbx.example' is not a numeric IP address"), std::string::npos);
  EXPECT_NE(message({"10.0.0.0/33"}).find("prefix '33'"), std::string::npos);
  EXPECT_NE(message({"10.0.0.1/8"}).find("host bits"), std::string::npos);
  EXPECT_NE(message({"::1/129"}).find("0..128"), std::string::npos);
}

TEST(RateLimiter, BurstThenSustainedRatePerSource) {
  RateLimiter limiter(RateLimitConfig{2.0, 5.0, 3, 100});
  std::int64_t t = 1000;
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.allow("10.0.0.1", t);
  EXPECT_EQ(allowed, 5);  // the burst
  EXPECT_TRUE(limiter.allow("10.0.0.2", t)) << "another source has its own bucket";
  t += 500;  // 1 token back
  EXPECT_TRUE(limiter.allow("10.0.0.1", t));
  EXPECT_FALSE(limiter.allow("10.0.0.1", t));
  // Over 10 s a flooding source gets about per_second * 10 + its leftovers.
  allowed = 0;
  for (int i = 0; i < 1000; ++i) allowed += limiter.allow("10.0.0.1", t + i * 10);
  EXPECT_GE(allowed, 19);
  EXPECT_LE(allowed, 21);
}

TEST(RateLimiter, TableIsBoundedAndFailsClosed) {
  RateLimiter limiter(RateLimitConfig{1.0, 2.0, 1, 3});
  EXPECT_TRUE(limiter.allow("a", 0));
  EXPECT_TRUE(limiter.allow("b", 0));
  EXPECT_TRUE(limiter.allow("c", 0));
  EXPECT_FALSE(limiter.allow("d", 0)) << "full of fresh buckets: the new source is refused";
  EXPECT_EQ(limiter.tracked(), 3u);
  EXPECT_TRUE(limiter.allow("d", 5000)) << "idle buckets are dropped when room is needed";
  EXPECT_LE(limiter.tracked(), 3u);
}

TEST(RateLimiter, BadConfigNamesTheField) {
  EXPECT_THROW(RateLimiter(RateLimitConfig{0.0, 1.0, 1, 1}), Error);
  try {
    RateLimiter(RateLimitConfig{1.0, 1.0, 0, 1});
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("retry_after_s 0"), std::string::npos);
  }
}

}  // namespace
}  // namespace libconf::sip
