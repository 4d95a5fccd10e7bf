#include "libconf/ivr/did_router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace libconf::ivr {
namespace {

DidRouter sample_router() {
  return DidRouter::parse(R"({"routes": [
      {"number": "+493012345600", "menu": "default"},
      {"number": "+493012345601", "room": "4711", "menu": "direct", "billing": "caller_pays"},
      {"number": "+498001234567", "room": "4711", "menu": "direct", "billing": "initiator_pays"},
      {"number": "+493012345699", "operator": true},
      {"prefix": "+4930123456", "menu": "default"},
      {"prefix": "*100", "room_from_suffix": true},
      {"number": "*100", "menu": "assemble"}]})",
                          "dids.json");
}

TEST(DidRouter, ExactNumberBeatsPrefix) {
  DidRouter r = sample_router();
  EXPECT_EQ(r.size(), 7u);
  auto m = r.route("+493012345601");
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->exact);
  EXPECT_EQ(m->route->target, DidTarget::room);
  EXPECT_EQ(m->room, "4711");
  EXPECT_EQ(m->route->menu, "direct");
  EXPECT_EQ(m->route->billing, room::BillingMode::caller_pays);
}

TEST(DidRouter, BillingModeFollowsTheNumber) {
  DidRouter r = sample_router();
  EXPECT_EQ(r.route("+498001234567")->route->billing, room::BillingMode::initiator_pays);
  EXPECT_EQ(r.route("+493012345600")->route->billing, room::BillingMode::caller_pays);
}

TEST(DidRouter, PrefixCoversTheRestOfTheBlock) {
  DidRouter r = sample_router();
  auto m = r.route("+493012345642");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->exact);
  EXPECT_EQ(m->pattern, "+4930123456");
  EXPECT_EQ(m->route->target, DidTarget::menu);
  EXPECT_EQ(m->route->menu, "default");
  EXPECT_EQ(r.route("+493012345699")->route->target, DidTarget::operator_queue);
}

TEST(DidRouter, ServiceCodePrefixTakesTheRoomFromTheSuffix) {
  DidRouter r = sample_router();
  auto m = r.route("*100123");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->target, DidTarget::room);
  EXPECT_EQ(m->room, "123");
  EXPECT_EQ(r.route("*100")->route->menu, "assemble");  // the exact code wins
}

TEST(DidRouter, UnknownNumbersAreNotFound) {
  DidRouter r = sample_router();
  EXPECT_EQ(r.route("+4940999").error(), errc::not_found);
  EXPECT_EQ(r.route("").error(), errc::not_found);
  EXPECT_EQ(r.route("+49301234").error(), errc::not_found);  // shorter than the prefix
  EXPECT_EQ(r.route("*100" + std::string(40, '1')).error(), errc::not_found);  // room longer than 32
}

TEST(DidRouter, LongestPrefixWins) {
  DidRouter r;
  r.add_prefix("+49", DidRoute{DidTarget::menu, "german", "", false, room::BillingMode::caller_pays});
  r.add_prefix("+4930", DidRoute{DidTarget::menu, "berlin", "", false, room::BillingMode::caller_pays});
  r.add_prefix("+4", DidRoute{DidTarget::operator_queue, "", "", false, room::BillingMode::caller_pays});
  EXPECT_EQ(r.route("+49301")->route->menu, "berlin");
  EXPECT_EQ(r.route("+4989")->route->menu, "german");
  EXPECT_EQ(r.route("+41")->route->target, DidTarget::operator_queue);
}

TEST(DidRouter, ApiRejectsBadRoutes) {
  DidRouter r;
  r.add_exact("123", DidRoute{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays});
  EXPECT_THROW(r.add_exact("123", DidRoute{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("12a", DidRoute{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("1+2", DidRoute{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("", DidRoute{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("5", DidRoute{DidTarget::menu, "", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("5", DidRoute{DidTarget::room, "", "", true, room::BillingMode::caller_pays}), Error);
  EXPECT_THROW(r.add_exact("5", DidRoute{DidTarget::operator_queue, "m", "", false, room::BillingMode::caller_pays}), Error);
  EXPECT_EQ(r.size(), 1u);
}

struct BadDids {
  std::string json;
  std::string message;
};

TEST(DidRouter, RoutesNameTheirTenant) {
  const auto r = DidRouter::parse(R"({"routes": [
      {"number": "+4930100", "room": "1000", "tenant": "acme"},
      {"number": "+4930200", "menu": "default"}]})",
                                  "t.json");
  EXPECT_EQ(r.route("+4930100")->route->tenant, "acme");
  EXPECT_EQ(r.route("+4930200")->route->tenant, "");
  try {
    (void)DidRouter::parse(R"({"routes": [{"number": "1", "menu": "m", "tenant": "no/slash"}]})", "t.json");
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("routes[0].tenant"), std::string::npos) << e.what();
  }
  DidRoute bad{DidTarget::menu, "m", "", false, room::BillingMode::caller_pays};
  bad.tenant = "-x";
  DidRouter api;
  EXPECT_THROW(api.add_exact("5", bad), Error);
}

TEST(DidRouter, BadFilesNameFileFieldAndValue) {
  const BadDids cases[] = {
      {R"({"routes": [{"number": "1", "menu": "m", "billing": "free"}]})",
       "dids.json: routes[0].billing: 'free' is not caller_pays or initiator_pays"},
      {R"({"routes": [{"menu": "m"}]})", "dids.json: routes[0]: needs exactly one of number and prefix"},
      {R"({"routes": [{"number": "1", "prefix": "1", "menu": "m"}]})", "routes[0]: needs exactly one"},
      {R"({"routes": [{"number": "12ab", "menu": "m"}]})", "dids.json: routes[0].number: '12ab' is not"},
      {R"({"routes": [{"number": "1"}]})", "routes[0]: needs a menu, a room, room_from_suffix or operator"},
      {R"({"routes": [{"number": "1", "menu": "m"}, {"number": "1", "menu": "n"}]})",
       "routes[1].number: DID number '1' is routed twice"},
      {R"({"routes": [{"number": "1", "room_from_suffix": true}]})", "routes[0].room_from_suffix: needs a prefix route"},
      {R"({"routes": [{"number": "1", "operator": true, "room": "2"}]})",
       "routes[0].operator: an operator route takes no menu or room"},
      {R"({"routes": [{"number": "1", "menu": "m", "owner": "x"}]})", "routes[0].owner: unknown field"},
      {R"({"routes": [{"number": "1", "menu": "m"}, {"number": "2", "menu": "m", "menu": "n"}]})",
       "dids.json: routes[1].menu: repeated key"},
      {R"({"routes": {}})", "dids.json: routes: {} is not an array"},
      {R"({"routes": [)", "dids.json: line 1"},
  };
  for (const auto& c : cases) {
    try {
      (void)DidRouter::parse(c.json, "dids.json");
      ADD_FAILURE() << "parsed: " << c.json;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what() << " / want " << c.message;
    }
  }
}

}  // namespace
}  // namespace libconf::ivr
