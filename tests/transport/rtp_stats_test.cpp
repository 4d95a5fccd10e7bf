#include "libconf/transport/rtp_stats.hpp"

#include <gtest/gtest.h>

namespace libconf::transport {

TEST(ReceiveStatistics, CountsLossAcrossSequenceWrap) {
  ReceiveStatistics s(8000);
  std::uint16_t seq = 65500;
  std::uint32_t ts = 0;
  int received = 0;
  for (int i = 0; i < 100; ++i, ++seq, ts += 160) {
    if (i % 10 == 3) continue;  // lose 10 of 100
    s.on_packet(42, seq, ts, std::int64_t{i} * 20000, true);
    ++received;
  }
  EXPECT_EQ(s.packets(), 90u);
  EXPECT_EQ(s.cumulative_lost(), 10);
  EXPECT_EQ(s.extended_highest_sequence(), 65536u + static_cast<std::uint16_t>(65500 + 99));
  auto block = s.next_report_block();
  EXPECT_EQ(block.cumulative_lost, 10);
  EXPECT_EQ(block.fraction_lost, 10 * 256 / 100);
  EXPECT_NEAR(s.last_fraction_lost(), 0.1, 0.005);
  // Next interval without loss reports 0.
  for (int i = 0; i < 10; ++i, ++seq) s.on_packet(42, seq, ts += 160, 0, false);
  EXPECT_EQ(s.next_report_block().fraction_lost, 0);
}

TEST(ReceiveStatistics, DuplicatesMakeLossNegativeAndANewSsrcRestarts) {
  ReceiveStatistics s(8000);
  for (int i = 0; i < 5; ++i) s.on_packet(1, static_cast<std::uint16_t>(i), 0, 0, false);
  s.on_packet(1, 4, 0, 0, false);
  EXPECT_EQ(s.cumulative_lost(), -1);
  s.on_packet(2, 1000, 0, 0, false);
  EXPECT_EQ(s.ssrc(), 2u);
  EXPECT_EQ(s.packets(), 1u);
  EXPECT_EQ(s.cumulative_lost(), 0);
}

TEST(ReceiveStatistics, JitterFollowsRfc3550A8) {
  // Constant transit: jitter stays 0.
  ReceiveStatistics flat(8000);
  for (int i = 0; i < 200; ++i) flat.on_packet(1, static_cast<std::uint16_t>(i), 160u * i, 20000LL * i + 5000, true);
  EXPECT_EQ(flat.jitter(), 0u);
  // Arrival alternates +-5 ms around the nominal time: |D| = 10 ms = 80 units
  // every packet, so J converges to 80 units = 10 ms.
  ReceiveStatistics alt(8000);
  for (int i = 0; i < 500; ++i) {
    const std::int64_t arrival = 20000LL * i + (i % 2 ? 5000 : -5000) + 100000;
    alt.on_packet(1, static_cast<std::uint16_t>(i), 160u * i, arrival, true);
  }
  EXPECT_NEAR(alt.jitter_ms(), 10.0, 0.3);
}

TEST(ReceiveStatistics, LargeJumpIsAcceptedOnlyWhenConfirmed) {
  ReceiveStatistics s(8000);
  for (int i = 0; i < 10; ++i) s.on_packet(1, static_cast<std::uint16_t>(i), 0, 0, false);
  s.on_packet(1, 30000, 0, 0, false);  // stray: ignored
  EXPECT_EQ(s.packets(), 10u);
  s.on_packet(1, 30001, 0, 0, false);  // confirms the restart
  EXPECT_EQ(s.packets(), 1u);
  EXPECT_EQ(s.cumulative_lost(), 0);
}

}  // namespace libconf::transport
