#pragma once
// A ConferenceService on a real engine with a virtual clock, phones whose
// media the test does not inspect (CaptureTransport), and a host that records
// what the service asked of it (CallControl and Dialer): for API-level tests
// (hostile input, permissions, dial-out, store).

#include <memory>
#include <string>
#include <vector>

#include "libconf/engine/engine.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/service/conference_service.hpp"
#include "support/capture_transport.hpp"

namespace libconf::test {

class RecordingHost final : public service::CallControl, public service::Dialer {
 public:
  struct HungUp {
    service::CallId call;
    std::string external_id;
    service::HangupReason reason;
  };
  void answer(const service::CallRef& c) override {
    answered.push_back(c.id);
    answered_ids.emplace_back(c.external_id);
  }
  void early_media(const service::CallRef& c) override { early.emplace_back(c.external_id); }
  void hang_up(const service::CallRef& c, const service::HangupReason& r) override {
    hung_up.push_back({c.id, std::string(c.external_id), r});
  }
  void transfer(const service::CallRef& c, const std::string& target) override { transfers.push_back({c.id, target}); }
  Result<service::DialId> dial(const service::DialRequest& r) override {
    dialled.push_back(r);
    return static_cast<service::DialId>(dialled.size());
  }
  void cancel(service::DialId id) override { cancelled.push_back(id); }

  std::vector<service::CallId> answered;
  std::vector<std::string> answered_ids;
  std::vector<std::string> early;
  std::vector<HungUp> hung_up;
  std::vector<std::pair<service::CallId, std::string>> transfers;
  std::vector<service::DialRequest> dialled;
  std::vector<service::DialId> cancelled;
};

inline room::ConferenceOptions fast_pins() {
  room::ConferenceOptions o;
  o.pin_hash = room::PinHashParams::minimum();
  return o;
}

/// Any event of the type matches.
struct AnyEvent {
  template <class E>
  bool operator()(const E&) const noexcept {
    return true;
  }
};

struct ServiceBench {
  /// create_room false: the test fills the Conference itself (e.g. store::load_conference).
  explicit ServiceBench(service::ServiceConfig config = default_config(), store::Store* store = nullptr,
                        bool create_room = true)
      : conf(fast_pins()) {
    (void)conf.create_tenant("default", room::TenantQuota{}, 0);
    room::RoomConfig rc;
    rc.name = "4711";
    if (create_room) (void)conf.create_room(console, rc, 0);
    svc = std::make_unique<service::ConferenceService>(eng, conf, std::move(config), service::PromptLibrary(16000),
                                                       service::HostInterfaces{&host, &host, store});
  }
  static service::ServiceConfig default_config() {
    service::ServiceConfig c;
    c.router.add_exact("+493012345601",
                       ivr::DidRoute{ivr::DidTarget::room, "", "4711", false, room::BillingMode::caller_pays});
    c.router.add_exact("+493012345699", ivr::DidRoute{ivr::DidTarget::operator_queue, "", "", false, {}});
    c.dial_out_allowed = {"+4930*"};
    return c;
  }
  engine::LegConfig leg() {
    engine::LegConfig l;
    l.transport = std::make_unique<CaptureTransport>(log, false);
    return l;
  }
  service::CallId call(const std::string& caller, const std::string& did = "+493012345601") {
    auto id = svc->incoming_call(service::CallInfo{did, caller, "", "sip-" + caller, ""}, leg());
    EXPECT_TRUE(id.has_value()) << caller;
    return id ? *id : 0;
  }
  void run(double seconds) {
    std::array<engine::Event, 256> ev;
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
      EXPECT_TRUE(svc->wait_for_background(std::chrono::seconds(10)));  // PIN checks: a result per tick
      svc->tick(eng.clock().now_us() / 1000);
      eng.tick().value();
      for (std::size_t n; (n = eng.poll_events(ev)) > 0;) svc->on_engine_events({ev.data(), n});
    }
  }
  /// Every event so far (taken from the service and kept).
  const std::vector<service::ServiceEvent>& all_events() {
    for (auto& e : svc->take_events()) events.push_back(std::move(e));
    return events;
  }
  /// Events of type E (a service::event or room::event struct) that match pred.
  template <class E, class P = AnyEvent>
  std::vector<E> of(P pred = {}) {
    std::vector<E> out;
    for (const auto& e : all_events())
      if (const E* x = e.get<E>(); x && pred(*x)) out.push_back(*x);
    return out;
  }
  template <class E, class P = AnyEvent>
  bool has(P pred = {}) {
    return !of<E>(pred).empty();
  }

  engine::Engine eng;
  room::Conference conf;
  RecordingHost host;
  std::shared_ptr<CaptureLog> log = std::make_shared<CaptureLog>();
  std::unique_ptr<service::ConferenceService> svc;
  std::vector<service::ServiceEvent> events;
  const room::Actor console{"default", room::Role::superuser, room::kConsole};
};

}  // namespace libconf::test
