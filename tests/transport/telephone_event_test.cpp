#include "libconf/transport/telephone_event.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace libconf::transport {

namespace {
struct Fed {
  std::vector<DtmfEvent> events;
  void feed(TelephoneEventReceiver& rx, std::uint8_t code, bool end, std::uint16_t duration, std::uint32_t ts,
            std::int64_t now) {
    DtmfEvent out[3];
    const auto n = rx.on_packet(TelephoneEvent{code, end, 10, duration}, ts, now, std::span<DtmfEvent, 3>(out));
    for (std::size_t i = 0; i < n; ++i) events.push_back(out[i]);
  }
};
}  // namespace

TEST(TelephoneEvent, PayloadRoundTripsAndShortIsMalformed) {
  std::array<std::uint8_t, 4> b{};
  ASSERT_TRUE(write_telephone_event({11, true, 10, 1600}, b));
  EXPECT_EQ(b[0], 11);
  EXPECT_EQ(b[1], 0x8a);
  auto e = parse_telephone_event(b);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 11);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 1600);
  EXPECT_EQ(parse_telephone_event(std::span(b).first(3)).error(), errc::malformed_packet);
  EXPECT_EQ(write_telephone_event({1, false, 64, 0}, b).error(), errc::invalid_argument);
}

TEST(TelephoneEvent, DigitCodesCoverTheDtmfSet) {
  const std::string digits = "0123456789*#ABCD";
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(dtmf_event_code(digits[i]), i);
    EXPECT_EQ(dtmf_digit(i), digits[i]);
  }
  EXPECT_EQ(dtmf_event_code('x'), -1);
  EXPECT_EQ(dtmf_digit(16), '\0');
}

// A start, 4 updates and 3 end packets per digit, as a real sender emits them,
// at 8 kHz and 48 kHz: exactly one start and one end per digit.
TEST(TelephoneEventReceiver, OneStartOneEndPerDigitAtBothClockRates) {
  for (int rate : {8000, 48000}) {
    TelephoneEventReceiver rx(rate);
    Fed f;
    const std::uint16_t step = static_cast<std::uint16_t>(rate / 50);  // 20 ms
    std::uint32_t ts = 1000;
    std::int64_t now = 0;
    for (std::uint8_t code : {std::uint8_t{1}, std::uint8_t{11}}) {
      for (int k = 1; k <= 5; ++k) f.feed(rx, code, false, static_cast<std::uint16_t>(step * k), ts, now += 20000);
      for (int k = 0; k < 3; ++k) f.feed(rx, code, true, static_cast<std::uint16_t>(step * 6), ts, now += 20000);
      ts += step * 10u;
    }
    ASSERT_EQ(f.events.size(), 4u) << rate;
    EXPECT_EQ(f.events[0].digit, '1');
    EXPECT_FALSE(f.events[0].end);
    EXPECT_EQ(f.events[0].duration_ms, 20u);
    EXPECT_EQ(f.events[1].digit, '1');
    EXPECT_TRUE(f.events[1].end);
    EXPECT_EQ(f.events[1].duration_ms, 120u) << rate;
    EXPECT_EQ(f.events[1].timestamp_us, f.events[0].timestamp_us);
    EXPECT_EQ(f.events[2].digit, '#');
    EXPECT_TRUE(f.events[3].end);
  }
}

