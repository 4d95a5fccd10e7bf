#include "libconf/transport/loopback_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "libconf/error.hpp"
#include "support/alloc_counter.hpp"
#include "transport/collecting_sink.hpp"

namespace libconf::transport {

namespace {
std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t v) { return std::vector<std::uint8_t>(n, v); }
}  // namespace

TEST(LoopbackTransport, WhatOneEndSendsTheOtherPolls) {
  LoopbackConfig ca, cb;
  ca.payload_type = 8;
  const std::int64_t virtual_now = 5000;
  auto [a, b] = make_loopback_pair(ca, cb);
  testing::CollectingSink sa, sb;
  for (int i = 0; i < 3; ++i) a->send({bytes(160, static_cast<std::uint8_t>(i)), 160, i == 0});
  b->send({bytes(20, 9), 320, false});
  a->send_dtmf({'7', false, 0, 1});
  b->poll(sb, virtual_now);
  a->poll(sa, virtual_now);
  ASSERT_EQ(sb.packets.size(), 3u);
  EXPECT_EQ(sb.packets[2].payload, bytes(160, 2));
  EXPECT_EQ(sb.packets[1].header.sequence, 1);
  EXPECT_EQ(sb.packets[2].header.rtp_timestamp, 320u);
  EXPECT_EQ(sb.packets[0].header.payload_type, 8);
  EXPECT_TRUE(sb.packets[0].header.marker);
  EXPECT_EQ(sb.packets[0].header.ssrc, a->ssrc());
  EXPECT_EQ(sb.packets[0].header.arrival_us, 5000);
  ASSERT_EQ(sb.dtmf.size(), 1u);
  EXPECT_EQ(sb.dtmf[0].digit, '7');
  ASSERT_EQ(sa.packets.size(), 1u);
  EXPECT_EQ(sa.packets[0].payload.size(), 20u);
  b->poll(sb, 0);
  EXPECT_EQ(sb.packets.size(), 3u);  // nothing twice
}

TEST(LoopbackTransport, LossReorderAndDelayAreProgrammable) {
  LoopbackConfig ca;
  ca.impairments.loss_fraction = 0.2;
  ca.impairments.seed = 42;
  auto [a, b] = make_loopback_pair(ca);
  testing::CollectingSink sb;
  for (int i = 0; i < 1000; ++i) {
    a->send({bytes(10, 0), 160, false});
    if (i % 100 == 99) b->poll(sb, 0);
  }
  EXPECT_NEAR(static_cast<double>(sb.packets.size()), 800.0, 40.0);  // 20 % +- 5 sigma-ish
  EXPECT_EQ(a->stats().packets_lost + sb.packets.size(), 1000u);

  LoopbackImpairments reorder;
  reorder.reorder_fraction = 1.0;
  a->set_impairments(reorder);
  sb.packets.clear();
  for (int i = 0; i < 4; ++i) a->send({bytes(10, static_cast<std::uint8_t>(i)), 160, false});
  b->poll(sb, 0);
  ASSERT_EQ(sb.packets.size(), 4u);
  EXPECT_EQ(sb.packets[0].payload[0], 1);  // 0 was held back behind 1
  EXPECT_EQ(sb.packets[1].payload[0], 0);
  EXPECT_EQ(static_cast<std::uint16_t>(sb.packets[1].header.sequence + 1), sb.packets[0].header.sequence);

  LoopbackImpairments delay;
  delay.delay_polls = 3;
  a->set_impairments(delay);
  sb.packets.clear();
  a->send({bytes(10, 0), 160, false});
  for (int i = 0; i < 3; ++i) {
    b->poll(sb, 0);
    EXPECT_TRUE(sb.packets.empty()) << i;
  }
  b->poll(sb, 0);
  EXPECT_EQ(sb.packets.size(), 1u);
}

TEST(LoopbackTransport, FullQueueAndOversizedAreCountedNotFatal) {
  LoopbackConfig ca;
  ca.queue_capacity = 4;
  ca.max_payload_bytes = 100;
  auto [a, b] = make_loopback_pair(ca);
  for (int i = 0; i < 6; ++i) a->send({bytes(10, 0), 160, false});
  a->send({bytes(101, 0), 160, false});
  EXPECT_EQ(a->stats().queue_full_dropped, 2u);
  EXPECT_EQ(a->stats().oversized_dropped, 1u);
  testing::CountingSink sink;
  b->poll(sink, 0);
  EXPECT_EQ(sink.packets, 4u);
  LoopbackConfig bad;
  bad.impairments.loss_fraction = 1.5;
  try {
    (void)make_loopback_pair(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("loss_fraction"), std::string::npos);
  }
}

TEST(LoopbackTransport, EndsOnTwoThreadsDeliverEverythingInOrder) {
  auto [a, b] = make_loopback_pair();
  constexpr int kPackets = 20000;
  std::atomic<bool> give_up{false};
  std::thread producer([&, a = a.get()] {
    std::uint8_t buf[4];
    for (int i = 0; i < kPackets && !give_up.load(std::memory_order_relaxed);) {
      buf[0] = static_cast<std::uint8_t>(i);
      const auto before = a->stats().queue_full_dropped;
      a->send({buf, 160, false});
      if (a->stats().queue_full_dropped == before) ++i;
      else std::this_thread::yield();
    }
  });
  struct OrderSink final : PacketSink {
    int next = 0;
    bool ordered = true;
    void on_packet(const ReceivedPacket& p) noexcept override {
      if (p.payload[0] != static_cast<std::uint8_t>(next)) ordered = false;
      ++next;
    }
    void on_dtmf(const DtmfEvent&) noexcept override {}
  } sink;
  // Bounded in time, not in spins: on a loaded machine the producer may get
  // little CPU, and a poll is only nanoseconds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (sink.next < kPackets && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 1000; ++i) b->poll(sink, 0);
    std::this_thread::yield();
  }
  give_up = true;
  producer.join();
  EXPECT_EQ(sink.next, kPackets);
  EXPECT_TRUE(sink.ordered);
}

TEST(LoopbackTransport, PollAndSendDoNotAllocate) {
  LoopbackConfig ca;
  ca.impairments.loss_fraction = 0.1;
  ca.impairments.reorder_fraction = 0.1;
  auto [a, b] = make_loopback_pair(ca);
  testing::CountingSink sink;
  const auto payload = bytes(160, 1);
  libconf::test::AllocationScope scope;
  for (int i = 0; i < 1000; ++i) {
    a->send({payload, 160, false});
    a->send_dtmf({'1', i % 2 == 1, 0, 0});
    b->poll(sink, 0);
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_GT(sink.packets, 800u);
}

}  // namespace libconf::transport
