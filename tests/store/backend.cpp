#include "store/backend.hpp"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "libconf/store/sqlite_store.hpp"
#include "store/temp_db.hpp"


namespace libconf::store::testing {
namespace {

class SqliteBackend final : public Backend {
 public:
  std::unique_ptr<Store> open() override {
    SqliteOptions o;
    o.pin_hash = cheap_pin_hash();
    return std::make_unique<SqliteStore>(tmp_.path(), o);
  }
  int schema_version(Store& s) override { return static_cast<SqliteStore&>(s).schema_version(); }
  int current_schema_version() override { return SqliteStore::current_schema_version(); }
  void record_schema_version(int version) override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(tmp_.path().c_str(), &db), SQLITE_OK);
    const std::string sql =
        "INSERT INTO schema_migrations VALUES (" + std::to_string(version) + ", 'from the future', datetime('now'))";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  std::string integrity(Store& s) override { return static_cast<SqliteStore&>(s).integrity_check(); }

 private:
  TempDb tmp_;
};

#ifdef LIBCONF_HAS_POSTGRES

class PgBackend final : public Backend {
 public:
  std::unique_ptr<Store> open() override { return std::make_unique<PgStore>(schema_.options()); }
  int schema_version(Store& s) override { return static_cast<PgStore&>(s).schema_version(); }
  int current_schema_version() override { return PgStore::current_schema_version(); }
  void record_schema_version(int version) override {
    schema_.admin("INSERT INTO " + schema_.name() + ".schema_migrations(version, description) VALUES (" +
                  std::to_string(version) + ", 'from the future')");
  }
  std::string integrity(Store&) override { return "ok"; }

 private:
  PgSchema schema_;
};

#endif

}  // namespace

#ifdef LIBCONF_HAS_POSTGRES

test::PgServer& shared_pg_server() {
  static std::unique_ptr<test::PgServer> server = [] {
    if (const char* state = std::getenv("LIBCONF_TEST_PG_STATE"); state && *state)
      return test::PgServer::attach(state);
    auto own = test::PgServer::start();
    own->admin("CREATE DATABASE libconf_test");
    return own;
  }();
  return *server;
}

PgSchema::PgSchema() : server_(shared_pg_server()) {
  static std::atomic<int> counter{0};
  // Made of digits here, never of input: safe to put into SQL text.
  name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  admin("CREATE SCHEMA " + name_);
}

PgSchema::~PgSchema() {
  try {
    admin("DROP SCHEMA " + name_ + " CASCADE");
  } catch (const std::exception&) {
    // The server is gone already: nothing left to clean.
  }
}

std::string PgSchema::conninfo() const {
  return server_.conninfo("libconf_test", "options='-c search_path=" + name_ + "'");
}

PgOptions PgSchema::options() const {
  PgOptions o;
  o.conninfo = conninfo();
  o.pin_hash = cheap_pin_hash();
  return o;
}

void PgSchema::admin(const std::string& sql) const { server_.admin(sql, "libconf_test"); }

#endif

std::vector<BackendKind> backends() {
  std::vector<BackendKind> out{{"sqlite", [] { return std::make_unique<SqliteBackend>(); }}};
#ifdef LIBCONF_HAS_POSTGRES
  out.push_back({"postgres", [] { return std::make_unique<PgBackend>(); }});
#endif
  return out;
}

}  // namespace libconf::store::testing
