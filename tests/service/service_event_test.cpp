// The one place that names and serialises events: every type has its own
// name and a JSON object; room events keep their types; PIN digits are masked.
#include "libconf/service/service_event.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <utility>

#include "libconf/service/event_json.hpp"
#include "service/service_bench.hpp"

namespace libconf::test {
namespace {

template <class V, std::size_t... I>
std::vector<service::ServiceEvent> one_of_each(std::index_sequence<I...>) {
  return {service::ServiceEvent{1, 2, "t", V(std::in_place_index<I>)}...};
}

template <class V, std::size_t... I>
std::vector<room::Event> each_room_event(std::index_sequence<I...>) {
  return {room::Event(std::in_place_index<I>)...};
}

TEST(ServiceEvents, EveryTypeHasItsOwnNameAndAJsonObject) {
  auto all = one_of_each<service::EventData>(
      std::make_index_sequence<std::variant_size_v<service::EventData> - 1>());  // the last is room::Event
  for (const auto& r : each_room_event<room::Event>(std::make_index_sequence<std::variant_size_v<room::Event>>()))
    all.push_back(service::ServiceEvent{1, 2, "t", r});
  std::set<std::string> names;
  for (const auto& e : all) {
    const std::string name(service::event_name(e));
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "two event types named " << name;
    const auto v = boost::json::parse(service::to_json(e));
    ASSERT_TRUE(v.is_object());
    EXPECT_EQ(v.at("event").as_string(), name);
    EXPECT_EQ(v.at("call").as_int64(), 2);
    EXPECT_EQ(v.at("tenant").as_string(), "t");
    EXPECT_EQ(v.at("at_ms").as_int64(), 1);
  }
  EXPECT_EQ(names.size(), std::variant_size_v<service::EventData> - 1 + std::variant_size_v<room::Event>);
}

TEST(ServiceEvents, FieldsAreNamedAndEnumsSpelledOut) {
  const service::ServiceEvent q{5, 7, "acme", service::event::Queued{"4711", service::QueueReason::room_locked}};
  const auto v = boost::json::parse(service::to_json(q)).as_object();
  EXPECT_EQ(v.at("room").as_string(), "4711");
  EXPECT_EQ(v.at("reason").as_string(), "room_locked");
  const service::ServiceEvent f{5, 0, "acme",
                                service::event::DialFailed{3, "4711", "+4930", {service::DialFailureCause::busy, 486, "Busy Here"}}};
  const auto w = boost::json::parse(service::to_json(f)).as_object();
  EXPECT_EQ(w.at("failure").at("cause").as_string(), "busy");
  EXPECT_EQ(w.at("failure").at("sip_code").as_int64(), 486);
  const service::ServiceEvent j{5, 7, "acme",
                                room::Event{room::event::Joined{4, 9, "acme", "4711", "+49171", room::Role::moderator, false}}};
  const auto x = boost::json::parse(service::to_json(j)).as_object();
  EXPECT_EQ(x.at("event").as_string(), "joined");
  EXPECT_EQ(x.at("role").as_string(), "moderator");
  EXPECT_EQ(x.at("caller_id").as_string(), "+49171");
  EXPECT_EQ(x.at("at_ms").as_int64(), 5);  // the envelope's time
  ASSERT_NE(j.get<room::event::Joined>(), nullptr);
  EXPECT_EQ(j.get<room::event::Joined>()->id, 9u);
  EXPECT_EQ(j.get<service::event::Queued>(), nullptr);
}

TEST(ServiceEvents, AMaskedDigitCarriesItsPositionOnly) {
  const service::ServiceEvent m{1, 2, "t", service::event::DigitReceived{'\0', true, 3}};
  const auto v = boost::json::parse(service::to_json(m)).as_object();
  EXPECT_FALSE(v.contains("digit"));
  EXPECT_TRUE(v.at("masked").as_bool());
  EXPECT_EQ(v.at("position").as_int64(), 3);
  const service::ServiceEvent d{1, 2, "t", service::event::DigitReceived{'7', false, 1}};
  EXPECT_EQ(boost::json::parse(service::to_json(d)).at("digit").as_string(), "7");
}

TEST(ServiceEvents, RoomEventsForwardedByTheServiceKeepTheirTypesAndNameTheCall) {
  ServiceBench b;
  const auto a = b.call("+4917100001");
  b.run(0.1);
  const auto joined = b.of<room::event::Joined>();
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].caller_id, "+4917100001");
  for (const auto& e : b.all_events())
    if (e.get<room::event::Joined>()) {
      EXPECT_EQ(e.call, a);
      EXPECT_EQ(e.tenant, "default");
    }
}

}  // namespace
}  // namespace libconf::test
