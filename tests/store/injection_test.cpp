// Hostile text never becomes SQL: names are refused by validation before any
// write; free text (topics, caller IDs, group numbers, details) is stored verbatim
// through bound parameters and every table survives.
#include <gtest/gtest.h>

#include "libconf/store/sqlite_store.hpp"
#include "store/temp_db.hpp"

namespace libconf::store::testing {

namespace {
const std::string kEvil = "x'); DROP TABLE rooms;--";
const std::string kEvil2 = "\"; DELETE FROM tenants; SELECT \"";
}  // namespace

TEST(Injection, HostileNamesAreRefusedAndChangeNothing) {
  TempDb tmp;
  SqliteStore s(tmp.path(), cheap_options());
  s.add_tenant({"acme", {10, 2}}).value();
  room::RoomConfig c;
  c.name = kEvil;
  try {
    (void)s.add_room({"acme", c});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("room name"), std::string::npos);
  }
  EXPECT_THROW((void)s.add_tenant({kEvil, {1, 1}}), Error);
  EXPECT_THROW((void)s.put_group({"acme", kEvil, {}}), Error);
  // Lookups by a hostile name simply find nothing.
  EXPECT_EQ(s.room("acme", kEvil).error(), errc::not_found);
  EXPECT_EQ(s.room(kEvil2, "x").error(), errc::not_found);
  EXPECT_EQ(s.remove_room("acme", "' OR '1'='1").error(), errc::not_found);
  EXPECT_EQ(s.tenants()->size(), 1u);
  EXPECT_TRUE(s.rooms("acme")->empty());
  EXPECT_EQ(s.integrity_check(), "ok");
}

TEST(Injection, HostileFreeTextIsStoredVerbatim) {
  TempDb tmp;
  SqliteStore s(tmp.path(), cheap_options());
  s.add_tenant({"acme", {10, 2}}).value();
  room::RoomConfig c;
  c.name = "sales";
  c.topic = kEvil;
  c.acl.allow = {kEvil2};
  ASSERT_TRUE(s.add_room({"acme", c}));
  ASSERT_TRUE(s.put_group({"acme", "g", {kEvil, kEvil2}}));
  room::LegRecord leg;
  leg.tenant = "acme";
  leg.caller_id = kEvil;
  leg.exit_detail = kEvil2;
  ASSERT_TRUE(s.append_cdr(leg));

  EXPECT_EQ(s.room("acme", "sales")->config.topic, kEvil);
  EXPECT_EQ(s.room("acme", "sales")->config.acl.allow, std::vector<std::string>{kEvil2});
  EXPECT_EQ(s.group("acme", "g")->members, (std::vector<std::string>{kEvil, kEvil2}));
  EXPECT_EQ(s.cdr("acme")->front().caller_id, kEvil);
  EXPECT_EQ(s.cdr("acme")->front().exit_detail, kEvil2);
  EXPECT_EQ(s.tenants()->size(), 1u);
  EXPECT_EQ(s.rooms("acme")->size(), 1u);
  EXPECT_EQ(s.integrity_check(), "ok");
}

}  // namespace libconf::store::testing