TEST(TelephoneEventReceiver, LostStartLostEndLateAndNonDtmfPackets) {
  TelephoneEventReceiver rx(8000);
  Fed f;
  // Only end packets arrive: start and end are both reported once.
  f.feed(rx, 5, true, 800, 100, 0);
  f.feed(rx, 5, true, 800, 100, 1);
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_FALSE(f.events[0].end);
  EXPECT_TRUE(f.events[1].end);
  // Digit 6 never ends; digit 7 arrives: 6 is ended first.
  f.feed(rx, 6, false, 160, 2000, 2);
  f.feed(rx, 7, false, 160, 4000, 3);
  ASSERT_EQ(f.events.size(), 5u);
  EXPECT_EQ(f.events[3].digit, '6');
  EXPECT_TRUE(f.events[3].end);
  EXPECT_EQ(f.events[4].digit, '7');
  // A late packet of digit 6 is ignored; flash (16) is not DTMF.
  f.feed(rx, 6, true, 320, 2000, 4);
  f.feed(rx, 16, false, 160, 9000, 5);
  EXPECT_EQ(f.events.size(), 5u);
  // Digit 7's packets stop: the timeout ends it exactly once.
  DtmfEvent e;
  EXPECT_FALSE(rx.poll_timeout(3 + TelephoneEventReceiver::kEventTimeoutUs / 2, e));
  EXPECT_TRUE(rx.poll_timeout(3 + TelephoneEventReceiver::kEventTimeoutUs, e));
  EXPECT_EQ(e.digit, '7');
  EXPECT_TRUE(e.end);
  EXPECT_FALSE(rx.poll_timeout(10 * TelephoneEventReceiver::kEventTimeoutUs, e));
}

TEST(TelephoneEventSender, PacesDurationUpdatesAndSendsThreeEnds) {
  TelephoneEventSender tx(8000);
  ASSERT_TRUE(tx.start('9', 100));  // 800 samples = 5 intervals of 160
  ASSERT_TRUE(tx.start('#', 40));
  EXPECT_FALSE(tx.start('x', 40));
  std::vector<TelephoneEventPacket> sent;
  std::uint32_t ts = 5000;
  for (int i = 0; i < 30; ++i, ts += 160) {
    TelephoneEventPacket p;
    if (tx.on_interval(ts, 160, p)) sent.push_back(p);
  }
  // '9': 4 updates (160..640), then end at 800 three times; '#': 1 update, then 3 ends at 320.
  ASSERT_EQ(sent.size(), 7u + 4u);
  std::uint16_t expected = 160;
  for (int i = 0; i < 4; ++i, expected = static_cast<std::uint16_t>(expected + 160)) {
    auto e = parse_telephone_event(sent[i].payload);
    EXPECT_EQ(e->event, 9);
    EXPECT_FALSE(e->end);
    EXPECT_EQ(e->duration, expected);
    EXPECT_EQ(sent[i].timestamp, 5000u);
    EXPECT_EQ(sent[i].marker, i == 0);
  }
  for (int i = 4; i < 7; ++i) {
    auto e = parse_telephone_event(sent[i].payload);
    EXPECT_TRUE(e->end);
    EXPECT_EQ(e->duration, 800);
    EXPECT_FALSE(sent[i].marker);
  }
  EXPECT_EQ(sent[7].timestamp, 5000u + 7 * 160);
  EXPECT_TRUE(sent[7].marker);
  EXPECT_EQ(parse_telephone_event(sent[7].payload)->event, 11);
  EXPECT_FALSE(tx.active());
}

TEST(TelephoneEventSender, OpenEndedDigitStopsOnRequestAndFeedsTheReceiver) {
  TelephoneEventSender tx(48000);
  TelephoneEventReceiver rx(48000);
  ASSERT_TRUE(tx.start('5', 0));
  std::vector<DtmfEvent> got;
  std::uint32_t ts = 0;
  for (int i = 0; i < 40; ++i, ts += 960) {
    if (i == 10) tx.stop('5');
    TelephoneEventPacket p;
    if (!tx.on_interval(ts, 960, p)) continue;
    DtmfEvent out[3];
    const auto n = rx.on_packet(*parse_telephone_event(p.payload), p.timestamp, i * 20000, std::span<DtmfEvent, 3>(out));
    got.insert(got.end(), out, out + n);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].digit, '5');
  EXPECT_TRUE(got[1].end);
  EXPECT_EQ(got[1].duration_ms, 220u);  // 11 intervals of 20 ms
}

}  // namespace libconf::transport
