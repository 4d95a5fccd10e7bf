#pragma once
// The store conformance suite runs every test against every Store backend built
// in (SQLite always, PostgreSQL with LIBCONF_WITH_POSTGRES). A Backend is one
// test's fresh, empty database; open() gives a new Store on it (a new SQLite
// handle or a new PostgreSQL connection), so tests can race two of them.
//
// PostgreSQL: the server named by the state file in $LIBCONF_TEST_PG_STATE
// (started once per CTest run by the pg_server fixture), or, when that variable
// is unset (running a test binary by hand), one started for this process. Each
// test gets its own schema in database libconf_test, dropped afterwards.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libconf/room/pin.hpp"
#include "libconf/store/store.hpp"

#ifdef LIBCONF_HAS_POSTGRES
#include "libconf/store/pg_store.hpp"
#include "support/pg_server.hpp"
#endif

namespace libconf::store::testing {

class Backend {
 public:
  virtual ~Backend() = default;
  /// A new Store object on this test's database.
  virtual std::unique_ptr<Store> open() = 0;
  virtual int schema_version(Store& store) = 0;
  virtual int current_schema_version() = 0;
  /// Records schema step `version` as a newer libconf would, behind the store's back.
  virtual void record_schema_version(int version) = 0;
  /// The backend's own consistency check: "ok" when sound.
  virtual std::string integrity(Store& store) = 0;
};

struct BackendKind {
  std::string name;  // "sqlite", "postgres": the suffix of each test's name
  std::function<std::unique_ptr<Backend>()> make;
};

/// Every backend this build has.
std::vector<BackendKind> backends();

inline void PrintTo(const BackendKind& kind, std::ostream* os) { *os << kind.name; }

inline std::string backend_name(const ::testing::TestParamInfo<BackendKind>& info) { return info.param.name; }

/// A test on one backend: store_ is open on a fresh database.
class StoreTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    store_ = backend_->open();
  }
  Store& store() { return *store_; }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Store> store_;
};

#ifdef LIBCONF_HAS_POSTGRES
/// The PostgreSQL server shared by this process's tests (see above).
test::PgServer& shared_pg_server();

/// One test's own schema in database libconf_test on the shared server,
/// dropped with everything in it when the object goes.
class PgSchema {
 public:
  PgSchema();
  ~PgSchema();
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;
  const std::string& name() const noexcept { return name_; }
  /// A connection string whose search_path is this schema.
  std::string conninfo() const;
  /// PgOptions on conninfo() with cheap PIN hashing.
  PgOptions options() const;
  /// Runs SQL text as the superuser in database libconf_test.
  void admin(const std::string& sql) const;

 private:
  test::PgServer& server_;
  std::string name_;
};
#endif

/// PIN hashing at libsodium's minimum cost: the tests make hundreds of hashes.
inline room::PinHashParams cheap_pin_hash() { return room::PinHashParams::minimum(); }

}  // namespace libconf::store::testing
