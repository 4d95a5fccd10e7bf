// The Store contract, run against every backend (store/backend.hpp).
#include "libconf/store/store.hpp"

#include <gtest/gtest.h>

#include "libconf/room/cdr.hpp"
#include "libconf/room/pin.hpp"
#include "store/backend.hpp"

namespace libconf::store::testing {

namespace {
room::RoomConfig sample_room(const std::string& name) {
  room::RoomConfig c;
  c.name = name;
  c.topic = "Quarterly numbers, Q3";
  c.max_members = 25;
  c.participant_pin_hash = room::hash_pin("1234", room::PinHashParams::minimum());
  c.moderator_pin_hash = room::hash_pin("98765", room::PinHashParams::minimum());
  c.when_full = room::FullPolicy::overflow;
  c.wait_for_moderator = true;
  c.end_with_last_moderator = true;
  c.end_grace_ms = 30'000;
  c.acl.allow = {"+49*", "sip:*@acme.example"};
  c.acl.deny = {"+49170*"};
  return c;
}
}  // namespace

using Conformance = StoreTest;

TEST_P(Conformance, CreatesTheSchemaWithAllMigrationsOnce) {
  EXPECT_EQ(backend_->schema_version(store()), backend_->current_schema_version());
  EXPECT_EQ(backend_->integrity(store()), "ok");
  // A second store on the same database applies nothing twice and works at once.
  auto again = backend_->open();
  EXPECT_EQ(backend_->schema_version(*again), backend_->current_schema_version());
  ASSERT_TRUE(again->add_tenant({"acme", {1, 1}}));
  EXPECT_EQ(store().tenants()->size(), 1u);
}

TEST_P(Conformance, RefusesASchemaNewerThanThisBuild) {
  backend_->record_schema_version(999);
  try {
    (void)backend_->open();
    ADD_FAILURE() << "opened a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code_enum(), errc::store_error);
    EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
  }
}

TEST_P(Conformance, TenantsAndQuotas) {
  auto& s = store();
  ASSERT_TRUE(s.add_tenant({"acme", {40, 4}}));
  EXPECT_EQ(s.add_tenant({"acme", {1, 1}}).error(), errc::already_exists);
  ASSERT_TRUE(s.set_quota("acme", {80, 8}));
  EXPECT_EQ(s.tenant("acme")->quota.max_participants, 80);
  EXPECT_EQ(s.tenant("acme")->quota.max_rooms, 8);
  EXPECT_EQ(s.set_quota("nope", {1, 1}).error(), errc::not_found);
  EXPECT_EQ(s.tenant("nope").error(), errc::not_found);
  EXPECT_THROW((void)s.add_tenant({"bad name", {1, 1}}), Error);
  EXPECT_THROW((void)s.set_quota("acme", {0, 1}), Error);
  EXPECT_EQ(s.tenants()->size(), 1u);
}

TEST_P(Conformance, ListingsAreInBytewiseNameOrder) {
  auto& s = store();
  // Upper case sorts before lower case bytewise, whatever the server's locale.
  for (const char* t : {"beta", "Zulu", "alpha", "_x", "0day"}) ASSERT_TRUE(s.add_tenant({t, {10, 2}}));
  std::vector<std::string> names;
  const auto tenants = s.tenants();
  for (const auto& t : *tenants) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0day", "Zulu", "_x", "alpha", "beta"}));
  for (const char* r : {"b", "B", "a"}) ASSERT_TRUE(s.add_room({"alpha", sample_room(r)}));
  std::vector<std::string> rooms;
  const auto listed = s.rooms("alpha");
  for (const auto& r : *listed) rooms.push_back(r.config.name);
  EXPECT_EQ(rooms, (std::vector<std::string>{"B", "a", "b"}));
}

TEST_P(Conformance, RoomsRoundTripEveryField) {
  auto& s = store();
  s.add_tenant({"acme", {40, 4}}).value();
  const auto cfg = sample_room("sales");
  ASSERT_TRUE(s.add_room({"acme", cfg}));
  EXPECT_EQ(s.add_room({"acme", cfg}).error(), errc::already_exists);
  EXPECT_EQ(s.add_room({"ghost", cfg}).error(), errc::not_found);  // unknown tenant
  auto r = s.room("acme", "sales");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tenant, "acme");
  EXPECT_EQ(r->config.name, "sales");
  EXPECT_EQ(r->config.topic, cfg.topic);
  EXPECT_EQ(r->config.max_members, 25);
  EXPECT_TRUE(room::verify_pin(r->config.participant_pin_hash, "1234"));
  EXPECT_TRUE(room::verify_pin(r->config.moderator_pin_hash, "98765"));
  EXPECT_TRUE(r->config.listener_pin_hash.empty());
  EXPECT_EQ(r->config.when_full, room::FullPolicy::overflow);
  EXPECT_TRUE(r->config.wait_for_moderator);
  EXPECT_TRUE(r->config.end_with_last_moderator);
  EXPECT_EQ(r->config.end_grace_ms, 30'000);
  EXPECT_EQ(r->config.acl.allow, cfg.acl.allow);
  EXPECT_EQ(r->config.acl.deny, cfg.acl.deny);

  auto changed = cfg;
  changed.max_members = 99;
  changed.topic = "changed";
  changed.wait_for_moderator = false;
  changed.acl = {};
  ASSERT_TRUE(s.update_room({"acme", changed}));
  EXPECT_EQ(s.room("acme", "sales")->config.max_members, 99);
  EXPECT_EQ(s.room("acme", "sales")->config.topic, "changed");
  EXPECT_FALSE(s.room("acme", "sales")->config.wait_for_moderator);
  EXPECT_TRUE(s.room("acme", "sales")->config.acl.empty());
  changed.name = "other";
  EXPECT_EQ(s.update_room({"acme", changed}).error(), errc::not_found);
  // PINs only as hashes.
  auto clear = cfg;
  clear.participant_pin_hash = "1234";
  EXPECT_THROW((void)s.add_room({"acme", clear}), Error);

  ASSERT_TRUE(s.put_did({"+4930555", "acme", DidTarget::room, "sales", room::BillingMode::caller_pays}));
  EXPECT_EQ(s.remove_room("acme", "sales").error(), errc::invalid_state);  // a DID points at it
  EXPECT_TRUE(s.room("acme", "sales"));
  ASSERT_TRUE(s.put_did({"+4930555", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}));
  EXPECT_TRUE(s.remove_room("acme", "sales"));
  EXPECT_EQ(s.remove_room("acme", "sales").error(), errc::not_found);
  EXPECT_TRUE(s.rooms("acme")->empty());
}

TEST_P(Conformance, ModeratorsGroupsAndDids) {
  auto& s = store();
  s.add_tenant({"acme", {40, 4}}).value();
  const std::string h = room::hash_pin("4711", room::PinHashParams::minimum());
  ASSERT_TRUE(s.put_moderator({"acme", "anna", "+4930111", h}));
  ASSERT_TRUE(s.put_moderator({"acme", "anna", "+4930222", h}));  // replace
  EXPECT_EQ(s.moderator("acme", "anna")->caller_id, "+4930222");
  EXPECT_TRUE(room::verify_pin(s.moderator("acme", "anna")->pin_hash, "4711"));
  EXPECT_EQ(s.moderators("acme")->size(), 1u);
  EXPECT_EQ(s.put_moderator({"ghost", "anna", "", h}).error(), errc::not_found);
  EXPECT_THROW((void)s.put_moderator({"acme", "bob", "", "4711"}), Error);
  EXPECT_TRUE(s.remove_moderator("acme", "anna"));
  EXPECT_EQ(s.remove_moderator("acme", "anna").error(), errc::not_found);
  EXPECT_EQ(s.moderator("acme", "anna").error(), errc::not_found);

  ASSERT_TRUE(s.put_group({"acme", "sales-team", {"300", "701", "sip:carol@acme.example"}}));
  EXPECT_EQ(s.group("acme", "sales-team")->members,
            (std::vector<std::string>{"300", "701", "sip:carol@acme.example"}));
  ASSERT_TRUE(s.put_group({"acme", "sales-team", {"702"}}));
  EXPECT_EQ(s.group("acme", "sales-team")->members, std::vector<std::string>{"702"});
  ASSERT_TRUE(s.put_group({"acme", "empty", {}}));
  EXPECT_TRUE(s.group("acme", "empty")->members.empty());
  ASSERT_EQ(s.groups("acme")->size(), 2u);
  EXPECT_EQ(s.groups("acme")->at(0).name, "empty");
  EXPECT_EQ(s.groups("acme")->at(1).members, std::vector<std::string>{"702"});
  EXPECT_EQ(s.group("acme", "nope").error(), errc::not_found);
  EXPECT_EQ(s.put_group({"ghost", "g", {"1"}}).error(), errc::not_found);
  EXPECT_THROW((void)s.put_group({"acme", "g", {"ok", "bad\nnumber"}}), Error);

  ASSERT_TRUE(s.put_did({"+49900123", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}));
  ASSERT_TRUE(s.put_did({"*100", "acme", DidTarget::operator_queue, "", room::BillingMode::initiator_pays}));
  auto d = s.did("+49900123");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->target, DidTarget::menu);
  EXPECT_EQ(d->tenant, "acme");
  EXPECT_TRUE(d->room.empty());
  EXPECT_EQ(s.did("*100")->billing, room::BillingMode::initiator_pays);
  EXPECT_EQ(s.did("*100")->target, DidTarget::operator_queue);
  EXPECT_EQ(s.dids("acme")->size(), 2u);
  EXPECT_EQ(s.did("+4900000").error(), errc::not_found);
  EXPECT_EQ(s.put_did({"+4930999", "acme", DidTarget::room, "nosuchroom", room::BillingMode::caller_pays}).error(),
            errc::not_found);
  EXPECT_EQ(s.put_did({"+4930999", "ghost", DidTarget::menu, "", room::BillingMode::caller_pays}).error(),
            errc::not_found);
  EXPECT_THROW((void)s.put_did({"12+3", "acme", DidTarget::menu, "", room::BillingMode::caller_pays}), Error);
  EXPECT_THROW((void)s.put_did({std::string(1000, '1'), "acme", DidTarget::menu, "", room::BillingMode::caller_pays}),
               Error);
}

