#include "libconf/transport/srtp.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "libconf/transport/rtcp_packet.hpp"
#include "libconf/transport/rtp_packet.hpp"

namespace libconf::transport {

namespace {
constexpr SrtpProfile kAll[] = {SrtpProfile::aes_cm_128_hmac_sha1_80, SrtpProfile::aes_cm_128_hmac_sha1_32,
                                SrtpProfile::aead_aes_128_gcm};

std::vector<std::uint8_t> rtp_packet(std::uint16_t seq, std::size_t payload_bytes, std::size_t room) {
  std::vector<std::uint8_t> payload(payload_bytes);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7 + seq);
  std::vector<std::uint8_t> buf(kRtpHeaderBytes + payload_bytes + room);
  auto n = write_rtp({0, false, seq, 160u * seq, 0xabcdef01}, payload, buf);
  EXPECT_TRUE(n);
  return buf;
}
}  // namespace

TEST(Sdes, ParsesAndFormatsCryptoLines) {
  // Key from RFC 4568 section 9.1's example.
  auto c = parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->tag, 1);
  EXPECT_EQ(c->keys.profile, SrtpProfile::aes_cm_128_hmac_sha1_80);
  ASSERT_EQ(c->keys.key_salt.size(), 30u);
  EXPECT_EQ(c->keys.key_salt[0], 0x3d);
  EXPECT_EQ(format_sdes_crypto(*c), "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR");
  for (auto p : kAll) {
    SdesCrypto out{7, generate_srtp_keys(p), ""};
    auto back = parse_sdes_crypto(format_sdes_crypto(out));
    ASSERT_TRUE(back) << sdes_suite_name(p);
    EXPECT_EQ(back->tag, 7);
    EXPECT_EQ(back->keys.profile, p);
    EXPECT_EQ(back->keys.key_salt, out.keys.key_salt);
  }
}

TEST(Sdes, RejectsBadLinesWithTheRightError) {
  EXPECT_EQ(parse_sdes_crypto("crypto:1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR").error(), errc::not_supported);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4").error(), errc::not_supported);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0m").error(), errc::parse_error);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkp!ywjNWhcYD0mXXtxaVBR").error(), errc::parse_error);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR").error(), errc::parse_error);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80").error(), errc::parse_error);
  EXPECT_EQ(parse_sdes_crypto("a=rtpmap:0 PCMU/8000").error(), errc::parse_error);
  EXPECT_EQ(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTP").error(), errc::not_supported);
}

TEST(SrtpSession, EveryProfileRoundTripsRtpAndRtcp) {
  for (auto p : kAll) {
    const SrtpKeys keys = generate_srtp_keys(p);
    auto tx = SrtpSession::create(keys, SrtpDirection::outbound, 0xabcdef01);
    auto rx = SrtpSession::create(keys, SrtpDirection::inbound);
    ASSERT_TRUE(tx) << sdes_suite_name(p);
    ASSERT_TRUE(rx);
    for (std::uint16_t seq = 1; seq < 50; ++seq) {
      auto buf = rtp_packet(seq, 160, kSrtpMaxOverheadBytes);
      const std::vector<std::uint8_t> plain(buf.begin(), buf.begin() + 172);
      auto n = tx->protect(buf, 172);
      ASSERT_TRUE(n);
      const std::size_t tag = p == SrtpProfile::aes_cm_128_hmac_sha1_32 ? 4 : (p == SrtpProfile::aead_aes_128_gcm ? 16 : 10);
      EXPECT_EQ(*n, 172 + tag);
      EXPECT_NE(std::vector<std::uint8_t>(buf.begin() + 12, buf.begin() + 172), std::vector<std::uint8_t>(plain.begin() + 12, plain.end()));
      auto m = rx->unprotect(buf, *n);
      ASSERT_TRUE(m);
      EXPECT_EQ(std::vector<std::uint8_t>(buf.begin(), buf.begin() + static_cast<long>(*m)), plain);
    }
    RtcpReportToSend r;
    r.ssrc = 0xabcdef01;
    r.cname = "x";
    std::vector<std::uint8_t> rtcp(200);
    auto n = write_rtcp_report(r, rtcp);
    ASSERT_TRUE(n);
    auto prot = tx->protect_rtcp(rtcp, *n);
    ASSERT_TRUE(prot);
    auto back = rx->unprotect_rtcp(rtcp, *prot);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, *n);
    EXPECT_TRUE(parse_rtcp(std::span(rtcp).first(*back)));
  }
}

TEST(SrtpSession, TamperedReplayedAndWrongKeyPacketsAreRejected) {
  const SrtpKeys keys = generate_srtp_keys(SrtpProfile::aes_cm_128_hmac_sha1_80);
  auto tx = SrtpSession::create(keys, SrtpDirection::outbound, 0xabcdef01);
  auto rx = SrtpSession::create(keys, SrtpDirection::inbound);
  auto other = SrtpSession::create(generate_srtp_keys(SrtpProfile::aes_cm_128_hmac_sha1_80), SrtpDirection::inbound);
  ASSERT_TRUE(tx && rx && other);
  auto buf = rtp_packet(1, 100, kSrtpMaxOverheadBytes);
  auto n = tx->protect(buf, 112);
  ASSERT_TRUE(n);
  auto copy = buf;
  auto tampered = buf;
  tampered[40] ^= 1;
  EXPECT_EQ(rx->unprotect(tampered, *n).error(), errc::authentication_failed);
  EXPECT_EQ(other->unprotect(copy, *n).error(), errc::authentication_failed);
  ASSERT_TRUE(rx->unprotect(buf, *n));
  EXPECT_EQ(rx->unprotect(copy, *n).error(), errc::replayed_packet);
  std::vector<std::uint8_t> tiny(20);
  EXPECT_EQ(rx->unprotect(tiny, 8).error(), errc::malformed_packet);
  EXPECT_EQ(tx->protect(tiny, 20).error(), errc::buffer_too_small);
  SrtpKeys bad{SrtpProfile::aead_aes_128_gcm, std::vector<std::uint8_t>(30)};
  EXPECT_EQ(SrtpSession::create(bad, SrtpDirection::inbound).error(), errc::invalid_argument);
}

}  // namespace libconf::transport
