#include "libconf/jitter/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "libconf/error.hpp"
#include "support/alloc_counter.hpp"

namespace libconf::jitter {
namespace {

constexpr std::int64_t kFrameUs = 20'000;

// One packet on the wire: its header fields, a payload that names its
// sequence number, and when it reaches the bridge.
struct WirePacket {
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  std::uint32_t ssrc = 1;
  std::int64_t arrival_us = 0;
  std::uint32_t id = 0;  // written into the payload; the test's own packet number
  std::size_t size = 4;
};

// What the buffer answered on one tick.
struct Tick {
  FrameKind kind;
  std::uint32_t id;  // payload id for audio/fec, 0 otherwise
  std::uint32_t ts;
  int current_delay_ms;
};

// A fixed 60 ms floor keeps the target still, so that functional tests can
// expect every packet in order (no drops while the target settles).
JitterConfig steady_config() {
  JitterConfig c;
  c.min_delay_ms = 60;
  return c;
}

// Feeds packets in arrival order and ticks every 20 ms until end_us.
class Harness {
 public:
  explicit Harness(JitterConfig c = steady_config()) : jb(c) {}

  std::vector<Tick> run(std::vector<WirePacket> packets, std::int64_t end_us, std::int64_t first_tick_us = 0) {
    std::stable_sort(packets.begin(), packets.end(),
                     [](const WirePacket& a, const WirePacket& b) { return a.arrival_us < b.arrival_us; });
    std::vector<Tick> ticks;
    std::size_t i = 0;
    std::uint8_t buf[1600];
    for (std::int64_t now = first_tick_us; now < end_us; now += kFrameUs) {
      for (; i < packets.size() && packets[i].arrival_us <= now; ++i) put(packets[i], buf);
      JitterFrame f = jb.get(now);
      std::uint32_t id = 0;
      if (f.payload.size() >= 4) std::memcpy(&id, f.payload.data(), 4);
      ticks.push_back({f.kind, id, f.rtp_timestamp, jb.stats().current_delay_ms});
    }
    return ticks;
  }

  void put(const WirePacket& w, std::uint8_t* buf) {
    std::memset(buf, 0, w.size);
    std::memcpy(buf, &w.id, std::min<std::size_t>(4, w.size));
    transport::ReceivedPacket p;
    p.payload = {buf, w.size};
    p.sequence = w.seq;
    p.rtp_timestamp = w.ts;
    p.ssrc = w.ssrc;
    p.arrival_us = w.arrival_us;
    jb.put(p);
  }

