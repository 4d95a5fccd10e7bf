// One service, many tenants: the DID decides the tenant, room names are per
// tenant, each tenant's quota holds, and nobody acts across tenants.
#include <gtest/gtest.h>

#include "libconf/service/conference_service.hpp"
#include "service/service_bench.hpp"

namespace libconf::test {
namespace {

using service::CallState;

struct TwoTenants {
  TwoTenants() : conf(fast_pins()) {
    (void)conf.create_tenant("acme", room::TenantQuota{2, 10}, 0);
    (void)conf.create_tenant("globex", room::TenantQuota{100, 10}, 0);
    for (const char* t : {"acme", "globex"}) {
      room::RoomConfig rc;
      rc.name = "1000";
      (void)conf.create_room(room::Actor{t, room::Role::superuser, room::kConsole}, rc, 0);
    }
    service::ServiceConfig c;
    c.default_tenant = "";  // every number names its tenant
    auto route = [](const char* tenant) {
      ivr::DidRoute r{ivr::DidTarget::room, "", "1000", false, room::BillingMode::caller_pays};
      r.tenant = tenant;
      return r;
    };
    c.router.add_exact("+4930100", route("acme"));
    c.router.add_exact("+4930200", route("globex"));
    c.router.add_exact("+4930300", ivr::DidRoute{ivr::DidTarget::room, "", "1000", false, {}});  // no tenant
    svc = std::make_unique<service::ConferenceService>(eng, conf, std::move(c), service::PromptLibrary(16000));
  }
  engine::LegConfig leg() {
    engine::LegConfig l;
    l.transport = std::make_unique<CaptureTransport>(log, false);
    return l;
  }
  Result<service::CallId> call(const std::string& caller, const std::string& did) {
    return svc->incoming_call(service::CallInfo{did, caller, "", "", ""}, leg());
  }
  void run(double seconds) {
    std::array<engine::Event, 256> ev;
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
      EXPECT_TRUE(svc->wait_for_background(std::chrono::seconds(10)));
      svc->tick(eng.clock().now_us() / 1000);
      eng.tick().value();
      for (std::size_t n; (n = eng.poll_events(ev)) > 0;) svc->on_engine_events({ev.data(), n});
    }
  }
  engine::Engine eng;
  room::Conference conf;
  std::shared_ptr<CaptureLog> log = std::make_shared<CaptureLog>();
  std::unique_ptr<service::ConferenceService> svc;
};

TEST(ServiceTenants, TheNumberDecidesTheTenantAndRoomsOfTheSameNameStayApart) {
  TwoTenants t;
  const auto a = *t.call("+4917100001", "+4930100");
  const auto g = *t.call("+4917100002", "+4930200");
  t.run(0.2);
  EXPECT_EQ(t.svc->call(a)->tenant, "acme");
  EXPECT_EQ(t.svc->call(g)->tenant, "globex");
  EXPECT_EQ(t.svc->call(a)->state, CallState::in_room);
  EXPECT_EQ(t.svc->call(g)->state, CallState::in_room);
  const auto ra = t.svc->engine_room("acme", "1000");
  const auto rg = t.svc->engine_room("globex", "1000");
  EXPECT_NE(ra, engine::kNoRoom);
  EXPECT_NE(rg, engine::kNoRoom);
  EXPECT_NE(ra, rg);
  EXPECT_EQ(t.eng.room_of(t.svc->call(a)->leg), ra);
  EXPECT_EQ(t.eng.room_of(t.svc->call(g)->leg), rg);
  EXPECT_EQ(t.conf.roster("acme", "1000").size(), 1u);
  EXPECT_EQ(t.conf.roster("globex", "1000").size(), 1u);
}

TEST(ServiceTenants, EachTenantsQuotaHoldsWhileOthersStillJoin) {
  TwoTenants t;
  const auto a1 = *t.call("+4917100001", "+4930100");
  const auto a2 = *t.call("+4917100002", "+4930100");
  const auto a3 = *t.call("+4917100003", "+4930100");  // acme allows 2 participants
  std::vector<service::CallId> g;
  for (int i = 0; i < 5; ++i) g.push_back(*t.call("+49172000" + std::to_string(i), "+4930200"));
  t.run(0.2);
  EXPECT_EQ(t.svc->call(a1)->state, CallState::in_room);
  EXPECT_EQ(t.svc->call(a2)->state, CallState::in_room);
  EXPECT_EQ(t.svc->call(a3)->state, CallState::queued);
  for (auto id : g) EXPECT_EQ(t.svc->call(id)->state, CallState::in_room);
  EXPECT_EQ(t.svc->queue("acme"), std::vector<service::CallId>{a3});
  EXPECT_TRUE(t.svc->queue("globex").empty());
  EXPECT_EQ(t.conf.participant_count("acme"), 2);
  EXPECT_EQ(t.conf.participant_count("globex"), 5);
}

TEST(ServiceTenants, NobodyActsAcrossTenants) {
  TwoTenants t;
  const auto a = *t.call("+4917100001", "+4930100");
  const auto g = *t.call("+4917100002", "+4930200");
  t.run(0.2);
  const room::Actor acme_op{"acme", room::Role::superuser, room::kConsole};
  EXPECT_FALSE(t.svc->kick(acme_op, g, "no"));
  EXPECT_FALSE(t.svc->set_muted(acme_op, g, true));
  EXPECT_FALSE(t.svc->set_volumes(acme_op, g, 3, 3));
  EXPECT_FALSE(t.svc->listen_in(acme_op, g, "1000"));  // a globex phone cannot be made to listen
  EXPECT_FALSE(t.svc->transfer(acme_op, g, "+4930"));
  EXPECT_EQ(t.svc->call(g)->state, CallState::in_room);
  EXPECT_FALSE(t.svc->call(g)->muted);
  EXPECT_TRUE(t.svc->kick(acme_op, a, "ok"));
}

TEST(ServiceTenants, ANumberWithoutTenantAndNoDefaultIsRefused) {
  TwoTenants t;
  auto r = t.call("+4917100001", "+4930300");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(errc::not_found));
  EXPECT_TRUE(t.svc->calls().empty());
  // The host may name the tenant of a caller it knows (a registered phone).
  auto known = t.svc->incoming_call(service::CallInfo{"+4930300", "+4917100001", "", "", "globex"}, t.leg());
  ASSERT_TRUE(known);
  EXPECT_EQ(t.svc->call(*known)->tenant, "globex");
  // An unknown tenant is not_found, a malformed one invalid_argument.
  EXPECT_FALSE(t.svc->incoming_call(service::CallInfo{"+4930300", "+4917100001", "", "", "initech"}, t.leg()));
  EXPECT_EQ(t.svc->incoming_call(service::CallInfo{"+4930300", "+49171", "", "", "bad\x01"}, t.leg()).error(),
            make_error_code(errc::invalid_argument));
}

TEST(ServiceTenants, TextsThatAreNotUtf8AreRefusedBeforeAnythingIsCreated) {
  TwoTenants t;
  for (const std::string bad : {"\xff\xfe", "caf\xc3", "\xed\xa0\x80", "\xc0\xaf"}) {
    EXPECT_EQ(t.svc->incoming_call(service::CallInfo{"+4930100", bad, "", "", ""}, t.leg()).error(),
              make_error_code(errc::invalid_argument));
    EXPECT_EQ(t.svc->incoming_call(service::CallInfo{"+4930100", "+49171", bad, "", ""}, t.leg()).error(),
              make_error_code(errc::invalid_argument));
  }
  EXPECT_TRUE(t.svc->calls().empty());
  EXPECT_TRUE(t.call("+49171", "+4930100"));  // "café" and friends are fine
  EXPECT_TRUE(t.svc->incoming_call(service::CallInfo{"+4930100", "+49172", "Caf\xc3\xa9", "", ""}, t.leg()));
}

}  // namespace
}  // namespace libconf::test
