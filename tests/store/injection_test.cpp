// Hostile text never becomes SQL, on every backend: names are refused by
// validation before any write; free text (topics, caller IDs, group numbers,
// details) is stored verbatim through bound parameters and every table
// survives. Text that a backend cannot store faithfully (a NUL byte, invalid
// UTF-8) is refused up front with an error naming the field.
#include <gtest/gtest.h>

#include "store/backend.hpp"

namespace libconf::store::testing {

namespace {
const std::string kEvil = "x'); DROP TABLE rooms;--";
const std::string kEvil2 = "\"; DELETE FROM tenants; SELECT \"";
// Quotes, backslashes, placeholders, format strings, comment openers, dollar quoting.
const std::vector<std::string> kHostile = {
    kEvil, kEvil2, "'", "''", "\\", "\\'", "$1", "$$; DROP TABLE tenants; $$", "%s%n%x", "?", "/*", "--",
    "E'\\x00'", "'; COMMIT; DROP SCHEMA public CASCADE; --"};
// Valid UTF-8 in 1..4 byte sequences, right-to-left text and a combining mark.
const std::string kUnicode = "Grüße – 会議室 – مؤتمر – 🎧📞 – e\u0301";

template <class F>
std::string error_text(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::invalid_argument) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}
}  // namespace

using Injection = StoreTest;

TEST_P(Injection, HostileNamesAreRefusedAndChangeNothing) {
  auto& s = store();
  s.add_tenant({"acme", {10, 2}}).value();
  room::RoomConfig c;
  c.name = kEvil;
  EXPECT_NE(error_text([&] { (void)s.add_room({"acme", c}); }).find("room name"), std::string::npos);
  EXPECT_THROW((void)s.add_tenant({kEvil, {1, 1}}), Error);
  EXPECT_THROW((void)s.put_group({"acme", kEvil, {}}), Error);
  // Lookups by a hostile name simply find nothing.
  for (const auto& h : kHostile) {
    EXPECT_EQ(s.room("acme", h).error(), errc::not_found) << h;
    EXPECT_EQ(s.room(h, "x").error(), errc::not_found) << h;
    EXPECT_EQ(s.tenant(h).error(), errc::not_found) << h;
    EXPECT_EQ(s.did(h).error(), errc::not_found) << h;
    EXPECT_EQ(s.remove_room("acme", h).error(), errc::not_found) << h;
    EXPECT_TRUE(s.rooms(h)->empty()) << h;
  }
  EXPECT_EQ(s.remove_room("acme", "' OR '1'='1").error(), errc::not_found);
  EXPECT_EQ(s.tenants()->size(), 1u);
  EXPECT_TRUE(s.rooms("acme")->empty());
  EXPECT_EQ(backend_->integrity(s), "ok");
}

TEST_P(Injection, HostileFreeTextIsStoredVerbatim) {
  auto& s = store();
  s.add_tenant({"acme", {10, 2}}).value();
  room::RoomConfig c;
  c.name = "sales";
  c.topic = kEvil;
  c.acl.allow = {kEvil2};
  ASSERT_TRUE(s.add_room({"acme", c}));
  ASSERT_TRUE(s.put_group({"acme", "g", kHostile}));
  for (const auto& h : kHostile) {
    room::LegRecord leg;
    leg.tenant = "acme";
    leg.caller_id = h;
    leg.exit_detail = h + h;
    leg.segments.push_back({h, true, room::Role::participant, 0, 1});
    ASSERT_TRUE(s.append_cdr(leg)) << h;
  }

  EXPECT_EQ(s.room("acme", "sales")->config.topic, kEvil);
  EXPECT_EQ(s.room("acme", "sales")->config.acl.allow, std::vector<std::string>{kEvil2});
  EXPECT_EQ(s.group("acme", "g")->members, kHostile);
  const auto rows = s.cdr("acme");
  ASSERT_EQ(rows->size(), kHostile.size());
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    EXPECT_EQ((*rows)[i].caller_id, kHostile[i]);
    EXPECT_EQ((*rows)[i].exit_detail, kHostile[i] + kHostile[i]);
    EXPECT_EQ((*rows)[i].segments.at(0).room, kHostile[i]);
  }
  EXPECT_EQ(s.tenants()->size(), 1u);
  EXPECT_EQ(s.rooms("acme")->size(), 1u);
  EXPECT_EQ(backend_->integrity(s), "ok");
}