TEST_P(Conformance, CdrAndSessionsRoundTrip) {
  auto& s = store();
  room::CdrRecorder rec;
  rec.arrive(1, "acme", "+4930", "+49800", room::BillingMode::initiator_pays, 0).value();
  rec.enter_room(1, "sales", false, room::Role::moderator, 2'000).value();
  rec.enter_room(1, "sales/side-1", true, room::Role::moderator, 5'000).value();
  auto leg = rec.depart(1, room::ExitReason::hangup, "", 9'000).value();
  rec.arrive(2, "acme", "+4931", "+49800", room::BillingMode::caller_pays, 100).value();
  auto no_segments = rec.depart(2, room::ExitReason::error, "dropped in the menu", 700).value();
  ASSERT_TRUE(s.append_cdr(leg));
  ASSERT_TRUE(s.append_cdr(no_segments));
  auto rows = s.cdr("acme");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  const auto& r = rows->front();
  EXPECT_EQ(r.billing, room::BillingMode::initiator_pays);
  EXPECT_EQ(r.role, room::Role::moderator);
  EXPECT_EQ(r.ivr_ms, 2'000);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_TRUE(r.segments[1].side_room);
  EXPECT_EQ(r.side_room_ms(), 4'000);
  EXPECT_TRUE((*rows)[1].segments.empty());
  EXPECT_EQ(room::to_csv(*rows), room::to_csv(std::vector<room::LegRecord>{leg, no_segments}));
  ASSERT_TRUE(s.append_session({"acme", "anna", 100, 3'700}));
  ASSERT_TRUE(s.append_session({"acme", "bob", 200, 300}));
  ASSERT_EQ(s.sessions("acme")->size(), 2u);
  EXPECT_EQ(s.sessions("acme")->front().duration_ms(), 3'600);
  EXPECT_EQ(s.sessions("acme")->back().moderator, "bob");
  EXPECT_TRUE(s.cdr("other")->empty());
  EXPECT_TRUE(s.sessions("other")->empty());
  EXPECT_THROW((void)s.append_session({"acme", "bad\nname", 0, 1}), Error);
}

TEST_P(Conformance, LargeValuesRoundTrip) {
  auto& s = store();
  s.add_tenant({"acme", {1'000'000, 100'000}}).value();
  EXPECT_EQ(s.tenant("acme")->quota.max_participants, 1'000'000);
  room::LegRecord leg;
  leg.leg = (std::uint64_t{1} << 62) + 7;
  leg.tenant = "acme";
  leg.arrived_ms = 4'102'444'800'000;  // 2100-01-01
  leg.left_ms = leg.arrived_ms + 86'400'000;
  leg.segments.push_back({"r", false, room::Role::listener, leg.arrived_ms, leg.left_ms});
  ASSERT_TRUE(s.append_cdr(leg));
  const auto back = s.cdr("acme")->front();
  EXPECT_EQ(back.leg, leg.leg);
  EXPECT_EQ(back.left_ms, leg.left_ms);
  EXPECT_EQ(back.segments.front().role, room::Role::listener);
  EXPECT_EQ(back.segments.front().end_ms, leg.left_ms);
}

// Schema step 4: what moderators leave behind (a room's lock, callers' names)
// and records that merge across hosts (host, SIP Call-ID, UTC).
TEST_P(Conformance, LocksCallerNamesAndRecordOriginsRoundTrip) {
  auto& s = store();
  s.add_tenant({"acme", {40, 4}}).value();
  auto cfg = sample_room("sales");
  ASSERT_TRUE(s.add_room({"acme", cfg, true}));
  EXPECT_TRUE(s.room("acme", "sales")->locked);
  ASSERT_TRUE(s.update_room({"acme", cfg, false}));
  EXPECT_FALSE(s.rooms("acme")->front().locked);

  EXPECT_EQ(s.caller_name("acme", "+4930").error(), errc::not_found);
  ASSERT_TRUE(s.put_caller_name({"acme", "+4930", "Xavier"}));
  ASSERT_TRUE(s.put_caller_name({"acme", "+4930", "Xavier L."}));  // replace
  EXPECT_EQ(s.caller_name("acme", "+4930")->name, "Xavier L.");
  ASSERT_TRUE(s.put_caller_name({"acme", "+4930", ""}));  // forget
  EXPECT_EQ(s.caller_name("acme", "+4930").error(), errc::not_found);
  EXPECT_EQ(s.put_caller_name({"ghost", "+4930", "x"}).error(), errc::not_found);
  EXPECT_THROW((void)s.put_caller_name({"acme", "+4930", "bad\xff"}), Error);

  room::CdrRecorder rec;
  rec.arrive(1, "acme", "+4930", "", room::BillingMode::caller_pays, 1'000, {"host-b", "abc@10.0.0.1", 1'800'000'000'000})
      .value();
  auto leg = rec.depart(1, room::ExitReason::hangup, "", 4'000).value();
  ASSERT_TRUE(s.append_cdr(leg));
  const auto r = s.cdr("acme")->front();
  EXPECT_EQ(r.host_id, "host-b");
  EXPECT_EQ(r.call_id, "abc@10.0.0.1");
  EXPECT_EQ(r.arrived_utc_ms, 1'800'000'000'000);
  EXPECT_EQ(r.left_utc_ms, 1'800'000'003'000);
  room::ModeratorSession m{"acme", "+4930", 0, 60'000, "host-b", "abc@10.0.0.1", 1'800'000'000'000, 1'800'000'060'000};
  ASSERT_TRUE(s.append_session(m));  // a caller ID as the moderator's name
  const auto back = s.sessions("acme")->front();
  EXPECT_EQ(back.moderator, "+4930");
  EXPECT_EQ(back.host_id, "host-b");
  EXPECT_EQ(back.logout_utc_ms, 1'800'000'060'000);
}

INSTANTIATE_TEST_SUITE_P(Store, Conformance, ::testing::ValuesIn(backends()), backend_name);

}  // namespace libconf::store::testing
