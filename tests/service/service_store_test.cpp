// The store is written and read on a thread of its own: a slow or failing
// store never delays a call, a failed write is reported and retried in order,
// nothing is dropped silently.
#include <gtest/gtest.h>

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
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.svc->hangup(b.call("+49171000" + std::to_string(10 + i))));
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
