// What only the PostgreSQL backend promises: clear connection errors that never
// show the password, reconnecting after the server restarts (also under a
// stream of writes), bounded waits, migrations that two hosts may start at
// once, per-tenant booking locks. The Store contract itself is tested on every
// backend (store_test.cpp and its siblings).
#include "libconf/store/pg_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "store/backend.hpp"

namespace libconf::store::testing {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A plain libpq session for doing things behind the store's back.
class RawSession {
 public:
  explicit RawSession(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  ~RawSession() { PQfinish(conn_); }
  std::string exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    EXPECT_TRUE(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(r);
    std::string out = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return out;
  }

 private:
  PGconn* conn_;
};

room::LegRecord leg(std::uint64_t id) {
  room::LegRecord l;
  l.leg = id;
  l.tenant = "acme";
  l.caller_id = "+49" + std::to_string(id);
  l.segments.push_back({"sales", false, room::Role::participant, 0, 1000});
  return l;
}

}  // namespace

TEST(PgStore, UnreachableServerIsAClearErrorThatNeverShowsThePassword) {
  PgOptions o;
  o.conninfo = "host=127.0.0.1 port=1 dbname=conf user=confd password=s3cret-pw connect_timeout=2";
  o.pin_hash = cheap_pin_hash();
  const auto start = Clock::now();
  try {
    PgStore s(o);
    ADD_FAILURE() << "connected to port 1";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.code_enum(), errc::store_error);
    EXPECT_NE(msg.find("cannot connect"), std::string::npos) << msg;
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("s3cret-pw"), std::string::npos) << msg;
  }
  EXPECT_LT(seconds_since(start), 5.0);

  o.conninfo = "host=127.0.0.1 password=s3cret-pw this is not a connection string";
  try {
    PgStore s(o);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("malformed connection string"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("s3cret-pw"), std::string::npos) << e.what();
  }
  o.conninfo = "host=127.0.0.1";
  o.statement_timeout_ms = -1;
  EXPECT_THROW(PgStore{o}, Error);
}

TEST(PgStore, UriConnectionStringsWork) {
  PgSchema schema;
  // The same server and schema, as a URI with the search_path in its options.
  std::string uri = shared_pg_server().uri("libconf_test") + "?options=-csearch_path%3D" + schema.name();
  PgOptions o = schema.options();
  o.conninfo = uri;
  PgStore s(o);
  ASSERT_TRUE(s.add_tenant({"acme", {10, 1}}));
  PgStore by_keywords(schema.options());
  EXPECT_TRUE(by_keywords.tenant("acme"));
  EXPECT_EQ(s.schema_version(), PgStore::current_schema_version());
}

