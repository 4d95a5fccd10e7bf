// The conference service's control thread: nothing slow on it, and per-tick
// work that grows with what changed, not with the number of calls.
//
//   build/release/bench/service/bench_service --benchmark_counters_tabular=true
//
// BM_PinStorm/threads:N   100 callers type their PIN at once (Argon2id at
//   room::PinHashParams::standard()); meanwhile the host keeps ticking the
//   service and a moderator mutes and unmutes another call every 20 ms.
//   max_call_ms: the longest any service call took (the one delivering the
//   digits included); decided_ms: until all 100 PINs were decided, the host
//   ticking every 20 ms of real time. threads:0 verifies inline in
//   tick() (the baseline), threads:1/2 on the verifier's own threads.
// BM_IdleTick/calls:N     one tick() of a service whose N calls sit in rooms
//   with nothing happening: the time should not grow with N.
// BM_PinCheck/match:K     room::verify_pin_check against a room with all three
//   PINs, for a moderator, participant, listener and wrong PIN: flat timing.
// BM_SlowStore/sleep_ms:S 50 calls hang up (each writes a CDR row) while the
//   host ticks, with a SQLite store that sleeps S ms per write: max_call_ms,
//   the longest service call, must not grow with S (the outbox's thread waits).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "libconf/engine/engine.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/service/conference_service.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "service/hooked_store.hpp"
#include "store/temp_db.hpp"
#include "support/capture_transport.hpp"

namespace {

using namespace libconf;
using Clock = std::chrono::steady_clock;

const room::Actor kConsole{"acme", room::Role::superuser, room::kConsole};

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::shared_ptr<const ivr::Menu> pin_menu() {
  return std::make_shared<const ivr::Menu>(ivr::Menu::parse(R"({
    "name": "pin", "initial": "pin",
    "states": {
      "pin": {"action": "check_pin", "prompts": ["enter_pin"], "max_attempts": 3, "next": "join",
              "on_failure": "operator", "on_locked_out": "operator"},
      "join": {"action": "join"},
      "operator": {"action": "route_to_operator"}}})",
                                                            "pin.json"));
}

room::ConferenceOptions storm_options() {
  room::ConferenceOptions o;  // production PIN cost (PinHashParams::standard())
  // All 100 checks of the room may run at once: the baseline then verifies
  // them as the old inline code did, in the call that delivered the digits.
  o.room_throttle.max_in_flight = 100;
  return o;
}

