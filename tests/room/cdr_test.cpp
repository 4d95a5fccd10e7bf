#include "libconf/room/cdr.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

namespace libconf::room {

namespace {
LegRecord sample_leg(CdrRecorder& cdr) {
  EXPECT_TRUE(cdr.arrive(7, "acme", "+49301234", "+4980012345", BillingMode::initiator_pays, 1'000));
  EXPECT_TRUE(cdr.enter_queue(7, 4'000));                            // 3 s in the IVR
  EXPECT_TRUE(cdr.enter_room(7, "sales", false, Role::participant, 10'000));  // 6 s queued
  EXPECT_TRUE(cdr.enter_room(7, "sales/side-1", true, Role::participant, 70'000));
  EXPECT_TRUE(cdr.enter_room(7, "sales", false, Role::participant, 100'000));
  auto rec = cdr.depart(7, ExitReason::kicked, "said \"no\", twice", 160'000);
  EXPECT_TRUE(rec);
  return rec.value();
}
}  // namespace

TEST(Cdr, SegmentsAndTotals) {
  CdrRecorder cdr;
  LegRecord r = sample_leg(cdr);
  EXPECT_EQ(r.ivr_ms, 3'000);
  EXPECT_EQ(r.queue_ms, 6'000);
  ASSERT_EQ(r.segments.size(), 3u);
  EXPECT_EQ(r.segments[0].duration_ms(), 60'000);
  EXPECT_TRUE(r.segments[1].side_room);
  EXPECT_EQ(r.segments[1].duration_ms(), 30'000);
  EXPECT_EQ(r.conference_ms(), 120'000);
  EXPECT_EQ(r.side_room_ms(), 30'000);
  EXPECT_EQ(r.exit, ExitReason::kicked);
  EXPECT_EQ(cdr.open_legs(), 0u);
  EXPECT_EQ(cdr.take_finished().size(), 1u);
  EXPECT_TRUE(cdr.take_finished().empty());
}

TEST(Cdr, RoleIsTheHighestHeldAndUnknownLegsAreErrors) {
  CdrRecorder cdr;
  cdr.arrive(1, "acme", "+1", "", BillingMode::caller_pays, 0).value();
  EXPECT_EQ(cdr.arrive(1, "acme", "+1", "", BillingMode::caller_pays, 0).error(), errc::already_exists);
  cdr.enter_room(1, "r", false, Role::participant, 10).value();
  cdr.enter_room(1, "r2", false, Role::moderator, 20).value();
  EXPECT_EQ(cdr.depart(1, ExitReason::hangup, "", 30)->role, Role::moderator);
  EXPECT_EQ(cdr.enter_room(99, "r", false, Role::participant, 0).error(), errc::not_found);
  EXPECT_EQ(cdr.depart(99, ExitReason::hangup, "", 0).error(), errc::not_found);
  // A caller who hangs up in the IVR spent all its time there.
  cdr.arrive(2, "acme", "+2", "", BillingMode::caller_pays, 100).value();
  EXPECT_EQ(cdr.depart(2, ExitReason::hangup, "", 900)->ivr_ms, 800);
}

// Records from several hosts merge: each names its host and the host's call
// id, and carries UTC times; the end's is derived from the monotonic
// duration, so a wall-clock step during the call changes nothing.
TEST(Cdr, RecordsCarryTheHostTheCallIdAndUtcTimes) {
  CdrRecorder cdr;
  const std::int64_t t0 = 1'700'000'000'000;  // 2023-11-14 UTC
  cdr.arrive(3, "acme", "+1", "+49800", BillingMode::caller_pays, 5'000,
             CallOrigin{"host-b", "a84b4c76e66710@pc33.example.org", t0})
      .value();
  (void)cdr.enter_room(3, "sales", false, Role::participant, 6'000);
  const auto rec = cdr.depart(3, ExitReason::hangup, "", 65'000);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->host_id, "host-b");
  EXPECT_EQ(rec->call_id, "a84b4c76e66710@pc33.example.org");
  EXPECT_EQ(rec->arrived_utc_ms, t0);
  EXPECT_EQ(rec->left_utc_ms, t0 + 60'000);
  cdr.moderator_login("acme", "+1", 10'000, CallOrigin{"host-b", "x@y", t0 + 5'000}).value();
  const auto s = cdr.moderator_logout("acme", "+1", 70'000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->host_id, "host-b");
  EXPECT_EQ(s->call_id, "x@y");
  EXPECT_EQ(s->logout_utc_ms, t0 + 5'000 + 60'000);
  EXPECT_NE(to_csv(std::vector<LegRecord>{*rec}).find(",host-b,a84b4c76e66710@pc33.example.org,1700000000000,1700000060000"),
            std::string::npos);
  EXPECT_THROW((void)cdr.arrive(4, "acme", "+1", "", BillingMode::caller_pays, 0, CallOrigin{"bad\n", "", 0}), Error);
}

TEST(Cdr, ModeratorSessions) {
  CdrRecorder cdr;
  cdr.moderator_login("acme", "anna", 1'000).value();
  EXPECT_EQ(cdr.moderator_login("acme", "anna", 2'000).error(), errc::already_exists);
  auto s = cdr.moderator_logout("acme", "anna", 61'000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->duration_ms(), 60'000);
  EXPECT_EQ(cdr.moderator_logout("acme", "anna", 62'000).error(), errc::not_found);
  const std::string csv = to_csv(cdr.take_sessions());
  EXPECT_EQ(csv, "tenant,moderator,login_ms,logout_ms,duration_ms,host_id,call_id,login_utc_ms,logout_utc_ms\r\n"
            "acme,anna,1000,61000,60000,,,0,0\r\n");
}

TEST(Cdr, CsvQuotesPerRfc4180) {
  CdrRecorder cdr;
  const std::string csv = to_csv(std::vector<LegRecord>{sample_leg(cdr)});
  std::istringstream in(csv);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header.rfind("leg,tenant,caller_id,did,billing_mode", 0), 0u);
  EXPECT_EQ(row,
            "7,acme,+49301234,+4980012345,initiator_pays,participant,1000,3000,6000,120000,30000,160000,kicked,"
            "\"said \"\"no\"\", twice\",sales@10000+60000|~sales/side-1@70000+30000|sales@100000+60000,,,0,0\r");
}

TEST(Cdr, JsonLinesParseBack) {
  CdrRecorder cdr;
  std::vector<LegRecord> legs{sample_leg(cdr)};
  cdr.arrive(8, "acme", "sip:x@y", "", BillingMode::caller_pays, 0).value();
  legs.push_back(*cdr.depart(8, ExitReason::hangup, "", 5));
  const std::string jl = to_json_lines(legs);
  std::istringstream in(jl);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    auto v = boost::json::parse(line).as_object();
    if (n == 0) {
      EXPECT_EQ(v.at("billing_mode").as_string(), "initiator_pays");
      EXPECT_EQ(v.at("exit_detail").as_string(), "said \"no\", twice");
      EXPECT_EQ(v.at("segments").as_array().size(), 3u);
      EXPECT_EQ(v.at("side_room_ms").as_int64(), 30'000);
    }
    ++n;
  }
  EXPECT_EQ(n, 2);
}

}  // namespace libconf::room
