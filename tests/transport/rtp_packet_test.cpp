#include "libconf/transport/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "libconf/transport/rtcp_packet.hpp"

namespace libconf::transport {

TEST(RtpPacket, WriteThenParseRoundTrips) {
  const std::vector<std::uint8_t> payload = {1, 2, 3, 4, 5};
  std::vector<std::uint8_t> buf(64);
  RtpHeaderFields h{96, true, 65535, 0xdeadbeef, 0x01020304};
  auto n = write_rtp(h, payload, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 17u);
  auto v = parse_rtp(std::span(buf).first(*n));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->payload_type, 96);
  EXPECT_TRUE(v->marker);
  EXPECT_EQ(v->sequence, 65535);
  EXPECT_EQ(v->timestamp, 0xdeadbeefu);
  EXPECT_EQ(v->ssrc, 0x01020304u);
  EXPECT_EQ(std::vector<std::uint8_t>(v->payload.begin(), v->payload.end()), payload);
}

TEST(RtpPacket, SkipsCsrcsExtensionAndPadding) {
  // V=2 P=1 X=1 CC=1, PT 0; 1 CSRC; extension of 1 word; 3 payload bytes; 2 padding bytes.
  std::vector<std::uint8_t> p = {0xb1, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7,  // fixed header
                                 0, 0, 0, 9,                                  // CSRC
                                 0xbe, 0xde, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd,    // extension
                                 7, 8, 9, 0, 2};                              // payload + padding
  auto v = parse_rtp(p);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->header_bytes, 24u);
  ASSERT_EQ(v->payload.size(), 3u);
  EXPECT_EQ(v->payload[0], 7);
  EXPECT_EQ(v->payload[2], 9);
}

TEST(RtpPacket, RejectsEveryBrokenShapeWithItsCause) {
  RtpParseError why{};
  std::vector<std::uint8_t> shortp = {0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(parse_rtp(shortp, &why).error(), errc::malformed_packet);
  EXPECT_EQ(why, RtpParseError::truncated);
  std::vector<std::uint8_t> v1 = {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5};
  EXPECT_FALSE(parse_rtp(v1, &why));
  EXPECT_EQ(why, RtpParseError::wrong_version);
  std::vector<std::uint8_t> csrc = {0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5};  // 15 CSRCs claimed
  EXPECT_FALSE(parse_rtp(csrc, &why));
  EXPECT_EQ(why, RtpParseError::truncated);
  std::vector<std::uint8_t> ext = {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9};
  EXPECT_FALSE(parse_rtp(ext, &why));
  EXPECT_EQ(why, RtpParseError::bad_extension);
  std::vector<std::uint8_t> pad0 = {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 0};
  EXPECT_FALSE(parse_rtp(pad0, &why));
  EXPECT_EQ(why, RtpParseError::bad_padding);
  std::vector<std::uint8_t> padbig = {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 9};
  EXPECT_FALSE(parse_rtp(padbig, &why));
  EXPECT_EQ(why, RtpParseError::bad_padding);
}

TEST(RtpPacket, WriteChecksItsArguments) {
  std::vector<std::uint8_t> payload(10), small(15);
  EXPECT_EQ(write_rtp({128, false, 0, 0, 0}, payload, small).error(), errc::invalid_argument);
  EXPECT_EQ(write_rtp({0, false, 0, 0, 0}, payload, small).error(), errc::buffer_too_small);
}

TEST(RtpPacket, Rfc5761DemuxSeparatesRtcpFromRtp) {
  std::vector<std::uint8_t> sr = {0x80, 200, 0, 6};
  std::vector<std::uint8_t> pcmu = {0x80, 0, 0, 1};
  std::vector<std::uint8_t> marked_dynamic = {0x80, 0x80 | 96, 0, 1};  // M=1, PT 96 -> byte 224
  EXPECT_TRUE(looks_like_rtcp(sr));
  EXPECT_FALSE(looks_like_rtcp(pcmu));
  EXPECT_FALSE(looks_like_rtcp(marked_dynamic));
}

TEST(RtcpPacket, SenderReportWithBlockAndCnameRoundTrips) {
  RtcpReportToSend r;
  r.ssrc = 0x11223344;
  r.has_sender_info = true;
  r.sender_info = {0x0123456789abcdefull, 1000, 50, 8000};
  r.has_block = true;
  r.block = {0x55667788, 64, -3, 70000, 12, 0xaabbccdd, 65536};
  r.cname = "leg@host";
  std::vector<std::uint8_t> buf(256);
  auto n = write_rtcp_report(r, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n % 4, 0u);
  auto c = parse_rtcp(std::span(buf).first(*n));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sender_ssrc, 0x11223344u);
  ASSERT_TRUE(c->has_sender_info);
  EXPECT_EQ(c->sender_info.ntp_timestamp, 0x0123456789abcdefull);
  EXPECT_EQ(c->sender_info.octet_count, 8000u);
  ASSERT_EQ(c->block_count, 1u);
  EXPECT_EQ(c->blocks[0].ssrc, 0x55667788u);
  EXPECT_EQ(c->blocks[0].fraction_lost, 64);
  EXPECT_EQ(c->blocks[0].cumulative_lost, -3);
  EXPECT_EQ(c->blocks[0].extended_highest_sequence, 70000u);
  EXPECT_EQ(c->blocks[0].last_sr, 0xaabbccddu);
  EXPECT_EQ(c->blocks[0].delay_since_last_sr, 65536u);
}

TEST(RtcpPacket, ReceiverReportWithoutBlock) {
  RtcpReportToSend r;
  r.ssrc = 7;
  r.cname = "";
  std::vector<std::uint8_t> buf(64);
  auto n = write_rtcp_report(r, buf);
  ASSERT_TRUE(n);
  auto c = parse_rtcp(std::span(buf).first(*n));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->has_sender_info);
  EXPECT_EQ(c->block_count, 0u);
  EXPECT_EQ(write_rtcp_report(r, std::span(buf).first(8)).error(), errc::buffer_too_small);
}

TEST(RtcpPacket, RejectsMalformedCompounds) {
  std::vector<std::uint8_t> too_long = {0x80, 201, 0, 9, 0, 0, 0, 1};     // length beyond datagram
  std::vector<std::uint8_t> sdes_first = {0x81, 202, 0, 1, 0, 0, 0, 1};   // must start with SR/RR
  std::vector<std::uint8_t> bad_version = {0x40, 201, 0, 1, 0, 0, 0, 1};
  std::vector<std::uint8_t> blocks_missing = {0x81, 201, 0, 1, 0, 0, 0, 1};  // RC=1, no block
  std::vector<std::uint8_t> tail = {0x80, 201, 0, 1, 0, 0, 0, 1, 0x80};     // stray byte
  for (const auto* p : {&too_long, &sdes_first, &bad_version, &blocks_missing, &tail})
    EXPECT_EQ(parse_rtcp(*p).error(), errc::malformed_packet);
  std::vector<std::uint8_t> rr_bye = {0x80, 201, 0, 1, 0, 0, 0, 1, 0x81, 203, 0, 1, 0, 0, 0, 1};
  auto c = parse_rtcp(rr_bye);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->bye);
}

}  // namespace libconf::transport