TEST_P(Injection, UnicodeTextRoundTripsByteForByte) {
  auto& s = store();
  s.add_tenant({"acme", {10, 2}}).value();
  room::RoomConfig c;
  c.name = "sales";
  c.topic = kUnicode;
  ASSERT_TRUE(s.add_room({"acme", c}));
  ASSERT_TRUE(s.put_group({"acme", "g", {kUnicode}}));
  room::LegRecord leg;
  leg.tenant = "acme";
  leg.caller_id = kUnicode;
  ASSERT_TRUE(s.append_cdr(leg));
  ASSERT_TRUE(s.put_did({"+4990012345", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}));
  auto booked = s.book({"acme", kUnicode, 0, 60'000, 1, room::BillingMode::caller_pays});
  ASSERT_TRUE(booked);
  EXPECT_EQ(s.bookings("acme")->front().topic, kUnicode);
  EXPECT_EQ(s.room("acme", booked->room)->config.topic, kUnicode);
  EXPECT_EQ(s.room("acme", "sales")->config.topic, kUnicode);
  EXPECT_EQ(s.group("acme", "g")->members.front(), kUnicode);
  EXPECT_EQ(s.cdr("acme")->front().caller_id, kUnicode);
}

TEST_P(Injection, NulBytesAreRefusedBeforeAnyWrite) {
  auto& s = store();
  s.add_tenant({"acme", {10, 2}}).value();
  const std::string nul("sales\0; DROP TABLE rooms", 24);
  room::RoomConfig c;
  c.name = "sales";
  c.topic = nul;
  EXPECT_NE(error_text([&] { (void)s.add_room({"acme", c}); }).find("room topic"), std::string::npos);
  room::LegRecord leg;
  leg.tenant = "acme";
  leg.caller_id = nul;
  EXPECT_NE(error_text([&] { (void)s.append_cdr(leg); }).find("CDR caller ID"), std::string::npos);
  EXPECT_NE(error_text([&] { (void)s.put_group({"acme", "g", {nul}}); }).find("group member"), std::string::npos);
  EXPECT_THROW((void)s.add_tenant({nul, {1, 1}}), Error);
  // A key with a NUL byte cannot name a stored row: "sales\0..." is not "sales".
  c.topic = "t";
  ASSERT_TRUE(s.add_room({"acme", c}));
  EXPECT_EQ(s.room("acme", nul).error(), errc::not_found);
  EXPECT_EQ(s.remove_room("acme", nul).error(), errc::not_found);
  EXPECT_EQ(s.tenant(std::string("acme\0", 5)).error(), errc::not_found);
  EXPECT_TRUE(s.room("acme", "sales"));
  EXPECT_TRUE(s.cdr("acme")->empty());
  EXPECT_EQ(s.groups("acme")->size(), 0u);
}

TEST_P(Injection, InvalidUtf8IsRefusedNamingTheFieldAndByte) {
  auto& s = store();
  s.add_tenant({"acme", {10, 2}}).value();
  // Truncated sequence, stray continuation byte, overlong '/', a UTF-16
  // surrogate, beyond U+10FFFF, Latin-1 'ü'.
  const std::vector<std::string> bad = {"abc\xe4\xb8", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                        "Gr\xfc\xdf" "e"};
  for (const auto& b : bad) {
    room::RoomConfig c;
    c.name = "sales";
    c.topic = b;
    const std::string msg = error_text([&] { (void)s.add_room({"acme", c}); });
    EXPECT_NE(msg.find("room topic is not valid UTF-8"), std::string::npos) << msg;
    EXPECT_NE(msg.find("byte 0x"), std::string::npos) << msg;
    room::LegRecord leg;
    leg.tenant = "acme";
    leg.exit_detail = b;
    EXPECT_NE(error_text([&] { (void)s.append_cdr(leg); }).find("CDR exit detail"), std::string::npos);
    EXPECT_NE(error_text([&] { (void)s.book({"acme", b, 0, 60'000, 1, room::BillingMode::caller_pays}); })
                  .find("booking topic"),
              std::string::npos);
    EXPECT_EQ(s.room("acme", b).error(), errc::not_found);
    EXPECT_EQ(s.tenant(b).error(), errc::not_found);
  }
  const std::string latin1 = error_text([&] {
    room::RoomConfig c;
    c.name = "sales";
    c.topic = "Gr\xfc\xdf" "e";
    (void)s.add_room({"acme", c});
  });
  EXPECT_EQ(latin1.rfind("room topic is not valid UTF-8 (byte 0xfc at offset 2)", 0), 0u) << latin1;
  EXPECT_TRUE(s.rooms("acme")->empty());
  EXPECT_TRUE(s.cdr("acme")->empty());
  EXPECT_TRUE(s.bookings("acme")->empty());
}

INSTANTIATE_TEST_SUITE_P(Store, Injection, ::testing::ValuesIn(backends()), backend_name);

}  // namespace libconf::store::testing
