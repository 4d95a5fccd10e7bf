#include "libconf/codec/g711.hpp"

#include <gtest/gtest.h>
#include <spandsp.h>

#include <random>
#include <vector>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "support/alloc_counter.hpp"
#include "support/codec_signals.hpp"
#include "support/signals.hpp"

namespace libconf::codec {
namespace {

// Half the quantisation step (16-bit units) of the segment a code lies in:
// µ-law steps are 8 << segment, A-law 16 in segments 0 and 1, then doubling.
int ulaw_half_step(std::uint8_t code) { return 4 << ((~code >> 4) & 7); }
int alaw_half_step(std::uint8_t code) {
  const int seg = ((code ^ 0x55) >> 4) & 7;
  return seg == 0 ? 8 : 8 << (seg - 1);
}

}  // namespace

TEST(G711, EncodeMatchesSpandspForAll65536Inputs) {
  for (int x = -32768; x <= 32767; ++x) {
    const auto s = static_cast<std::int16_t>(x);
    ASSERT_EQ(linear_to_ulaw(s), ::linear_to_ulaw(x)) << "ulaw x=" << x;
    ASSERT_EQ(linear_to_alaw(s), ::linear_to_alaw(x)) << "alaw x=" << x;
  }
}

TEST(G711, DecodeMatchesSpandspForAll256Codes) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    ASSERT_EQ(ulaw_to_linear(code), ::ulaw_to_linear(code)) << "ulaw code " << c;
    ASSERT_EQ(alaw_to_linear(code), ::alaw_to_linear(code)) << "alaw code " << c;
  }
}

TEST(G711, HardCodedValuesFromTheG711Tables) {
  // µ-law (G.711 Table 2a, 14-bit values times 4): 0 is code 0xFF (and -1
  // is 0x7F); the first segment ends at decision value 31 (16-bit 124); the
  // largest output is 8031 (32124), reached by full scale.
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(linear_to_ulaw(-1), 0x7F);
  EXPECT_EQ(linear_to_ulaw(123), 0xF0);
  EXPECT_EQ(linear_to_ulaw(124), 0xEF);
  EXPECT_EQ(linear_to_ulaw(-123), 0x70);  // symmetric: -x shares x's magnitude code
  EXPECT_EQ(linear_to_ulaw(-124), 0x6F);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);
  EXPECT_EQ(ulaw_to_linear(0xFE), 8);    // 14-bit 2
  EXPECT_EQ(ulaw_to_linear(0xEF), 132);  // 14-bit 33: first value of segment 2
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  // A-law (G.711 Table 1a, 13-bit values times 8): 0 is code 0xD5; the
  // first two segments end at decision value 32 (16-bit 256); the largest
  // output is 4032 (32256).
  EXPECT_EQ(linear_to_alaw(0), 0xD5);
  EXPECT_EQ(linear_to_alaw(-1), 0x55);
  EXPECT_EQ(linear_to_alaw(255), 0xDA);
  EXPECT_EQ(linear_to_alaw(256), 0xC5);
  EXPECT_EQ(linear_to_alaw(32767), 0xAA);
  EXPECT_EQ(linear_to_alaw(-32768), 0x2A);
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(alaw_to_linear(0xC5), 264);  // 13-bit 33
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
}

TEST(G711, RoundTripErrorIsWithinHalfAStep) {
  for (int x = -32768; x <= 32767; ++x) {
    const auto s = static_cast<std::int16_t>(x);
    const std::uint8_t u = linear_to_ulaw(s), a = linear_to_alaw(s);
    const int eu = ulaw_to_linear(u) - x, ea = alaw_to_linear(a) - x;
    // Beyond the largest output level the error is the clipping itself.
    if (std::abs(x) <= 32124) {
      ASSERT_LE(std::abs(eu), ulaw_half_step(u)) << "x=" << x;
    } else {
      ASSERT_EQ(std::abs(ulaw_to_linear(u)), 32124);
    }
    if (std::abs(x) <= 32256) {
      ASSERT_LE(std::abs(ea), alaw_half_step(a)) << "x=" << x;
    } else {
      ASSERT_EQ(std::abs(alaw_to_linear(a)), 32256);
    }
  }
}

TEST(G711, EveryCodeSurvivesDecodeAndReencode) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    // µ-law has two zero codes (0xFF and 0x7F); 0 re-encodes as 0xFF.
    EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(code)), c == 0x7F ? 0xFF : c) << c;
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(code)), c) << c;
  }
}

