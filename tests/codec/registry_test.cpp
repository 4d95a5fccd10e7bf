#include "libconf/codec/registry.hpp"

#include <gtest/gtest.h>

#include "libconf/codec/g711.hpp"

namespace libconf::codec {
namespace {

std::string message_of(const CodecRegistry& reg, std::string_view name, const CodecParams& p) {
  try {
    (void)reg.create_or_throw(name, p);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

TEST(CodecRegistry, BuiltinsAreFoundCaseInsensitively) {
  const auto reg = CodecRegistry::with_builtin_codecs();
  EXPECT_EQ(reg.names(), (std::vector<std::string>{"PCMU", "PCMA", "L16", "opus"}));
  for (const char* n : {"PCMU", "pcmu", "PcMa", "l16", "OPUS", "Opus"}) EXPECT_TRUE(reg.contains(n)) << n;
  EXPECT_FALSE(reg.contains("G729"));
  EXPECT_FALSE(reg.contains("PCM"));
  struct Expect {
    const char* name;
    int rate, clock, pt;
  };
  for (const auto& e : {Expect{"pcmu", 8000, 8000, 0}, Expect{"PCMA", 8000, 8000, 8},
                        Expect{"L16", 16000, 16000, -1}, Expect{"OPUS", 16000, 48000, -1}}) {
    CodecParams p;
    p.sample_rate_hz = e.rate;
    auto c = reg.create(e.name, p);
    ASSERT_TRUE(c) << e.name << ": " << c.error().message();
    EXPECT_EQ((*c)->sample_rate_hz(), e.rate);
    EXPECT_EQ((*c)->rtp_clock_rate_hz(), e.clock);
    EXPECT_EQ((*c)->static_payload_type(), e.pt);
  }
}

TEST(CodecRegistry, ErrorsMapToErrcAndMessagesNameTheBadValue) {
  const auto reg = CodecRegistry::with_builtin_codecs();
  CodecParams p;
  EXPECT_EQ(reg.create("G729", p).error(), errc::unknown_codec);
  EXPECT_NE(message_of(reg, "G729", p).find("'G729'"), std::string::npos);

  p.sample_rate_hz = 16000;
  EXPECT_EQ(reg.create("PCMU", p).error(), errc::unsupported_sample_rate);
  EXPECT_NE(message_of(reg, "PCMU", p).find("16000"), std::string::npos);

  p.sample_rate_hz = 32000;  // not an Opus API rate
  EXPECT_EQ(reg.create("opus", p).error(), errc::unsupported_sample_rate);
  EXPECT_NE(message_of(reg, "opus", p).find("32000"), std::string::npos);

  p.sample_rate_hz = 8000;
  p.ptime_ms = 30;
  EXPECT_EQ(reg.create("PCMA", p).error(), errc::unsupported_frame_size);
  EXPECT_NE(message_of(reg, "PCMA", p).find("30 ms"), std::string::npos);

  p.ptime_ms = 20;
  p.complexity = 11;
  EXPECT_EQ(reg.create("opus", p).error(), errc::invalid_argument);
  EXPECT_NE(message_of(reg, "opus", p).find("complexity=11"), std::string::npos);
  p.complexity = -1;
  p.bitrate_bps = 1000;
  EXPECT_NE(message_of(reg, "opus", p).find("bitrate_bps=1000"), std::string::npos);

  try {
    (void)reg.create_or_throw("G722", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::unknown_codec);
  }
}

TEST(CodecRegistry, UserCodecsAreAddedAndReplaced) {
  auto reg = CodecRegistry::with_builtin_codecs();
  int calls = 0;
  reg.add("x-mulaw", [&calls](const CodecParams& p) {
    ++calls;
    return G711Codec::create(G711Law::ulaw, p);
  });
  EXPECT_TRUE(reg.contains("X-MULAW"));
  EXPECT_TRUE(reg.create("X-Mulaw", {}));
  EXPECT_EQ(calls, 1);
  // Same name in another case replaces the factory, keeps one entry.
  reg.add("PCMU", [](const CodecParams& p) { return G711Codec::create(G711Law::alaw, p); });
  EXPECT_EQ(reg.names().size(), 5u);
  EXPECT_EQ(reg.create_or_throw("pcmu", {})->name(), "PCMA");
  CodecRegistry empty;
  EXPECT_EQ(empty.create("PCMU", {}).error(), errc::unknown_codec);
  EXPECT_TRUE(empty.names().empty());
}

}  // namespace libconf::codec