TEST(PgStore, HostsOpeningANewDatabaseAtOnceMigrateItOnce) {
  PgSchema schema;
  constexpr int kHosts = 4;
  std::atomic<int> opened{0};
  std::vector<std::thread> hosts;
  for (int i = 0; i < kHosts; ++i)
    hosts.emplace_back([&] {
      try {
        PgStore s(schema.options());
        if (s.schema_version() == PgStore::current_schema_version()) ++opened;
      } catch (const Error& e) {
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : hosts) t.join();
  EXPECT_EQ(opened.load(), kHosts);
  RawSession raw(schema.conninfo());
  EXPECT_EQ(raw.exec("SELECT COUNT(*) FROM schema_migrations"), std::to_string(PgStore::current_schema_version()));
}

// A booking waits for the tenant's row lock, but no longer than the statement
// timeout; another tenant's booking does not wait at all.
TEST(PgStore, BookingWaitsForItsTenantOnlyAndNoLongerThanTheTimeout) {
  PgSchema schema;
  PgOptions o = schema.options();
  o.statement_timeout_ms = 300;
  PgStore s(o);
  for (const char* t : {"acme", "other"}) {
    ASSERT_TRUE(s.add_tenant({t, {10, 2}}));
    ASSERT_TRUE(s.put_did({std::string(t) == "acme" ? "+4911" : "+4922", t, DidTarget::menu, "",
                           room::BillingMode::caller_pays}));
  }
  const BookingRequest acme{"acme", "t", 0, 60'000, 1, room::BillingMode::caller_pays};
  const BookingRequest other{"other", "t", 0, 60'000, 1, room::BillingMode::caller_pays};
  {
    RawSession holder(schema.conninfo());
    holder.exec("BEGIN");
    holder.exec("SELECT 1 FROM tenants WHERE name = 'acme' FOR UPDATE");  // as a slow booker would
    const auto start = Clock::now();
    auto blocked = s.book(acme);
    EXPECT_EQ(blocked.error(), errc::store_error);
    EXPECT_GE(seconds_since(start), 0.25);
    EXPECT_LT(seconds_since(start), 3.0);
    EXPECT_NE(s.last_error().find("statement timeout"), std::string::npos) << s.last_error();
    EXPECT_NE(s.last_error().find("57014"), std::string::npos) << s.last_error();
    // Had it waited for acme's lock, it would have timed out too.
    EXPECT_TRUE(s.book(other)) << s.last_error();
    holder.exec("ROLLBACK");
  }
  EXPECT_TRUE(s.book(acme));
  EXPECT_TRUE(s.last_error().empty());
  EXPECT_EQ(s.bookings("acme")->size(), 1u);
  EXPECT_EQ(s.rooms("acme")->size(), 1u);  // the timed-out booking left nothing behind
}

// ---- restarts: each test has a server of its own to restart ----------------------

class PgRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::PgServer::start();
    options_.conninfo = server_->conninfo("postgres");
    options_.pin_hash = cheap_pin_hash();
    options_.connect_timeout_s = 2;
  }
  std::unique_ptr<test::PgServer> server_;
  PgOptions options_;
};

TEST_F(PgRestart, TheNextCallAfterARestartReconnectsAndSucceeds) {
  PgStore s(options_);
  ASSERT_TRUE(s.add_tenant({"acme", {10, 2}}));
  server_->restart();
  // A read: the broken connection is found, re-opened, the read run again.
  auto t = s.tenant("acme");
  ASSERT_TRUE(t) << s.last_error();
  EXPECT_EQ(s.reconnects(), 1);
  server_->restart();
  // A write that failed before COMMIT: run again on the new connection.
  room::RoomConfig sales;
  sales.name = "sales";
  ASSERT_TRUE(s.add_room({"acme", sales})) << s.last_error();
  EXPECT_EQ(s.reconnects(), 2);
  server_->restart();
  ASSERT_TRUE(s.append_cdr(leg(1))) << s.last_error();
  EXPECT_EQ(s.cdr("acme")->size(), 1u);
  EXPECT_EQ(s.reconnects(), 3);
}

TEST_F(PgRestart, WhileTheServerIsDownCallsFailFastNamingTheCauseThenRecover) {
  PgStore s(options_);
  ASSERT_TRUE(s.add_tenant({"acme", {10, 2}}));
  server_->stop();
  const auto start = Clock::now();
  EXPECT_EQ(s.tenant("acme").error(), errc::store_error);
  EXPECT_EQ(s.append_cdr(leg(1)).error(), errc::store_error);
  EXPECT_LT(seconds_since(start), 2.0);  // refused at once, not a hang
  EXPECT_NE(s.last_error().find("127.0.0.1"), std::string::npos) << s.last_error();
  EXPECT_NE(s.last_error().find("onnection refused"), std::string::npos) << s.last_error();
  server_->start_again();
  ASSERT_TRUE(s.append_cdr(leg(2))) << s.last_error();
  const auto rows = s.cdr("acme");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().leg, 2u);
}

// A writer appends CDR rows without pause while the server restarts under it
// three times. Every append either succeeds (and its row is there afterwards)
// or returns store_error; the only rows not confirmed are those whose COMMIT
// was in flight when the connection broke (at most one per restart).
TEST_F(PgRestart, WritesDuringRestartsAreStoredOrReportedNeverLostSilently) {
  constexpr int kRestarts = 3;
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::uint64_t> confirmed;
  PgStore s(options_);
  ASSERT_TRUE(s.add_tenant({"acme", {10, 2}}));
  std::thread writer([&] {
    for (std::uint64_t i = 1; !stop.load() && i < 1'000'000; ++i) {
      if (s.append_cdr(leg(i))) {
        ++ok;
        confirmed.push_back(i);
      } else {
        ++failed;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  });
  for (int r = 0; r < kRestarts; ++r) {
    const int before = ok.load();
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (ok.load() < before + 50 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server_->restart();
  }
  const int before = ok.load();
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (ok.load() < before + 50 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();
  EXPECT_GE(ok.load(), 50 * (kRestarts + 1)) << "the writer did not recover";
  EXPECT_GE(s.reconnects(), kRestarts);
  PgStore check(options_);
  const auto rows = check.cdr("acme");
  ASSERT_TRUE(rows) << check.last_error();
  std::set<std::uint64_t> present;
  for (const auto& r : *rows) {
    EXPECT_TRUE(present.insert(r.leg).second) << "leg " << r.leg << " stored twice";
    EXPECT_EQ(r.segments.size(), 1u) << "leg " << r.leg << " half written";
  }
  for (auto id : confirmed) EXPECT_TRUE(present.count(id)) << "confirmed leg " << id << " lost";
  EXPECT_LE(present.size(), confirmed.size() + static_cast<std::size_t>(failed.load()));
  EXPECT_LE(present.size(), confirmed.size() + kRestarts);
}

}  // namespace libconf::store::testing
