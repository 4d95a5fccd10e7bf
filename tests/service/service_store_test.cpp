// The store is written and read on a thread of its own: a slow or failing
// store never delays a call, a failed write is reported and retried in order,
// nothing is dropped silently.
#include <gtest/gtest.h>

#include "libconf/room/pin.hpp"
#include "libconf/store/load.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "service/hooked_store.hpp"
#include "service/service_bench.hpp"
#include "store/temp_db.hpp"

namespace libconf::test {
namespace {

namespace ev = service::event;

struct StoreBench {
  StoreBench() : sqlite(db.path(), options()), hooked(sqlite) {
    (void)sqlite.add_tenant(store::TenantRecord{"default", {}});
    bench = std::make_unique<ServiceBench>(ServiceBench::default_config(), &hooked);
  }
  static store::SqliteOptions options() {
    store::SqliteOptions so;
    so.full_sync = false;
    so.pin_hash = room::PinHashParams::minimum();
    return so;
  }
  store::testing::TempDb db;
  store::SqliteStore sqlite;
  HookedStore hooked;
  std::unique_ptr<ServiceBench> bench;
};

// A store that does not answer at all: every call of the service still returns.
// (A timing-free proof: were any call to wait on the store, it would never return.)
TEST(ServiceStore, AStoreThatDoesNotAnswerDelaysNoCall) {
  StoreBench s;
  ServiceBench& b = *s.bench;
  s.hooked.close();
  std::vector<service::CallId> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(b.call("+49171000" + std::to_string(10 + i)));
  for (int i = 0; i < 10; ++i) {
    b.svc->tick(b.svc->now_ms() + 20);
    ASSERT_TRUE(b.svc->hangup(ids[static_cast<std::size_t>(i)]));  // each writes a CDR row
  }
  ASSERT_TRUE(b.svc->kick(b.console, ids[10], "spam"));
  b.svc->tick(b.svc->now_ms() + 20);
  EXPECT_EQ(b.svc->take_cdr().size(), 11u);  // the records exist at once...
  EXPECT_FALSE(b.svc->flush_store(std::chrono::milliseconds(50)));  // ...the store has not taken them
  s.hooked.open();
  ASSERT_TRUE(b.svc->flush_store(std::chrono::seconds(10)));
  auto rows = s.sqlite.cdr("default");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 11u);
  EXPECT_EQ(rows->back().exit, room::ExitReason::kicked);
}

TEST(ServiceStore, AFailedWriteIsReportedAndRetriedInOrder) {
  StoreBench s;
  ServiceBench& b = *s.bench;
  s.hooked.fail_next(2);
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  ASSERT_TRUE(b.svc->hangup(a));
  ASSERT_TRUE(b.svc->hangup(c));
  ASSERT_TRUE(b.svc->flush_store(std::chrono::seconds(10)));
  const auto failed = b.of<ev::StoreFailed>();
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].what, "cdr " + std::to_string(a));
  EXPECT_EQ(failed[0].error, errc::store_error);
  EXPECT_EQ(failed[0].attempt, 1);
  EXPECT_EQ(failed[0].retry_in_ms, 100);
  EXPECT_EQ(failed[1].attempt, 2);
  EXPECT_EQ(failed[1].retry_in_ms, 200);
  EXPECT_FALSE(failed[1].dropped);
  const auto recovered = b.of<ev::StoreRecovered>();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].attempt, 3);
  auto rows = s.sqlite.cdr("default");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].caller_id, "+4917100001");  // a's row first: order kept
  EXPECT_EQ((*rows)[1].caller_id, "+4917100002");
}

TEST(ServiceStore, AWriteTheStoreRefusesForGoodIsReportedOnceAndDropped) {
  StoreBench s;
  ServiceBench& b = *s.bench;
  s.hooked.fail_next(1, errc::not_found);
  const auto a = b.call("+4917100001");
  const auto c = b.call("+4917100002");
  ASSERT_TRUE(b.svc->hangup(a));
  ASSERT_TRUE(b.svc->hangup(c));
  ASSERT_TRUE(b.svc->flush_store(std::chrono::seconds(10)));
  const auto failed = b.of<ev::StoreFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_TRUE(failed[0].dropped);
  EXPECT_EQ(failed[0].error, errc::not_found);
  EXPECT_EQ(s.sqlite.cdr("default")->size(), 1u);  // the next write went on
}

TEST(ServiceStore, AFullOutboxRefusesWithAReportInsteadOfGrowing) {
  store::testing::TempDb db;
  store::SqliteStore sqlite(db.path(), StoreBench::options());
  (void)sqlite.add_tenant(store::TenantRecord{"default", {}});
  HookedStore hooked(sqlite);
  hooked.close();
  auto config = ServiceBench::default_config();
  config.max_store_queue = 2;
  config.store_flush_ms = 0;
  ServiceBench b(std::move(config), &hooked);
  // Callers for the operator queue: nothing but their CDR row goes to the store.
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(b.svc->hangup(b.call("+49171000" + std::to_string(10 + i), "+493012345699")));
  // Two writes are queued (the first of them runs, blocked): three are refused and reported.
  const auto dropped = b.of<ev::StoreFailed>([](const auto& e) { return e.dropped; });
  EXPECT_EQ(dropped.size(), 3u);
  for (const auto& d : dropped) EXPECT_EQ(d.error, errc::capacity_exceeded);
  hooked.open();
  ASSERT_TRUE(b.svc->flush_store(std::chrono::seconds(10)));
  EXPECT_EQ(sqlite.cdr("default")->size(), 2u);
}

}  // namespace
}  // namespace libconf::test

