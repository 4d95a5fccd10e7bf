#pragma once
// Shared setup of the Conference tests: one tenant "acme", a superuser console
// actor, cheap PIN hashing, and helpers to admit callers.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "libconf/room/conference.hpp"

namespace libconf::room::testing {

inline ConferenceOptions cheap_options() {
  ConferenceOptions o;
  o.pin_hash = PinHashParams::minimum();
  return o;
}

class ConferenceTest : public ::testing::Test {
 protected:
  ConferenceTest() : conf_(cheap_options()) {
    EXPECT_TRUE(conf_.create_tenant("acme", TenantQuota{100, 10}, 0));
  }

  Actor op() const { return Actor{"acme", Role::superuser, kConsole}; }

  void make_room(const std::string& name, int max_members = 50, const std::string& participant_pin = "1111",
                 const std::string& moderator_pin = "9999") {
    RoomConfig c;
    c.name = name;
    c.topic = "topic of " + name;
    c.max_members = max_members;
    ASSERT_TRUE(conf_.create_room(op(), c, now_));
    if (!participant_pin.empty()) {
      ASSERT_TRUE(conf_.set_pin(op(), name, PinKind::participant, participant_pin, now_));
    }
    if (!moderator_pin.empty()) {
      ASSERT_TRUE(conf_.set_pin(op(), name, PinKind::moderator, moderator_pin, now_));
    }
  }

  AdmitDecision admit(const std::string& room, const std::string& caller, const std::string& pin) {
    auto d = conf_.admit(AdmitRequest{"acme", room, caller, pin, ""}, now_);
    EXPECT_TRUE(d.has_value());
    return d.has_value() ? *d : AdmitDecision{};
  }

  ParticipantId join(const std::string& room, const std::string& caller, const std::string& pin = "1111") {
    auto d = admit(room, caller, pin);
    EXPECT_TRUE(d.outcome == AdmitOutcome::joined || d.outcome == AdmitOutcome::wait_for_moderator ||
                d.outcome == AdmitOutcome::overflow)
        << to_string(d.outcome);
    return d.participant;
  }

  Actor actor(ParticipantId id) { return *conf_.actor_of(id); }

  template <class E>
  std::vector<E> events_of() {
    std::vector<E> out;
    for (const auto& e : conf_.drain_events())
      if (auto* x = std::get_if<E>(&e)) out.push_back(*x);
    return out;
  }

  Conference conf_;
  std::int64_t now_ = 1'000;
};

}  // namespace libconf::room::testing