struct Bench {
  explicit Bench(int pin_threads, int rooms, store::Store* st = nullptr) : conf(storm_options()) {
    engine::EngineConfig ec;
    ec.clock = clock;
    ec.workers = 1;
    eng = std::make_unique<engine::Engine>(std::move(ec));
    (void)conf.create_tenant("acme", room::TenantQuota{1'000'000, 100'000}, 0);
    for (int r = 0; r < rooms; ++r) {
      room::RoomConfig rc;
      rc.name = std::to_string(1000 + r);
      rc.max_members = 200;
      (void)conf.create_room(kConsole, rc, 0);
    }
    service::ServiceConfig c;
    c.default_tenant = "acme";
    c.pin_check_threads = pin_threads;
    c.menus["pin"] = pin_menu();
    c.router.add_exact("+4930", ivr::DidRoute{ivr::DidTarget::room, "pin", "1000", false, {}});
    c.router.add_prefix("+4931", ivr::DidRoute{ivr::DidTarget::room, "", "", true, {}});  // +49311234 -> room 1234
    svc = std::make_unique<service::ConferenceService>(*eng, conf, std::move(c), service::PromptLibrary(16000),
                                                       service::HostInterfaces{nullptr, nullptr, st});
  }
  engine::LegConfig leg() {
    engine::LegConfig l;
    l.transport = std::make_unique<test::CaptureTransport>(log, false);
    return l;
  }
  void pump() {
    eng->tick().value();
    for (std::size_t n; (n = eng->poll_events(events)) > 0;) svc->on_engine_events({events.data(), n});
  }
  void run(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
      (void)svc->wait_for_background(std::chrono::seconds(30));
      svc->tick(clock->now_us() / 1000);
      pump();
    }
  }

  std::shared_ptr<engine::VirtualClock> clock = std::make_shared<engine::VirtualClock>(0);
  std::unique_ptr<engine::Engine> eng;
  room::Conference conf;
  std::shared_ptr<test::CaptureLog> log = std::make_shared<test::CaptureLog>();
  std::unique_ptr<service::ConferenceService> svc;
  std::array<engine::Event, 1024> events{};
};

void BM_PinStorm(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  double max_call_ms = 0, decided_ms = 0;
  for (auto _ : state) {
    Bench b(threads, 2);
    (void)b.conf.set_pin(kConsole, "1000", room::PinKind::participant, "482915", 0);
    std::vector<service::CallId> pin_calls, others;
    for (int i = 0; i < 10; ++i)
      others.push_back(*b.svc->incoming_call({"+49311001", "+49172" + std::to_string(i), "", "", ""}, b.leg()));
    for (int i = 0; i < 100; ++i)
      pin_calls.push_back(*b.svc->incoming_call({"+4930", "+49171" + std::to_string(1000 + i), "", "", ""}, b.leg()));
    b.run(0.2);
    (void)b.svc->take_events();
    // The engine delivers everybody's digits in one batch (one tick).
    std::vector<engine::Event> typed;
    for (const char d : std::string("482915#"))
      for (auto c : pin_calls) {
        engine::Event e;
        e.kind = engine::EventKind::dtmf_ended;
        e.digit = d;
        e.leg = b.svc->call(c)->leg;
        typed.push_back(e);
      }
    const auto t0 = Clock::now();
    b.svc->on_engine_events(typed);
    max_call_ms = ms_since(t0);
    int decided = 0;
    bool muted = false;
    // A real host ticks every 20 ms of real time (it does not spin).
    auto next = Clock::now();
    for (int tick = 0; decided < 100 && ms_since(t0) < 120'000; ++tick) {
      next += std::chrono::milliseconds(20);
      std::this_thread::sleep_until(next);
      auto t = Clock::now();
      b.svc->tick(b.clock->now_us() / 1000);
      max_call_ms = std::max(max_call_ms, ms_since(t));
      t = Clock::now();
      (void)b.svc->set_muted(kConsole, others[static_cast<std::size_t>(tick) % others.size()], muted = !muted);
      max_call_ms = std::max(max_call_ms, ms_since(t));
      b.pump();
      for (const auto& e : b.svc->take_events()) decided += e.get<service::event::PinChecked>() ? 1 : 0;
    }
    decided_ms = ms_since(t0);
    if (decided < 100) state.SkipWithError("not every PIN was decided");
  }
  state.counters["max_call_ms"] = max_call_ms;
  state.counters["decided_ms"] = decided_ms;
}
BENCHMARK(BM_PinStorm)->ArgName("threads")->Arg(0)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_IdleTick(benchmark::State& state) {
  const int calls = static_cast<int>(state.range(0));
  const int rooms = std::max(1, calls / 50);
  Bench b(2, rooms);
  for (int i = 0; i < calls; ++i) {
    const std::string did = "+4931" + std::to_string(1000 + i % rooms);
    if (!b.svc->incoming_call({did, "+49" + std::to_string(100000 + i), "", "", ""}, b.leg())) {
      state.SkipWithError("call refused");
      return;
    }
    if (i % 100 == 99) b.pump();  // lets the engine apply its queued commands
  }
  b.run(0.1);
  std::int64_t now = b.clock->now_us() / 1000;
  for (auto _ : state) {
    now += 20;
    b.svc->tick(now);
  }
  state.counters["calls"] = calls;
}
BENCHMARK(BM_IdleTick)->ArgName("calls")->Arg(100)->Arg(10'000)->Unit(benchmark::kNanosecond);

void BM_PinCheck(benchmark::State& state) {
  const auto params = room::PinHashParams::standard();
  room::PinCheck check;
  check.moderator_hash = room::hash_pin("918273", params);
  check.participant_hash = room::hash_pin("482915", params);
  check.listener_hash = room::hash_pin("736455", params);
  const char* pins[] = {"918273", "482915", "736455", "111111"};
  check.pin = pins[state.range(0)];
  room::PinMatch match = room::PinMatch::none;
  for (auto _ : state) benchmark::DoNotOptimize(match = room::verify_pin_check(check));
  state.SetLabel(state.range(0) == 0   ? "moderator"
                 : state.range(0) == 1 ? "participant"
                 : state.range(0) == 2 ? "listener"
                                       : "wrong");
}
BENCHMARK(BM_PinCheck)->ArgName("match")->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

void BM_SlowStore(benchmark::State& state) {
  const auto sleep = std::chrono::milliseconds(state.range(0));
  double max_call_ms = 0;
  for (auto _ : state) {
    store::testing::TempDb db;
    store::SqliteOptions so;
    so.full_sync = false;
    store::SqliteStore sqlite(db.path(), so);
    (void)sqlite.add_tenant(store::TenantRecord{"acme", {}});
    test::HookedStore slow(sqlite);
    slow.sleep_per_write(sleep);
    Bench b(2, 1, &slow);
    std::vector<service::CallId> calls;
    for (int i = 0; i < 50; ++i)
      calls.push_back(*b.svc->incoming_call({"+49311000", "+49171" + std::to_string(1000 + i), "", "", ""}, b.leg()));
    b.run(0.2);
    for (auto c : calls) {
      auto t = Clock::now();
      (void)b.svc->hangup(c);
      max_call_ms = std::max(max_call_ms, ms_since(t));
      t = Clock::now();
      b.svc->tick(b.clock->now_us() / 1000);
      max_call_ms = std::max(max_call_ms, ms_since(t));
      b.pump();
    }
    if (!b.svc->flush_store(std::chrono::seconds(60)) || sqlite.cdr("acme")->size() != 50)
      state.SkipWithError("CDR rows missing");
  }
  state.counters["max_call_ms"] = max_call_ms;
}
BENCHMARK(BM_SlowStore)->ArgName("sleep_ms")->Arg(0)->Arg(200)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
