#pragma once
// A ConferenceService on a real engine with a virtual clock, phones whose
// media the test does not inspect (CaptureTransport), and a Dialer that
// records what it was asked to dial: for API-level tests (hostile input,
// permissions, dial-out, store).

#include <memory>
#include <string>
#include <vector>

#include "libconf/engine/engine.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/service/conference_service.hpp"
#include "support/capture_transport.hpp"

namespace libconf::test {

class RecordingDialer final : public service::Dialer {
 public:
  struct Dialled {
    std::string number, caller_id;
    std::int64_t timeout_ms;
  };
  Result<service::DialId> dial(const std::string& number, const std::string& caller_id, std::int64_t timeout_ms) override {
    dialled.push_back({number, caller_id, timeout_ms});
    return static_cast<service::DialId>(dialled.size());
  }
  void cancel(service::DialId id) override { cancelled.push_back(id); }
  std::vector<Dialled> dialled;
  std::vector<service::DialId> cancelled;
};

inline room::ConferenceOptions fast_pins() {
  room::ConferenceOptions o;
  o.pin_hash = room::PinHashParams::minimum();
  return o;
}

struct ServiceBench {
  explicit ServiceBench(service::ServiceConfig config = default_config(), store::Store* store = nullptr)
      : conf(fast_pins()) {
    (void)conf.create_tenant("default", room::TenantQuota{}, 0);
    room::RoomConfig rc;
    rc.name = "4711";
    (void)conf.create_room(console, rc, 0);
    svc = std::make_unique<service::ConferenceService>(eng, conf, std::move(config), service::PromptLibrary(16000),
                                                       &dialer, store);
  }
  static service::ServiceConfig default_config() {
    service::ServiceConfig c;
    c.router.add_exact("+493012345601", ivr::DidRoute{ivr::DidTarget::room, "", "4711", false, room::BillingMode::caller_pays});
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
    auto id = svc->incoming_call(service::CallInfo{did, caller, ""}, leg());
    EXPECT_TRUE(id.has_value()) << caller;
    return id ? *id : 0;
  }
  void run(double seconds) {
    std::array<engine::Event, 256> ev;
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
      svc->tick(eng.clock().now_us() / 1000);
      eng.tick();
      for (std::size_t n; (n = eng.poll_events(ev)) > 0;) svc->on_engine_events({ev.data(), n});
    }
  }
  bool has_event(const std::string& kind, const std::string& detail_part = {}) {
    for (const auto& e : events)
      if (e.kind == kind && e.detail.find(detail_part) != std::string::npos) return true;
    for (auto& e : svc->take_events()) events.push_back(e);
    for (const auto& e : events)
      if (e.kind == kind && e.detail.find(detail_part) != std::string::npos) return true;
    return false;
  }

  engine::Engine eng;
  room::Conference conf;
  RecordingDialer dialer;
  std::shared_ptr<CaptureLog> log = std::make_shared<CaptureLog>();
  std::unique_ptr<service::ConferenceService> svc;
  std::vector<service::ServiceEvent> events;
  const room::Actor console{"default", room::Role::superuser, room::kConsole};
};

}  // namespace libconf::test