namespace libconf::test {
namespace {

// What moderators change survives the host: restart a service on the same
// SQLite file (a new Conference loaded from it) and find the lock, the
// maximum size, the new PIN and the name given to a caller again. CDR rows
// and moderator sessions carry the host, the SIP Call-ID and UTC times.
TEST(ServiceStore, ModeratorsChangesSurviveARestart) {
  store::testing::TempDb db;
  const std::int64_t utc0 = 1'800'000'000'000;
  auto config = [&] {
    auto c = ServiceBench::default_config();
    c.host_id = "host-a";
    c.utc_now_ms = [&] { return utc0; };
    return c;
  };
  {
    store::SqliteStore st(db.path(), StoreBench::options());
    ASSERT_TRUE(st.add_tenant(store::TenantRecord{"default", {}}));
    room::RoomConfig rc;
    rc.name = "4711";
    rc.moderator_pin_hash = room::hash_pin("8642", room::PinHashParams::minimum());
    ASSERT_TRUE(st.add_room(store::RoomRecord{"default", rc, false}));
  }
  {
    // Run 1: the host loads its rooms from the store; a moderator changes things.
    store::SqliteStore loader(db.path(), StoreBench::options());
    store::SqliteStore st(db.path(), StoreBench::options());  // the service's own, for its store thread
    auto bench = std::make_unique<ServiceBench>(config(), &st, false);
    ServiceBench& b = *bench;
    ASSERT_TRUE(store::load_conference(loader, b.conf, 0));
    const auto caller = b.call("+4917100001");
    b.run(0.2);
    ASSERT_TRUE(b.svc->set_name(b.console, caller, "Xavier"));
    ASSERT_TRUE(b.svc->set_locked(b.console, "4711", true));
    ASSERT_TRUE(b.svc->set_max_members(b.console, "4711", 7));
    ASSERT_TRUE(b.svc->set_pin(b.console, "4711", room::PinKind::moderator, "13579"));
    EXPECT_EQ(b.svc->set_pin(b.console, "4711", room::PinKind::listener, "12").error(),
              make_error_code(errc::invalid_argument));
    b.run(0.1);
    EXPECT_TRUE(b.has<service::event::PinChanged>([](const auto& e) { return e.kind == room::PinKind::moderator; }));
    ASSERT_TRUE(b.svc->hangup(caller));
    ASSERT_TRUE(b.svc->flush_store(std::chrono::seconds(10)));
    EXPECT_FALSE(b.has<service::event::StoreFailed>());
    auto rows = st.cdr("default");
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].host_id, "host-a");
    EXPECT_EQ((*rows)[0].call_id, "sip-+4917100001");
    EXPECT_EQ((*rows)[0].arrived_utc_ms, utc0);
    EXPECT_EQ((*rows)[0].left_utc_ms, utc0 + ((*rows)[0].left_ms - (*rows)[0].arrived_ms));
  }
  // Run 2: a new host process on the same file.
  store::SqliteStore st(db.path(), StoreBench::options());
  room::Conference conf(fast_pins());
  ASSERT_TRUE(store::load_conference(st, conf, 0));
  const auto view = conf.room("default", "4711");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->locked);
  EXPECT_EQ(view->max_members, 7);
  const auto mod = conf.admit(room::AdmitRequest{"default", "4711", "+4917100002", "13579", ""}, 0);
  ASSERT_TRUE(mod);
  EXPECT_EQ(mod->role, room::Role::moderator);  // the new moderator PIN
  EXPECT_EQ(conf.admit(room::AdmitRequest{"default", "4711", "+4917100003", "8642", ""}, 0)->outcome,
            room::AdmitOutcome::wrong_pin);  // the old moderator PIN is gone
  EXPECT_EQ(conf.admit(room::AdmitRequest{"default", "4711", "+4917100004", "", ""}, 0)->outcome,
            room::AdmitOutcome::route_to_operator);  // locked: participants go to the operator
  EXPECT_EQ(st.caller_name("default", "+4917100001")->name, "Xavier");
}

// A named caller who calls again is listed by the name a moderator gave it.
TEST(ServiceStore, ACallerGetsTheNameAModeratorGaveItBack) {
  StoreBench s;
  ServiceBench& b = *s.bench;
  ASSERT_TRUE(s.sqlite.put_caller_name(store::CallerNameRecord{"default", "+4917100001", "Xavier"}));
  const auto a = b.call("+4917100001");
  b.run(0.2);
  const auto p = b.conf.participant(b.svc->call(a)->participant);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "Xavier");
  EXPECT_TRUE(b.has<service::event::NameSet>([](const auto& e) { return e.name == "Xavier"; }));
}

}  // namespace
}  // namespace libconf::test
