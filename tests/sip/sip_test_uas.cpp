// A UserAgent as a test peer for sipp and raw-socket tests: answers calls as
// told, prints one JSON line per event on stdout, exits after --run-for
// seconds (or on SIGTERM) with a last line of totals.
//
//   sip_test_uas --port 5099 [--transport udp] [--mode answer|ring|reject|nothing]
//                [--reliable] [--session-expires S --min-se S] [--user NAME:PASSWORD]
//                [--untrusted] [--rate PER_S,BURST] [--tls-cert F --tls-key F] [--run-for S]
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "libconf/sip/user_agent.hpp"

using namespace libconf::sip;

namespace {

volatile std::sig_atomic_t g_stop = 0;

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

struct Uas : UserAgentHandler {
  UserAgent* ua = nullptr;
  std::string mode = "answer";
  int reject_status = 486;
  int calls = 0, ended = 0;

  void emit(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  void on_incoming_call(const IncomingCall& c) override {
    ++calls;
    emit("{\"event\":\"incoming\",\"call\":" + std::to_string(c.call) + ",\"call_id\":\"" + json_escape(c.sip_call_id) +
         "\",\"from\":\"" + json_escape(c.from_user) + "\",\"to\":\"" + json_escape(c.to_user) + "\",\"trusted\":" +
         (c.trusted ? "true" : "false") + ",\"user\":\"" + json_escape(c.authenticated_user) + "\",\"codec\":\"" +
         (c.media ? c.media->codec : std::string()) + "\",\"late_offer\":" + (c.media ? "false" : "true") + "}");
    const LocalMedia local{"127.0.0.1", 40000, 0};
    if (mode == "answer") {
      (void)ua->ringing(c.call);
      (void)ua->answer(c.call, local);
    } else if (mode == "ring") {
      (void)ua->ringing(c.call);
    } else if (mode == "reject") {
      (void)ua->reject(c.call, reject_status, "Busy Here");
    }
  }
  void on_call_confirmed(CallId call, const MediaSession& m) override {
    emit("{\"event\":\"confirmed\",\"call\":" + std::to_string(call) + ",\"codec\":\"" + m.codec + "\",\"direction\":\"" +
         std::string(to_string(m.direction)) + "\"}");
  }
  void on_media_changed(CallId call, const MediaSession& m, const MediaChange& change) override {
    emit("{\"event\":\"media_changed\",\"call\":" + std::to_string(call) + ",\"direction\":\"" + std::string(to_string(m.direction)) +
         "\",\"direction_changed\":" + (change.direction ? "true" : "false") + ",\"remote\":\"" + m.remote_address + ":" +
         std::to_string(m.remote_port) + "\"}");
  }
  void on_dtmf(CallId call, char digit, int ms) override {
    emit("{\"event\":\"dtmf\",\"call\":" + std::to_string(call) + ",\"digit\":\"" + std::string(1, digit) + "\",\"ms\":" +
         std::to_string(ms) + "}");
  }
  void on_call_ended(CallId call, const CallEnd& end) override {
    ++ended;
    emit("{\"event\":\"ended\",\"call\":" + std::to_string(call) + ",\"cause\":\"" + std::string(to_string(end.cause)) +
         "\",\"status\":" + std::to_string(end.sip_status) + ",\"reason\":\"" + json_escape(end.reason) + "\"}");
  }
};

}  // namespace

int main(int argc, char** argv) {
  UserAgentConfig c;
  c.listen = {ListenPoint{Transport::udp, "127.0.0.1", 5099}};
  c.trusted_networks = {"127.0.0.0/8"};
  c.domain = "uas.test.invalid";
  double run_for_s = 60;
  Uas uas;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--port") {
      c.listen[0].port = static_cast<std::uint16_t>(std::stoi(next()));
    } else if (a == "--transport") {
      c.listen[0].transport = transport_from_name(next()).value_or(Transport::udp);
    } else if (a == "--mode") {
      uas.mode = next();
    } else if (a == "--reject-status") {
      uas.reject_status = std::stoi(next());
    } else if (a == "--reliable") {
      c.prefer_reliable_provisional = true;
    } else if (a == "--session-expires") {
      c.session_timers.session_expires_s = std::stoi(next());
    } else if (a == "--min-se") {
      c.session_timers.min_se_s = std::stoi(next());
    } else if (a == "--user") {
      const std::string v = next();
      const auto colon = v.find(':');
      auto creds = std::make_shared<StaticCredentials>();
      creds->set(v.substr(0, colon), v.substr(colon + 1));
      c.credentials = creds;
    } else if (a == "--untrusted") {
      c.trusted_networks.clear();
    } else if (a == "--rate") {
      const std::string v = next();
      c.invite_rate.per_second = std::stod(v.substr(0, v.find(',')));
      c.invite_rate.burst = std::stod(v.substr(v.find(',') + 1));
      c.invite_rate.retry_after_s = 9;
    } else if (a == "--tls-cert") {
      if (!c.tls) c.tls = TlsConfig{};
      c.tls->certificate_file = next();
    } else if (a == "--tls-key") {
      if (!c.tls) c.tls = TlsConfig{};
      c.tls->key_file = next();
    } else if (a == "--run-for") {
      run_for_s = std::stod(next());
    } else if (a == "--verbose") {
      c.log = [](std::string_view line) { std::fprintf(stderr, "uas: %.*s\n", static_cast<int>(line.size()), line.data()); };
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  try {
    UserAgent ua(c, uas);
    uas.ua = &ua;
    uas.emit("{\"event\":\"ready\",\"port\":" + std::to_string(ua.port(c.listen[0].transport)) + "}");
    const std::int64_t end = ua.now_ms() + static_cast<std::int64_t>(run_for_s * 1000);
    while (!g_stop && ua.now_ms() < end) ua.iterate(20);
    uas.emit("{\"event\":\"totals\",\"calls\":" + std::to_string(uas.calls) + ",\"ended\":" + std::to_string(uas.ended) +
             ",\"bindings\":" + std::to_string(ua.bindings().size()) + ",\"open_calls\":" + std::to_string(ua.call_count()) + "}");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sip_test_uas: %s\n", e.what());
    return 3;
  }
  return 0;
}
