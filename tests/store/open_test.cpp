// One configuration string chooses the backend (open.hpp).
#include "libconf/store/open.hpp"

#include <gtest/gtest.h>

#include "libconf/store/sqlite_store.hpp"
#include "store/backend.hpp"
#include "store/temp_db.hpp"

namespace libconf::store::testing {
namespace {
OpenOptions cheap() {
  OpenOptions o;
  o.pin_hash = cheap_pin_hash();
  return o;
}
}  // namespace

TEST(OpenStore, PathsAndSqliteLocationsOpenSqlite) {
  TempDb tmp;
  auto plain = open_store(tmp.path(), cheap());
  ASSERT_NE(dynamic_cast<SqliteStore*>(plain.get()), nullptr);
  ASSERT_TRUE(plain->add_tenant({"acme", {1, 1}}));
  auto prefixed = open_store("sqlite:" + tmp.path(), cheap());
  ASSERT_NE(dynamic_cast<SqliteStore*>(prefixed.get()), nullptr);
  EXPECT_TRUE(prefixed->tenant("acme"));
  EXPECT_FALSE(is_postgres_location(tmp.path()));
  for (const char* bad : {"", "sqlite:"}) {
    try {
      (void)open_store(bad, cheap());
      ADD_FAILURE() << "opened '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code_enum(), errc::invalid_argument) << e.what();
    }
  }
}

TEST(OpenStore, PostgresLocationsOpenPostgresOrSayWhyNot) {
  EXPECT_TRUE(is_postgres_location("postgresql://u@h/db"));
  EXPECT_TRUE(is_postgres_location("postgres://h"));
  EXPECT_TRUE(is_postgres_location("pg:host=h dbname=d"));
#ifdef LIBCONF_HAS_POSTGRES
  PgSchema schema;
  auto by_uri = open_store(shared_pg_server().uri("libconf_test") + "?options=-csearch_path%3D" + schema.name(),
                           cheap());
  ASSERT_NE(dynamic_cast<PgStore*>(by_uri.get()), nullptr);
  ASSERT_TRUE(by_uri->add_tenant({"acme", {1, 1}}));
  auto by_keywords = open_store("pg:" + schema.conninfo(), cheap());
  ASSERT_NE(dynamic_cast<PgStore*>(by_keywords.get()), nullptr);
  EXPECT_TRUE(by_keywords->tenant("acme"));
#else
  try {
    (void)open_store("postgresql://u@h/db", cheap());
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::not_supported) << e.what();
  }
#endif
}

}  // namespace libconf::store::testing