  JitterBuffer jb;
};

// n packets of 20 ms at 8 kHz, sent at 20 ms intervals, arriving after
// base_delay_us. Ids start at 1.
std::vector<WirePacket> stream(int n, std::uint16_t seq0 = 1000, std::uint32_t ts0 = 5000,
                               std::int64_t base_delay_us = 30'000, std::int64_t t0_us = 0) {
  std::vector<WirePacket> v;
  for (int k = 0; k < n; ++k) {
    WirePacket w;
    w.seq = static_cast<std::uint16_t>(seq0 + k);
    w.ts = ts0 + static_cast<std::uint32_t>(k) * 160u;
    w.arrival_us = t0_us + k * kFrameUs + base_delay_us;
    w.id = static_cast<std::uint32_t>(k + 1);
    v.push_back(w);
  }
  return v;
}

// Ids of played audio frames, in play order.
std::vector<std::uint32_t> played(const std::vector<Tick>& ticks) {
  std::vector<std::uint32_t> ids;
  for (const auto& t : ticks)
    if (t.kind == FrameKind::audio) ids.push_back(t.id);
  return ids;
}

std::vector<std::uint32_t> iota_ids(std::uint32_t from, std::uint32_t to) {
  std::vector<std::uint32_t> v;
  for (std::uint32_t i = from; i <= to; ++i) v.push_back(i);
  return v;
}

TEST(JitterBuffer, SteadyStreamSettlesAtMinimumDelay) {
  Harness h(JitterConfig{});
  auto ticks = h.run(stream(500), 500 * kFrameUs + 200'000);
  auto ids = played(ticks);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  const auto& s = h.jb.stats();
  // No jitter: the target falls from the 60 ms start-up value to the 20 ms
  // minimum; the buffer drops one packet, which brings the delay (70 ms at
  // start) under target + 2 frames, the point where dropping stops.
  EXPECT_EQ(s.target_delay_ms, 20);
  EXPECT_EQ(s.dropped_for_drift, 1u);
  EXPECT_EQ(ids.size(), 499u);
  EXPECT_EQ(s.received, 500u);
  EXPECT_EQ(s.lost, 0u);
  EXPECT_EQ(s.late, 0u);
  EXPECT_EQ(s.concealed, 3u);  // only the 60 ms PLC fade-out after the last packet
  EXPECT_LT(ticks[450].current_delay_ms, 20 + 40);
}

TEST(JitterBuffer, ReorderedPacketsPlayInSequenceOrder) {
  auto pkts = stream(300);
  // Every 7th packet is held up 30 ms in the network: it arrives after the next one.
  for (std::size_t k = 10; k + 1 < pkts.size(); k += 7) pkts[k].arrival_us += 30'000;
  Harness h;
  auto ticks = h.run(pkts, 300 * kFrameUs + 300'000);
  EXPECT_EQ(played(ticks), iota_ids(1, 300));
  EXPECT_EQ(h.jb.stats().reordered, 42u);
  EXPECT_EQ(h.jb.stats().lost, 0u);
  EXPECT_EQ(h.jb.stats().late, 0u);
}

TEST(JitterBuffer, DuplicatesAreDroppedAndCounted) {
  auto pkts = stream(200);
  auto copy = pkts;
  for (auto& p : copy) p.arrival_us += 5'000;                    // while still buffered
  for (std::size_t k = 0; k < 50; ++k) copy[k].arrival_us += 200'000;  // after being played
  pkts.insert(pkts.end(), copy.begin(), copy.end());
  Harness h;
  auto ticks = h.run(pkts, 200 * kFrameUs + 500'000);
  EXPECT_EQ(played(ticks), iota_ids(1, 200));
  EXPECT_EQ(h.jb.stats().duplicates, 200u);
  EXPECT_EQ(h.jb.stats().received, 200u);
  EXPECT_EQ(h.jb.stats().late, 0u);
}

TEST(JitterBuffer, SingleLossHandsTheNextPacketForFecAndBurstLossConceals) {
  auto pkts = stream(300);
  // Lose id 101, and ids 201..203.
  std::erase_if(pkts, [](const WirePacket& w) { return w.id == 101 || (w.id >= 201 && w.id <= 203); });
  Harness h;
  auto ticks = h.run(pkts, 300 * kFrameUs + 300'000);
  std::size_t i = 0;
  while (ticks[i].id != 100) ++i;
  EXPECT_EQ(ticks[i + 1].kind, FrameKind::fec);
  EXPECT_EQ(ticks[i + 1].id, 102u);  // FEC payload is the NEXT packet
  EXPECT_EQ(ticks[i + 1].ts, 5000u + 100u * 160u);  // timestamp of the lost frame
  EXPECT_EQ(ticks[i + 2].kind, FrameKind::audio);
  EXPECT_EQ(ticks[i + 2].id, 102u);
  while (ticks[i].id != 200) ++i;
  EXPECT_EQ(ticks[i + 1].kind, FrameKind::conceal);
  EXPECT_EQ(ticks[i + 2].kind, FrameKind::conceal);
  EXPECT_EQ(ticks[i + 3].kind, FrameKind::fec);
  EXPECT_EQ(ticks[i + 3].id, 204u);
  EXPECT_EQ(ticks[i + 4].id, 204u);
  const auto& s = h.jb.stats();
  EXPECT_EQ(s.lost, 4u);
  EXPECT_EQ(s.fec_recovered, 2u);
  EXPECT_EQ(s.concealed, 2u + 3u);  // 2 lost + the 60 ms fade-out after the last packet
  EXPECT_EQ(s.late, 0u);
}

TEST(JitterBuffer, LatePacketIsCountedAndNotPlayed) {
  auto pkts = stream(200);
  pkts[99].arrival_us += 400'000;  // id 100 arrives long after its turn
  Harness h;
  auto ticks = h.run(pkts, 200 * kFrameUs + 300'000);
  auto ids = played(ticks);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 100u), 0);
  EXPECT_EQ(ids.size(), 199u);
  EXPECT_EQ(h.jb.stats().late, 1u);
  EXPECT_EQ(h.jb.stats().lost, 1u);
}

TEST(JitterBuffer, SequenceAndTimestampWrapAroundWithoutLoss) {
  // Sequence wraps 65535 -> 0 after 36 packets, timestamp wraps 2^32 -> 0 after 50.
  auto pkts = stream(400, 65500, 0xFFFFFFFFu - 50u * 160u + 1u);
  for (std::size_t k = 30; k < 60; k += 3) pkts[k].arrival_us += 25'000;  // reordered across both wraps
  Harness h;
  auto ticks = h.run(pkts, 400 * kFrameUs + 300'000);
  EXPECT_EQ(played(ticks), iota_ids(1, 400));
  EXPECT_EQ(h.jb.stats().lost, 0u);
  EXPECT_EQ(h.jb.stats().late, 0u);
  EXPECT_EQ(h.jb.stats().resyncs, 0u);
}

TEST(JitterBuffer, SsrcChangeRestartsTheStream) {
  auto a = stream(150);
  auto b = stream(150, 7, 123456789u, 30'000, 150 * kFrameUs);
  for (auto& w : b) {
    w.ssrc = 2;
    w.id += 1000;
  }
  a.insert(a.end(), b.begin(), b.end());
  Harness h;
  auto ticks = h.run(a, 300 * kFrameUs + 300'000);
  auto ids = played(ticks);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.back(), 1150u);
  EXPECT_GE(std::count_if(ids.begin(), ids.end(), [](std::uint32_t id) { return id > 1000; }), 145);
  EXPECT_EQ(h.jb.stats().resyncs, 1u);
  EXPECT_EQ(h.jb.stats().lost, 0u);
  EXPECT_EQ(h.jb.stats().late, 0u);
}

TEST(JitterBuffer, SequenceJumpWithoutSsrcChangeResyncsAfterTwoPackets) {
  auto a = stream(100);
  auto b = stream(100, 40000, 99999999u, 30'000, 100 * kFrameUs);
  for (auto& w : b) w.id += 1000;
  a.insert(a.end(), b.begin(), b.end());
  Harness h;
  auto ticks = h.run(a, 200 * kFrameUs + 300'000);
  auto ids = played(ticks);
  EXPECT_EQ(h.jb.stats().resyncs, 1u);
  EXPECT_EQ(ids.back(), 1100u);
  EXPECT_GE(std::count_if(ids.begin(), ids.end(), [](std::uint32_t id) { return id > 1000; }), 97);
}

TEST(JitterBuffer, DtxGapIsSilenceNotLoss) {
  // 2 s of talk, 3 s of DTX (timestamps jump, sequence numbers do not), 2 s of talk.
  auto a = stream(100);
  auto b = stream(100, 1100, 5000 + 250u * 160u, 30'000, 250 * kFrameUs);
  for (auto& w : b) w.id += 1000;
  a.insert(a.end(), b.begin(), b.end());
  Harness h;
  auto ticks = h.run(a, 350 * kFrameUs + 300'000);
  auto ids = played(ticks);
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_EQ(h.jb.stats().lost, 0u);
  EXPECT_EQ(h.jb.stats().late, 0u);
  EXPECT_EQ(h.jb.stats().fec_recovered, 0u);
  // The gap is silence; only the first 60 ms after each talkspurt is
  // concealment (the codec's PLC fading out, which is also what Opus wants in DTX).
  EXPECT_EQ(h.jb.stats().concealed, 2u * 3u);
  std::size_t silent = 0;
  for (const auto& t : ticks)
    if (t.kind == FrameKind::silence) ++silent;
  EXPECT_GE(silent, 140u);
  // The second talkspurt starts at the target delay again, not at the delay
  // the clock hold accumulated during the gap.
  std::size_t i = 0;
  while (ticks[i].id != 1001) ++i;
  EXPECT_LE(ticks[i + 5].current_delay_ms, h.jb.stats().target_delay_ms + 20);
}

// Sender clock off by ppm; Gaussian jitter of sigma 5 ms; 10 simulated minutes.
struct DriftResult {
  int max_delay_ms = 0;           // after the first 10 s
  double first_minute_ms = 0.0;   // mean current delay over minute 2 (minute 1 has the start-up target)
  double last_minute_ms = 0.0;    // and over minute 10
};

void run_drift(double ppm, JitterStats& out, DriftResult& r) {
  std::mt19937 rng(7);
  std::normal_distribution<double> jitter(0.0, 5'000.0);
  std::vector<WirePacket> pkts;
  const int n = 30'000;  // 10 minutes of 20 ms frames
  for (int k = 0; k < n; ++k) {
    WirePacket w;
    w.seq = static_cast<std::uint16_t>(k);
    w.ts = static_cast<std::uint32_t>(k) * 160u;
    const double send_us = k * 20'000.0 / (1.0 + ppm * 1e-6);
    w.arrival_us = static_cast<std::int64_t>(send_us + 40'000.0 + std::abs(jitter(rng)));
    w.id = static_cast<std::uint32_t>(k + 1);
    pkts.push_back(w);
  }
  Harness h(JitterConfig{});
  auto ticks = h.run(pkts, static_cast<std::int64_t>(n) * kFrameUs + 1'000'000);
  r = {};
  for (std::size_t i = 500; i < static_cast<std::size_t>(n); ++i) r.max_delay_ms = std::max(r.max_delay_ms, ticks[i].current_delay_ms);
  for (std::size_t i = 0; i < 3000; ++i) {
    r.first_minute_ms += ticks[3000 + i].current_delay_ms / 3000.0;
    r.last_minute_ms += ticks[static_cast<std::size_t>(n) - 3000 + i].current_delay_ms / 3000.0;
  }
  out = h.jb.stats();
}

TEST(JitterBuffer, FastSenderClockDoesNotGrowTheDelay) {
  JitterStats s;
  DriftResult r;
  run_drift(+200.0, s, r);
  // 200 ppm of 600 s is 120 ms = 6 frames to shed; the delay stays below
  // target + 2 frames and does not creep up from minute 2 to minute 10.
  EXPECT_LE(r.max_delay_ms, s.target_delay_ms + 40);
  EXPECT_LE(r.last_minute_ms, r.first_minute_ms + 20.0);
  EXPECT_GE(s.dropped_for_drift + s.lost, 5u);
  EXPECT_LE(s.dropped_for_drift, 20u);
  EXPECT_LE(s.late, 30u);  // 0.1 %
}

TEST(JitterBuffer, SlowSenderClockDoesNotDrainTheBuffer) {
  JitterStats s;
  DriftResult r;
  run_drift(-200.0, s, r);
  EXPECT_LE(r.max_delay_ms, s.target_delay_ms + 40);
  EXPECT_GE(r.last_minute_ms, r.first_minute_ms - 20.0);
  EXPECT_GE(r.last_minute_ms, 20.0);  // never drained to nothing
  EXPECT_GE(s.stretched + s.concealed, 5u);
  EXPECT_LE(s.concealed, 40u);
  EXPECT_LE(s.late, 30u);
}

TEST(JitterBuffer, DelaySpikeNeverPushesDelayPastMaximum) {
  JitterConfig c;
  c.max_delay_ms = 200;
  auto pkts = stream(1000);
  // A 1.5 s outage at t = 8 s: everything queued in it arrives at once at its end.
  for (auto& w : pkts)
    if (w.arrival_us >= 8'000'000 && w.arrival_us < 9'500'000) w.arrival_us = 9'500'000 + (w.id % 3);
  Harness h(c);
  auto ticks = h.run(pkts, 1000 * kFrameUs + 300'000);
  int worst = 0;
  for (const auto& t : ticks) worst = std::max(worst, t.current_delay_ms);
  EXPECT_LE(worst, 200 + 20);
  EXPECT_GT(h.jb.stats().late, 50u);  // most of the outage could not be waited for
  // Six seconds after the outage the buffer is back below target + 2 frames
  // (1 s of sustained excess, then one dropped frame per 200 ms, delayed
  // while the target itself reacts to the outage peak).
  EXPECT_LT(ticks[(9'500'000 + 6'000'000) / kFrameUs].current_delay_ms, h.jb.stats().target_delay_ms + 40);
  auto ids = played(ticks);
  EXPECT_EQ(ids.back(), 1000u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(JitterBuffer, ShortSpikeIsAbsorbedByHoldingInsteadOfLosingPackets) {
  auto pkts = stream(500);
  // The route stalls for 120 ms at t = 4 s; packets queue (FIFO) and then
  // arrive together.
  for (auto& w : pkts)
    if (w.arrival_us >= 4'000'000 && w.arrival_us < 4'120'000) w.arrival_us = 4'120'000;
  Harness h;
  auto ticks = h.run(pkts, 500 * kFrameUs + 300'000);
  const auto& st = h.jb.stats();
  EXPECT_EQ(st.late, 0u);
  EXPECT_EQ(st.lost, 0u);
  // The stall was bridged by holding (3 concealed frames), and the 120 ms it
  // added is shed afterwards by dropping at most 6 frames.
  EXPECT_LE(st.dropped_for_drift, 6u);
  EXPECT_EQ(played(ticks).size(), 500u - st.dropped_for_drift);
  EXPECT_LE(ticks[480].current_delay_ms, st.target_delay_ms + 20);  // 9.6 s, stream still running
}

TEST(JitterBuffer, TargetFollowsTheObservedJitter) {
  // 60 s calm (|N(0, 2 ms)|), 60 s rough (|N(0, 30 ms)|), 90 s calm again.
  std::mt19937 rng(9);
  std::normal_distribution<double> unit(0.0, 1.0);
  auto pkts = stream(10'500);
  for (auto& w : pkts) {
    const bool rough = w.arrival_us >= 60'000'000 && w.arrival_us < 120'000'000;
    w.arrival_us += static_cast<std::int64_t>(std::abs(unit(rng)) * (rough ? 30'000.0 : 2'000.0));
  }
  Harness h(JitterConfig{});
  std::vector<int> target_at_s;
  std::vector<std::uint64_t> late_at_s;
  std::uint8_t buf[64];
  std::stable_sort(pkts.begin(), pkts.end(),
                   [](const WirePacket& a, const WirePacket& b) { return a.arrival_us < b.arrival_us; });
  std::size_t i = 0;
  for (std::int64_t now = 0; now < 210'000'000; now += kFrameUs) {
    for (; i < pkts.size() && pkts[i].arrival_us <= now; ++i) h.put(pkts[i], buf);
    (void)h.jb.get(now);
    if (now % 1'000'000 == 0) {
      target_at_s.push_back(h.jb.stats().target_delay_ms);
      late_at_s.push_back(h.jb.stats().late + h.jb.stats().dropped_for_drift);
    }
  }
  EXPECT_LE(target_at_s[59], 30);   // calm: near the 20 ms minimum
  EXPECT_GE(target_at_s[119], 70);  // rough: covers most of the 30 ms sigma's spread
  EXPECT_LE(target_at_s[119], 150);
  // Losses during the rough minute (after the first 10 s of adapting) stay under 1 %.
  EXPECT_LE(late_at_s[119] - late_at_s[70], 25u);
  EXPECT_LE(target_at_s[209], 40);  // forgets the rough minute within 90 s
}

TEST(JitterBuffer, OversizedPayloadIsDroppedAndCounted) {
  JitterConfig c = steady_config();
  c.max_payload_bytes = 100;
  auto pkts = stream(100);
  pkts[50].size = 101;
  pkts[60].size = 100;
  Harness h(c);
  auto ticks = h.run(pkts, 100 * kFrameUs + 300'000);
  EXPECT_EQ(h.jb.stats().overflow, 1u);
  EXPECT_EQ(played(ticks).size(), 99u);
}

TEST(JitterBuffer, ConfigurationErrorsNameTheBadValue) {
  auto expect_error = [](JitterConfig c, const std::string& needle) {
    try {
      JitterBuffer jb(c);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), errc::invalid_argument);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  JitterConfig c;
  c.clock_rate_hz = 0;
  expect_error(c, "clock_rate_hz: 0");
  c = {};
  c.min_delay_ms = 500;
  expect_error(c, "min_delay_ms: 500");
  c = {};
  c.capacity_packets = 10;
  expect_error(c, "capacity_packets: 10");
  c = {};
  c.frame_duration_ts = 0;
  expect_error(c, "frame_duration_ts: 0");
  c = {};
  c.max_payload_bytes = 0;
  expect_error(c, "max_payload_bytes: 0");
  c = {};
  c.target_quantile = 1.5;
  expect_error(c, "target_quantile: 1.5");
}

TEST(JitterBuffer, ResetForgetsTheStreamButKeepsCounters) {
  Harness h;
  h.run(stream(50), 50 * kFrameUs + 200'000);
  h.jb.reset();
  EXPECT_EQ(h.jb.get(10'000'000).kind, FrameKind::silence);
  EXPECT_EQ(h.jb.stats().received, 50u);
  auto ticks = h.run(stream(50, 3, 77, 30'000, 20'000'000), 20'000'000 + 50 * kFrameUs + 200'000, 20'000'000);
  EXPECT_EQ(played(ticks), iota_ids(1, 50));
}

TEST(JitterBuffer, GarbageInputNeverBreaksTheBuffer) {
  // Random headers, sizes (including oversized) and times; then a clean stream
  // must still play.
  JitterConfig c = steady_config();
  c.max_payload_bytes = 200;
  JitterBuffer jb(c);
  std::mt19937 rng(3);
  std::vector<std::uint8_t> buf(400, 0xAB);
  std::int64_t now = 0;
  for (int i = 0; i < 200'000; ++i) {
    transport::ReceivedPacket p;
    p.sequence = static_cast<std::uint16_t>(rng());
    p.rtp_timestamp = static_cast<std::uint32_t>(rng());
    p.ssrc = rng() % 3;
    p.payload = {buf.data(), rng() % 400};
    p.arrival_us = static_cast<std::int64_t>(rng() % 4 == 0 ? static_cast<std::int64_t>(rng()) << 31 : now);
    jb.put(p);
    if (i % 3 == 0) {
      now += static_cast<std::int64_t>(rng() % 40'000);
      JitterFrame f = jb.get(now);
      ASSERT_LE(f.payload.size(), 200u);
    }
  }
  Harness h(c);
  auto ticks = h.run(stream(100), 100 * kFrameUs + 300'000);
  EXPECT_EQ(played(ticks).size(), 100u);
}

TEST(JitterBuffer, PutAndGetDoNotAllocate) {
  Harness h;
  std::uint8_t buf[1600];
  std::mt19937 rng(5);
  std::normal_distribution<double> jitter(0.0, 15'000.0);
  auto pkts = stream(3000);
  for (auto& w : pkts) w.arrival_us += static_cast<std::int64_t>(std::abs(jitter(rng)));
  for (std::size_t k = 0; k < pkts.size(); k += 37) pkts[k].arrival_us += 1'000'000;  // late
  std::erase_if(pkts, [](const WirePacket& w) { return w.id % 53 == 0; });             // lost
  pkts.push_back(pkts[10]);                                                           // duplicate
  std::stable_sort(pkts.begin(), pkts.end(),
                   [](const WirePacket& a, const WirePacket& b) { return a.arrival_us < b.arrival_us; });
  std::size_t i = 0;
  std::int64_t now = 0;
  for (; now < 2'000'000; now += kFrameUs) {  // warm-up
    for (; i < pkts.size() && pkts[i].arrival_us <= now; ++i) h.put(pkts[i], buf);
    (void)h.jb.get(now);
  }
  test::AllocationScope scope;
  for (; now < 3000 * kFrameUs; now += kFrameUs) {
    for (; i < pkts.size() && pkts[i].arrival_us <= now; ++i) h.put(pkts[i], buf);
    (void)h.jb.get(now);
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_GT(h.jb.stats().late + h.jb.stats().lost, 50u);  // the scope covered the loss paths too
}

}  // namespace
}  // namespace libconf::jitter