TEST(G711, ToneKeepsLevelAndG711SignalToNoise) {
  auto reg = CodecRegistry::with_builtin_codecs();
  for (const char* name : {"PCMU", "PCMA"}) {
    auto codec = reg.create_or_throw(name, {});
    const auto x = test::sine(1004, -20.0, 8000, 8000);
    std::vector<std::uint8_t> packet(160);
    std::vector<std::int16_t> y(x.size());
    for (std::size_t i = 0; i < x.size(); i += 160) {
      auto n = codec->encode(std::span(x).subspan(i, 160), packet);
      ASSERT_TRUE(n);
      ASSERT_EQ(*n, 160u);
      auto m = codec->decode(packet, std::span(y).subspan(i, 160));
      ASSERT_TRUE(m);
      ASSERT_EQ(*m, 160u);
    }
    EXPECT_NEAR(audio::rms_dbfs(y), -20.0, 0.1) << name;
    // G.711 keeps about 38 dB SNR over its companded range (G.712 asks >= 35 dB at -20 dBm0 region).
    EXPECT_GT(test::snr_db(x, y), 35.0) << name;
  }
}

TEST(G711, CodecPropertiesAndEveryPtime) {
  auto reg = CodecRegistry::with_builtin_codecs();
  for (int ptime : {10, 20, 40, 60}) {
    CodecParams p;
    p.ptime_ms = ptime;
    auto u = reg.create_or_throw("PCMU", p);
    auto a = reg.create_or_throw("pcma", p);
    EXPECT_EQ(u->name(), "PCMU");
    EXPECT_EQ(a->name(), "PCMA");
    EXPECT_EQ(u->static_payload_type(), 0);
    EXPECT_EQ(a->static_payload_type(), 8);
    EXPECT_EQ(u->rtp_clock_rate_hz(), 8000);
    EXPECT_EQ(u->sample_rate_hz(), 8000);
    EXPECT_FALSE(u->has_fec());
    const std::size_t n = static_cast<std::size_t>(8 * ptime);
    const auto x = test::speech_like(-20.0, 8000, n);
    std::vector<std::uint8_t> packet(n);
    std::vector<std::int16_t> y(n);
    ASSERT_EQ(u->encode(x, packet).value(), n);
    ASSERT_EQ(u->decode(packet, y).value(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(y[i], ulaw_to_linear(linear_to_ulaw(x[i])));
  }
}

TEST(G711, BadBuffersAndPayloadsGiveErrors) {
  auto reg = CodecRegistry::with_builtin_codecs();
  auto codec = reg.create_or_throw("PCMA", {});
  std::vector<std::int16_t> pcm(160, 100);
  std::vector<std::uint8_t> small(100);
  EXPECT_EQ(codec->encode(pcm, small).error(), errc::buffer_too_small);
  EXPECT_EQ(codec->decode({}, pcm).error(), errc::malformed_packet);
  std::vector<std::uint8_t> oversized(5000, 0x55);
  EXPECT_EQ(codec->decode(oversized, pcm).error(), errc::buffer_too_small);
  // Any byte is a valid G.711 code: random payloads decode to bounded samples.
  std::mt19937 rng(7);
  std::vector<std::uint8_t> junk(160);
  for (int round = 0; round < 50; ++round) {
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(codec->decode(junk, pcm).value(), 160u);
    for (auto s : pcm) ASSERT_LE(std::abs(int(s)), 32256);
  }
}

TEST(G711, FramePathDoesNotAllocate) {
  auto reg = CodecRegistry::with_builtin_codecs();
  for (const char* name : {"PCMU", "PCMA"}) {
    auto codec = reg.create_or_throw(name, {});
    const auto x = test::speech_like(-20.0, 8000, 160);
    std::vector<std::uint8_t> packet(160);
    std::vector<std::int16_t> y(160);
    (void)codec->encode(x, packet);
    (void)codec->decode(packet, y);
    test::AllocationScope scope;
    for (int i = 0; i < 50; ++i) {
      (void)codec->encode(x, packet);
      (void)codec->decode(packet, y);
      (void)codec->conceal(y);
      (void)codec->decode_fec(packet, y);
    }
    codec->reset();
    EXPECT_EQ(scope.count(), 0u) << name;
  }
}

}  // namespace libconf::codec
