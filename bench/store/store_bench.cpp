// Writes per second of the Store backends, measured in one run so that the
// ratios compare like with like (same machine, same disk, same moment):
//   sqlite_full     SqliteStore, synchronous=FULL (the default: fsync per commit)
//   sqlite_normal   SqliteStore, synchronous=NORMAL (safe against process crashes only)
//   postgres        PgStore on a durable local server (fsync, synchronous_commit=on)
//   postgres_async  the same server, synchronous_commit=off for this connection
// The PostgreSQL server is started by the bench itself (tests/support/pg_server.hpp:
// initdb in $TMPDIR, 127.0.0.1, a free port) and removed at exit; both backends
// keep their files on the same file system ($TMPDIR).
//
// append_cdr: one finished leg with two room segments per write.
// book: one 1-seat booking per write, each in its own minute (capacity is
//       checked, never exceeded), PINs hashed at minimum cost so that the store
//       and not Argon2 is measured.
// Threads(n): n threads, each with its own Store object (its own connection),
//       as the Store contract asks; bookings of thread i go to tenant t<i>.
//
//   build/release/bench/store/bench_store --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "libconf/store/sqlite_store.hpp"

#ifdef LIBCONF_BENCH_POSTGRES
#include "libconf/store/pg_store.hpp"
#include "support/pg_server.hpp"
#endif

namespace {

using namespace libconf;

enum class Kind { sqlite_full, sqlite_normal, postgres, postgres_async };
constexpr int kMaxThreads = 8;

class Workspace {
 public:
  static Workspace& get() {
    static Workspace w;
    return w;
  }
  ~Workspace() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<store::Store> open(Kind kind) {
    std::lock_guard lock(mutex_);
    auto s = open_locked(kind);
    if (!prepared_[kind]) {
      for (int t = 0; t < kMaxThreads; ++t) {
        const std::string tenant = "t" + std::to_string(t);
        s->add_tenant({tenant, {1'000'000, 100'000}}).value();
        s->put_did({"+49" + std::to_string(100 + t), tenant, store::DidTarget::menu, "",
                    room::BillingMode::caller_pays})
            .value();
      }
      prepared_[kind] = true;
    }
    return s;
  }
  std::atomic<std::int64_t>& next_minute(Kind kind) { return minutes_[static_cast<int>(kind)]; }

 private:
  Workspace() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/libconf-store-bench-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }

  std::unique_ptr<store::Store> open_locked(Kind kind) {
    switch (kind) {
      case Kind::sqlite_full:
      case Kind::sqlite_normal: {
        store::SqliteOptions o;
        o.full_sync = kind == Kind::sqlite_full;
        o.pin_hash = room::PinHashParams::minimum();
        return std::make_unique<store::SqliteStore>(
            (dir_ / (kind == Kind::sqlite_full ? "full.db" : "normal.db")).string(), o);
      }
      case Kind::postgres:
      case Kind::postgres_async: {
#ifdef LIBCONF_BENCH_POSTGRES
        if (!pg_) {
          test::PgServerOptions so;
          so.durable = true;
          pg_ = test::PgServer::start(so);
          pg_->admin("CREATE DATABASE bench_sync");
          pg_->admin("CREATE DATABASE bench_async");
        }
        store::PgOptions o;
        o.conninfo = kind == Kind::postgres
                         ? pg_->conninfo("bench_sync")
                         : pg_->conninfo("bench_async", "options='-c synchronous_commit=off'");
        o.pin_hash = room::PinHashParams::minimum();
        return std::make_unique<store::PgStore>(o);
#else
        throw std::logic_error("PostgreSQL benchmarks are registered only with LIBCONF_WITH_POSTGRES");
#endif
      }
    }
    return nullptr;
  }

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<Kind, bool> prepared_;
  std::atomic<std::int64_t> minutes_[4]{};
#ifdef LIBCONF_BENCH_POSTGRES
  std::unique_ptr<test::PgServer> pg_;
#endif
};

room::LegRecord sample_leg(std::uint64_t id) {
  room::LegRecord l;
  l.leg = id;
  l.tenant = "t0";
  l.caller_id = "+4930123456";
  l.did = "+49100";
  l.arrived_ms = 1'700'000'000'000;
  l.ivr_ms = 4'000;
  l.left_ms = l.arrived_ms + 600'000;
  l.segments.push_back({"sales", false, room::Role::participant, l.arrived_ms + 4'000, l.arrived_ms + 300'000});
  l.segments.push_back({"sales/side-1", true, room::Role::participant, l.arrived_ms + 300'000, l.left_ms});
  l.exit_detail = "caller hung up";
  return l;
}

void BM_AppendCdr(benchmark::State& state, Kind kind) {
  auto s = Workspace::get().open(kind);
  std::uint64_t id = static_cast<std::uint64_t>(state.thread_index()) << 40;
  const auto leg = sample_leg(0);
  for (auto _ : state) {
    auto l = leg;
    l.leg = ++id;
    if (!s->append_cdr(l)) state.SkipWithError("append_cdr failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Book(benchmark::State& state, Kind kind) {
  auto s = Workspace::get().open(kind);
  auto& minutes = Workspace::get().next_minute(kind);
  store::BookingRequest r;
  r.tenant = "t" + std::to_string(state.thread_index());
  r.topic = "weekly";
  r.duration_ms = 60'000;
  r.participants = 1;
  for (auto _ : state) {
    r.start_ms = minutes.fetch_add(1) * 60'000;
    if (!s->book(r)) state.SkipWithError("book failed");
  }
  state.SetItemsProcessed(state.iterations());
}

#define LIBCONF_STORE_BENCH(fn, kind) \
  BENCHMARK_CAPTURE(fn, kind, Kind::kind)->Threads(1)->Threads(4)->UseRealTime()->MinTime(1.0)

LIBCONF_STORE_BENCH(BM_AppendCdr, sqlite_full);
LIBCONF_STORE_BENCH(BM_AppendCdr, sqlite_normal);
LIBCONF_STORE_BENCH(BM_Book, sqlite_full);
LIBCONF_STORE_BENCH(BM_Book, sqlite_normal);
#ifdef LIBCONF_BENCH_POSTGRES
LIBCONF_STORE_BENCH(BM_AppendCdr, postgres);
LIBCONF_STORE_BENCH(BM_AppendCdr, postgres_async);
LIBCONF_STORE_BENCH(BM_Book, postgres);
LIBCONF_STORE_BENCH(BM_Book, postgres_async);
#endif

}  // namespace

BENCHMARK_MAIN();
