// Digits survive coding: G.711 (libconf::codec, and spandsp's reference
// tables as a cross-check) and Opus at 16 kbit/s (libconf::codec over libopus).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "libconf/codec/registry.hpp"
#include "libconf/dsp/dtmf_detector.hpp"
#include "support/dtmf_signals.hpp"

namespace libconf::dsp {
namespace {

/// Every digit at three levels, 50 ms on / 50 ms off, at rate.
test::DtmfSignal keypad(int rate, double tone_ms = 50.0) {
  test::DtmfSignal s(rate);
  s.silence(40);
  for (double level : {-20.0, -10.0, -3.0})
    for (char d : std::string("0123456789*#ABCD")) {
      test::DtmfTone t;
      t.digit = d;
      t.low_dbm0 = t.high_dbm0 = level;
      t.duration_ms = tone_ms;
      s.tone(t).silence(50);
    }
  return s.silence(100);
}

std::vector<std::int16_t> round_trip(const char* name, int rate, int bitrate_bps, const std::vector<std::int16_t>& x) {
  codec::CodecParams p;
  p.sample_rate_hz = rate;
  p.ptime_ms = 20;
  p.bitrate_bps = bitrate_bps;
  auto enc = codec::CodecRegistry::with_builtin_codecs().create(name, p);
  auto dec = codec::CodecRegistry::with_builtin_codecs().create(name, p);
  EXPECT_TRUE(enc.has_value() && dec.has_value()) << name;
  if (!enc || !dec) return {};
  const std::size_t frame = static_cast<std::size_t>(rate / 50);
  std::vector<std::int16_t> y;
  std::vector<std::uint8_t> packet(codec::kMaxEncodedFrameBytes);
  std::vector<std::int16_t> pcm(frame);
  for (std::size_t i = 0; i + frame <= x.size(); i += frame) {
    auto n = (*enc)->encode(std::span(x).subspan(i, frame), packet);
    EXPECT_TRUE(n.has_value());
    auto m = (*dec)->decode(std::span(packet).first(*n), pcm);
    EXPECT_TRUE(m.has_value());
    y.insert(y.end(), pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(*m));
  }
  return y;
}

TEST(DtmfCodec, G711KeepsEveryDigit) {
  const auto s = keypad(8000);
  for (const char* law : {"PCMU", "PCMA"}) {
    const auto y = round_trip(law, 8000, 0, s.samples());
    EXPECT_EQ(test::digits_of(test::detect_libconf(y, 8000)), s.digits()) << law;
    const auto z = test::g711_round_trip_spandsp(s.samples(), std::string(law) == "PCMU");
    EXPECT_EQ(test::digits_of(test::detect_libconf(z, 8000)), s.digits()) << law << " (spandsp tables)";
  }
}

TEST(DtmfCodec, Opus16kbpsKeepsEveryDigit) {
  for (int rate : {8000, 16000, 48000}) {
    const auto s = keypad(rate);
    const auto y = round_trip("opus", rate, 16000, s.samples());
    const auto found = test::detect_libconf(y, rate);
    std::printf("  opus 16 kbit/s at %d Hz: %zu of %zu digits\n", rate, found.size(), s.truth().size());
    EXPECT_EQ(test::digits_of(found), s.digits()) << rate;
  }
}

}  // namespace
}  // namespace libconf::dsp
