#include "libconf/codec/l16.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "libconf/codec/registry.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::codec {

TEST(L16, NetworkByteOrderAndLosslessRoundTripAtEveryRate) {
  for (int rate : {8000, 16000, 24000, 32000, 48000}) {
    CodecParams p;
    p.sample_rate_hz = rate;
    auto codec = L16Codec::create(p).value();
    EXPECT_EQ(codec->name(), "L16");
    EXPECT_EQ(codec->sample_rate_hz(), rate);
    EXPECT_EQ(codec->rtp_clock_rate_hz(), rate);
    EXPECT_EQ(codec->static_payload_type(), -1);
    const std::size_t n = static_cast<std::size_t>(rate / 50);
    auto x = test::white_noise(-10.0, n, static_cast<std::uint32_t>(rate));
    x[0] = 0x1234;
    x[1] = -2;  // 0xFFFE
    std::vector<std::uint8_t> packet(2 * n);
    ASSERT_EQ(codec->encode(x, packet).value(), 2 * n);
    EXPECT_EQ(packet[0], 0x12);
    EXPECT_EQ(packet[1], 0x34);
    EXPECT_EQ(packet[2], 0xFF);
    EXPECT_EQ(packet[3], 0xFE);
    std::vector<std::int16_t> y(n);
    ASSERT_EQ(codec->decode(packet, y).value(), n);
    EXPECT_EQ(x, y);
  }
}

TEST(L16, BadPayloadsGiveErrors) {
  auto codec = L16Codec::create({}).value();
  std::vector<std::int16_t> pcm(160);
  std::vector<std::uint8_t> out(100);
  EXPECT_EQ(codec->encode(pcm, out).error(), errc::buffer_too_small);
  EXPECT_EQ(codec->decode({}, pcm).error(), errc::malformed_packet);
  std::vector<std::uint8_t> odd(161);
  EXPECT_EQ(codec->decode(odd, pcm).error(), errc::malformed_packet);
  std::vector<std::uint8_t> oversized(10000);
  EXPECT_EQ(codec->decode(oversized, pcm).error(), errc::buffer_too_small);
  std::mt19937 rng(3);
  std::vector<std::uint8_t> junk(320);
  for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
  EXPECT_EQ(codec->decode(junk, pcm).value(), 160u);
}

TEST(L16, RejectsUnsupportedRateAndPtime) {
  CodecParams p;
  p.sample_rate_hz = 44100;
  EXPECT_EQ(L16Codec::create(p).error(), errc::unsupported_sample_rate);
  p.sample_rate_hz = 16000;
  p.ptime_ms = 30;
  EXPECT_EQ(L16Codec::create(p).error(), errc::unsupported_frame_size);
}

TEST(L16, FramePathDoesNotAllocate) {
  CodecParams p;
  p.sample_rate_hz = 48000;
  auto codec = L16Codec::create(p).value();
  auto x = test::speech_like(-20.0, 48000, 960);
  std::vector<std::uint8_t> packet(1920);
  std::vector<std::int16_t> y(960);
  test::AllocationScope scope;
  for (int i = 0; i < 20; ++i) {
    (void)codec->encode(x, packet);
    (void)codec->decode(packet, y);
    (void)codec->conceal(y);
  }
  EXPECT_EQ(scope.count(), 0u);
}

}  // namespace libconf::codec
