#pragma once
// Two (or more) UserAgents in one test thread: each has its own belle-sip
// loop, pumped in turn. A Recorder keeps every event and can answer calls by
// itself, the way a host would.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libconf/sip/user_agent.hpp"

namespace libconf::sip::test {

struct Recorder : UserAgentHandler {
  UserAgent* ua = nullptr;
  // Behaviour on incoming calls.
  enum class Mode { answer, ring_then_answer, ring, early_then_answer, reject, nothing };
  Mode mode = Mode::answer;
  int reject_status = 486;
  LocalMedia local{"127.0.0.1", 40000, 0};
  bool accept_transfers = true;

  std::vector<IncomingCall> incoming;
  std::vector<std::pair<CallId, MediaSession>> confirmed;
  std::vector<std::pair<CallId, DialProgress>> progress;
  std::vector<std::pair<CallId, MediaChange>> media_changes;
  std::vector<MediaSession> media_after_change;
  std::vector<std::pair<CallId, char>> digits;
  std::vector<std::pair<CallId, std::string>> transfer_requests;
  std::vector<std::pair<CallId, int>> transfer_progress;
  std::map<CallId, CallEnd> ended;
  std::vector<RegistrationStatus> registrations;
  std::vector<std::string> log;

  void on_incoming_call(const IncomingCall& call) override {
    incoming.push_back(call);
    switch (mode) {
      case Mode::answer: (void)ua->answer(call.call, local); break;
      case Mode::ring_then_answer:
        (void)ua->ringing(call.call);
        (void)ua->answer(call.call, local);
        break;
      case Mode::ring: (void)ua->ringing(call.call); break;
      case Mode::early_then_answer:
        (void)ua->early_media(call.call, local);
        (void)ua->answer(call.call, local);
        break;
      case Mode::reject: (void)ua->reject(call.call, reject_status, "Busy Here"); break;
      case Mode::nothing: break;
    }
  }
  void on_call_confirmed(CallId call, const MediaSession& media) override { confirmed.emplace_back(call, media); }
  void on_dial_progress(CallId call, const DialProgress& p) override { progress.emplace_back(call, p); }
  void on_media_changed(CallId call, const MediaSession& media, const MediaChange& change) override {
    media_changes.emplace_back(call, change);
    media_after_change.push_back(media);
  }
  void on_dtmf(CallId call, char digit, int) override { digits.emplace_back(call, digit); }
  bool on_transfer_requested(CallId call, const std::string& target) override {
    transfer_requests.emplace_back(call, target);
    return accept_transfers;
  }
  void on_transfer_progress(CallId call, int status) override { transfer_progress.emplace_back(call, status); }
  void on_call_ended(CallId call, const CallEnd& end) override { ended[call] = end; }
  void on_registration(const RegistrationStatus& s) override { registrations.push_back(s); }

  bool has_progress(CallId call, DialState state) const {
    for (const auto& [c, p] : progress) {
      if (c == call && p.state == state) return true;
    }
    return false;
  }
  std::optional<DialProgress> last_progress(CallId call) const {
    std::optional<DialProgress> out;
    for (const auto& [c, p] : progress) {
      if (c == call) out = p;
    }
    return out;
  }
};

/// Pumps every loop (5 ms each) until done() or timeout_ms. Returns done().
inline bool pump(std::initializer_list<UserAgent*> uas, const std::function<bool()>& done, int timeout_ms = 5000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    for (UserAgent* ua : uas) ua->iterate(5);
  }
  return true;
}

/// Pumps for a fixed time (to see that nothing more happens).
inline void pump_for(std::initializer_list<UserAgent*> uas, int ms) {
  pump(uas, [] { return false; }, ms);
}

inline UserAgentConfig loopback_config(Transport transport = Transport::udp, const std::string& address = "127.0.0.1") {
  UserAgentConfig c;
  c.listen = {ListenPoint{transport, address, 0}};
  c.trusted_networks = {address.find(':') != std::string::npos ? "::1/128" : "127.0.0.0/8"};
  c.domain = "test.invalid";
  c.teardown_timeout_ms = 300;  // the peer is not pumped while one side is destroyed
  if (std::getenv("LIBCONF_SIP_TEST_LOG") != nullptr) {
    c.stack_log_level = std::atoi(std::getenv("LIBCONF_SIP_TEST_LOG"));
    c.log = [](std::string_view line) { std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data()); };
  }
  return c;
}

inline std::string uri_of(const UserAgent& ua, Transport transport, const std::string& user = "1000",
                          const std::string& address = "127.0.0.1") {
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  return "sip:" + user + "@" + host + ":" + std::to_string(ua.port(transport)) + ";transport=" + std::string(to_string(transport));
}

}  // namespace libconf::sip::test
