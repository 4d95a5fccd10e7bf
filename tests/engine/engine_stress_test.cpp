// The engine under concurrent use, in real time: four workers tick on their
// own threads while control threads add, move, update and remove legs,
// create and close rooms, play prompts and read statistics, and another
// thread drains events and health. Built and run under ThreadSanitizer by
// CI (cmake/test.sh, preset tsan); in the ordinary suite it runs briefly.
// LIBCONF_STRESS_SECONDS sets the length (default 3 s).
//
// Checked at the end: no critical event dropped, every accepted playback
// started and ended exactly once, every accepted leg joined once, the
// directory agrees with the workers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/transport/loopback_transport.hpp"
#include "support/signals.hpp"

namespace libconf::engine {
namespace {

double stress_seconds() {
  const char* s = std::getenv("LIBCONF_STRESS_SECONDS");
  const double v = s ? std::atof(s) : 3.0;
  return v > 0 && v < 600 ? v : 3.0;
}

// Shared by the control threads: what they made, for others to act on.
struct Pool {
  std::mutex mutex;
  std::vector<RoomId> rooms;
  std::vector<LegId> legs;
  std::set<PlaybackId> plays;
  std::set<LegId> added;

  template <class T>
  T pick(const std::vector<T>& v, std::mt19937& rng, T none) {
    return v.empty() ? none : v[rng() % v.size()];
  }
  RoomId any_room(std::mt19937& rng) {
    std::lock_guard l(mutex);
    return pick(rooms, rng, kNoRoom);
  }
  LegId any_leg(std::mt19937& rng) {
    std::lock_guard l(mutex);
    return pick(legs, rng, kNoLeg);
  }
};

// A control thread's phones: the far ends of its legs' loopback pairs,
// used only by this thread (each end of a pair is single-threaded).
struct Phones {
  std::vector<std::unique_ptr<transport::LoopbackTransport>> ends;
  std::vector<std::uint8_t> frame = std::vector<std::uint8_t>(160, 0x55);
  struct Drain final : transport::PacketSink {
    void on_packet(const transport::ReceivedPacket&) noexcept override { ++packets; }
    void on_dtmf(const transport::DtmfEvent&) noexcept override {}
    std::uint64_t packets = 0;
  } sink;
  void talk(const Engine& engine, std::mt19937& rng) {
    for (std::size_t i = 0; i < ends.size(); i += 1 + rng() % 3) {
      ends[i]->send({frame, 160, false});
      ends[i]->poll(sink, engine.clock().now_us());
    }
  }
};

void control(Engine& engine, Pool& pool, std::atomic<bool>& stop, unsigned seed, std::atomic<int>& failures) {
  std::mt19937 rng(seed);
  Phones phones;
  auto prompt = std::make_shared<const Prompt>(Prompt{test::sine(500, -20, 8000, 1600), 8000});  // 0.2 s
  const char* codecs[] = {"PCMU", "PCMA", "opus"};
  while (!stop.load()) {
    const unsigned op = rng() % 100;
    if (op < 20) {  // a call arrives
      const RoomId r = pool.any_room(rng);
      if (r == kNoRoom) continue;
      auto [bridge, phone] = transport::make_loopback_pair();
      LegConfig lc;
      lc.codec = codecs[rng() % 2];
      lc.processing.inband_dtmf = rng() % 2 == 0;
      lc.transport = std::move(bridge);
      if (auto leg = engine.add_leg(r, std::move(lc))) {
        phones.ends.push_back(std::move(phone));
        std::lock_guard l(pool.mutex);
        pool.legs.push_back(*leg);
        pool.added.insert(*leg);
      }
    } else if (op < 30) {  // a call ends
      const LegId leg = pool.any_leg(rng);
      if (leg != kNoLeg && engine.remove_leg(leg)) {
        std::lock_guard l(pool.mutex);
        std::erase(pool.legs, leg);
      }
    } else if (op < 45) {  // moved to another room (full rooms refuse)
      const LegId leg = pool.any_leg(rng);
      const RoomId to = pool.any_room(rng);
      if (leg != kNoLeg && to != kNoRoom) (void)engine.move_leg(leg, to);
    } else if (op < 58) {  // re-INVITE: hold, unhold, codec
      const LegId leg = pool.any_leg(rng);
      if (leg == kNoLeg) continue;
      LegUpdate u;
      u.direction = static_cast<MediaDirection>(rng() % 4);
      if (rng() % 3 == 0) u.codec = LegCodec{codecs[rng() % 3]};
      (void)engine.update_leg(leg, u);
    } else if (op < 66) {
      const LegId leg = pool.any_leg(rng);
      if (leg != kNoLeg) (void)engine.set_mix_state(leg, {.muted = rng() % 2 == 0});
    } else if (op < 74) {  // a prompt to a room or to a leg of it
      const LegId leg = pool.any_leg(rng);
      const RoomId r = leg != kNoLeg ? engine.room_of(leg) : kNoRoom;
      if (r == kNoRoom) continue;
      PlayOptions o;
      if (rng() % 2) o.to_leg = leg;
      if (auto id = engine.play(r, prompt, o)) {
        std::lock_guard l(pool.mutex);
        pool.plays.insert(*id);
      }
    } else if (op < 78) {  // rooms come and go
      if (rng() % 2) {
        RoomConfig rc;
        rc.sample_rate_hz = rng() % 2 ? 8000 : 16000;
        rc.max_legs = 2 + rng() % 6;
        if (auto r = engine.create_room(rc)) {
          std::lock_guard l(pool.mutex);
          pool.rooms.push_back(*r);
        }
      } else {
        RoomId r = kNoRoom;
        {
          std::lock_guard l(pool.mutex);
          if (pool.rooms.size() > 4) {
            r = pool.rooms[rng() % pool.rooms.size()];
            std::erase(pool.rooms, r);
          }
        }
        if (r != kNoRoom && !engine.close_room(r)) ++failures;
      }
    } else if (op < 90) {
      const LegId leg = pool.any_leg(rng);
      if (leg != kNoLeg) {
        auto s = engine.leg_stats(leg);
        if (s && s->frames_in > 1'000'000) ++failures;
      }
    } else {
      phones.talk(engine, rng);
    }
    if (rng() % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

TEST(EngineStress, ControlThreadsAndRealTimeWorkers) {
  EngineConfig ec;
  ec.workers = 4;
  ec.clock = std::make_shared<MonotonicClock>();
  ec.event_queue = 2048;
  Engine engine(std::move(ec));
  Pool pool;
  for (int i = 0; i < 8; ++i) {
    RoomConfig rc;
    rc.max_legs = 6;
    pool.rooms.push_back(engine.create_room(rc).value());
  }
  ASSERT_TRUE(engine.start());

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<Event> events;
  std::uint64_t health_reads = 0;
  std::thread drain([&] {
    std::array<Event, 256> buf;
    while (!stop.load()) {
      for (std::size_t n; (n = engine.poll_events(buf)) > 0;) events.insert(events.end(), buf.begin(), buf.begin() + n);
      if (engine.health().workers.size() != 4) ++failures;
      ++health_reads;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::vector<std::thread> controls;
  for (unsigned i = 0; i < 3; ++i)
    controls.emplace_back(control, std::ref(engine), std::ref(pool), std::ref(stop), 1234 + i, std::ref(failures));
  std::this_thread::sleep_for(std::chrono::duration<double>(stress_seconds()));
  stop = true;
  for (auto& t : controls) t.join();
  drain.join();

  // Everything left ends: rooms close, so every playback ends too.
  for (RoomId r : pool.rooms) ASSERT_TRUE(engine.close_room(r));
  std::array<Event, 256> buf;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::size_t closed = 0;
  while (closed < pool.rooms.size() && std::chrono::steady_clock::now() < deadline) {
    for (std::size_t n; (n = engine.poll_events(buf)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) closed += buf[i].kind == EventKind::room_closed && std::count(pool.rooms.begin(), pool.rooms.end(), buf[i].room);
      events.insert(events.end(), buf.begin(), buf.begin() + n);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const EngineHealth health = engine.health();
  engine.stop();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(closed, pool.rooms.size());
  std::uint64_t ticks = 0;
  for (const WorkerHealth& w : health.workers) {
    EXPECT_EQ(w.critical_events_dropped, 0u);
    EXPECT_EQ(w.legs, 0u);
    EXPECT_EQ(w.rooms, 0u);
    ticks += w.ticks;
  }
  EXPECT_GT(ticks, 4 * 40 * stress_seconds() * 0.5);  // workers kept ticking (half speed even under TSan)
  std::map<PlaybackId, int> started, done;
  std::map<LegId, int> joined;
  for (const Event& e : events) {
    if (e.kind == EventKind::playback_started) ++started[e.other_leg];
    if (e.kind == EventKind::playback_done) ++done[e.other_leg];
    if (e.kind == EventKind::leg_joined) ++joined[e.leg];
  }
  ASSERT_GT(pool.plays.size(), 10u);
  ASSERT_GT(pool.added.size(), 10u);
  for (PlaybackId id : pool.plays) EXPECT_EQ(done[id], 1) << "playback " << id;
  for (auto [id, n] : started) EXPECT_TRUE(pool.plays.count(id) && n == 1) << "playback " << id;
  for (LegId id : pool.added) EXPECT_EQ(joined[id], 1) << "leg " << id;
  RecordProperty("ticks", std::to_string(ticks));
  RecordProperty("legs_added", std::to_string(pool.added.size()));
  RecordProperty("playbacks", std::to_string(pool.plays.size()));
  std::printf("stress: %.0f s, %llu ticks, %zu legs added, %zu playbacks, %zu events, %llu health reads\n",
              stress_seconds(), static_cast<unsigned long long>(ticks), pool.added.size(), pool.plays.size(),
              events.size(), static_cast<unsigned long long>(health_reads));
}

}  // namespace
}  // namespace libconf::engine
