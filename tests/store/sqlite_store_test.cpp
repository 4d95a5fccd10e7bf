// What only the SQLite backend promises: a WAL-mode file, and a clear error for
// a path that is not a database. The Store contract itself is tested on every
// backend (store_test.cpp and its siblings).
#include "libconf/store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "libconf/room/pin.hpp"
#include "store/temp_db.hpp"

namespace libconf::store::testing {

namespace {
std::string query_one(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}
}  // namespace

TEST(SqliteStore, CreatesAWalDatabaseAndRecordsEachMigrationOnce) {
  TempDb tmp;
  { SqliteStore s(tmp.path(), cheap_options()); }
  EXPECT_EQ(query_one(tmp.path(), "PRAGMA journal_mode"), "wal");
  SqliteStore again(tmp.path(), cheap_options());
  EXPECT_EQ(query_one(tmp.path(), "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(SqliteStore::current_schema_version()));
}

TEST(SqliteStore, RefusesFilesThatAreNotDatabasesNamingThePath) {
  TempDb tmp;
  {
    std::ofstream junk(tmp.path());
    junk << std::string(4096, 'x');
  }
  try {
    SqliteStore s(tmp.path(), cheap_options());
    ADD_FAILURE() << "opened a file that is not a database";
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::store_error);
    EXPECT_NE(std::string(e.what()).find(tmp.path()), std::string::npos) << e.what();
  }
  EXPECT_THROW(SqliteStore("/nonexistent-dir/x/y.db", cheap_options()), Error);
}

}  // namespace libconf::store::testing
