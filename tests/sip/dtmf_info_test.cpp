#include "libconf/sip/dtmf_info.hpp"

#include <gtest/gtest.h>

namespace libconf::sip {
namespace {

TEST(DtmfInfo, RelayBodies) {
  auto d = parse_dtmf_info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(d) << d.failure().message;
  EXPECT_EQ(d->digit, '5');
  EXPECT_EQ(d->duration_ms, 160);
  d = parse_dtmf_info("Application/DTMF-Relay; charset=x", "signal= #\nDURATION = 250");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '#');
  EXPECT_EQ(d->duration_ms, 250);
  d = parse_dtmf_info("application/dtmf-relay", "Signal=11\r\n");  // event code 11 = '#'
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '#');
  EXPECT_EQ(d->duration_ms, kDefaultDtmfInfoDurationMs);
  d = parse_dtmf_info("application/dtmf-relay", "Signal=a\r\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, 'A');
}

TEST(DtmfInfo, PlainDtmfBodies) {
  auto d = parse_dtmf_info("application/dtmf", "7");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '7');
  d = parse_dtmf_info("application/dtmf", " 10\r\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '*');
}

TEST(DtmfInfo, RefusalsNameTheValue) {
  auto d = parse_dtmf_info("text/plain", "5");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.failure().sip_status, 415);
  EXPECT_NE(d.failure().message.find("'text/plain'"), std::string::npos);
  d = parse_dtmf_info("application/dtmf-relay", "Signal=Z\r\n");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.failure().sip_status, 400);
  EXPECT_NE(d.failure().message.find("'Z'"), std::string::npos);
  d = parse_dtmf_info("application/dtmf-relay", "Signal=5\r\nDuration=0\r\n");
  ASSERT_FALSE(d);
  EXPECT_NE(d.failure().message.find("Duration '0'"), std::string::npos);
  d = parse_dtmf_info("application/dtmf-relay", "Duration=100\r\n");
  ASSERT_FALSE(d);
  EXPECT_NE(d.failure().message.find("no Signal"), std::string::npos);
  d = parse_dtmf_info("application/dtmf-relay", std::string(300, 'x'));
  ASSERT_FALSE(d);
  EXPECT_NE(d.failure().message.find("too large"), std::string::npos);
  d = parse_dtmf_info("application/dtmf", "99");
  ASSERT_FALSE(d);
}

TEST(DtmfInfo, FormatRoundTrips) {
  for (char c : std::string("0123456789*#ABCD")) {
    auto d = parse_dtmf_info("application/dtmf-relay", format_dtmf_relay(DtmfInfo{c, 120}));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->digit, c);
    EXPECT_EQ(d->duration_ms, 120);
  }
}

}  // namespace
}  // namespace libconf::sip
