// UserAgent: belle-sip stack and loop, listening points, timers, post(),
// the listener that dispatches belle-sip's events, and shared helpers.

#include "libconf/sip/user_agent.hpp"

#include <belle-sip/auth-helper.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <random>

#include "libconf/sip/ua_impl.hpp"

namespace libconf::sip {
namespace {

// ---- belle-sip's log, routed to the last UserAgent's log function -------------
std::mutex g_log_mutex;
std::function<void(std::string_view)> g_log;

void belle_log(const char* domain, BctbxLogLevel level, const char* fmt, va_list args) {
  std::lock_guard lock(g_log_mutex);
  if (!g_log) return;
  char buf[1024];
  std::vsnprintf(buf, sizeof(buf), fmt, args);
  const char* what = level >= BCTBX_LOG_ERROR ? "error" : level >= BCTBX_LOG_WARNING ? "warning" : "info";
  g_log(std::string("belle-sip ") + what + " [" + (domain ? domain : "") + "]: " + buf);
}

BctbxLogLevel to_bctbx_level(int level) {
  switch (level) {
    case 0: return BCTBX_LOG_DEBUG;
    case 1: return BCTBX_LOG_MESSAGE;
    case 2: return BCTBX_LOG_WARNING;
    case 3: return BCTBX_LOG_ERROR;
    default: return BCTBX_LOG_FATAL;
  }
}

const char* transport_name(Transport t) {
  switch (t) {
    case Transport::udp: return "UDP";
    case Transport::tcp: return "TCP";
    case Transport::tls: return "TLS";
  }
  return "UDP";
}

void validate(const UserAgentConfig& c) {
  if (c.listen.empty()) throw Error(errc::invalid_argument, "sip: listen is empty (no listening point)");
  for (std::size_t i = 0; i < c.listen.size(); ++i) {
    const auto& l = c.listen[i];
    try {
      (void)IpNetwork::parse(l.address);
    } catch (const Error&) {
      throw Error(errc::invalid_argument, "sip: listen[" + std::to_string(i) + "].address '" + l.address + "' is not a numeric IP address");
    }
    if (l.transport == Transport::tls && !c.tls) {
      throw Error(errc::invalid_argument, "sip: listen[" + std::to_string(i) + "] is TLS but there is no tls configuration");
    }
  }
  if (c.domain.empty() || c.domain.find_first_of(" \r\n;<>\"") != std::string::npos) {
    throw Error(errc::invalid_argument, "sip: domain '" + c.domain + "' is not a host name");
  }
  if (c.contact_user.empty() || c.contact_user.find_first_of(" \r\n;<>@:\"") != std::string::npos) {
    throw Error(errc::invalid_argument, "sip: contact_user '" + c.contact_user + "' is not a SIP user");
  }
  if (c.register_min_expires_s < 1 || c.register_max_expires_s < c.register_min_expires_s) {
    throw Error(errc::invalid_argument, "sip: register expiry bounds " + std::to_string(c.register_min_expires_s) + ".." +
                                            std::to_string(c.register_max_expires_s) + " are not a range of seconds");
  }
  if (c.session_timers.min_se_s < 2 || c.session_timers.session_expires_s < c.session_timers.min_se_s) {
    throw Error(errc::invalid_argument, "sip: session timers need 2 <= min_se_s (" + std::to_string(c.session_timers.min_se_s) +
                                            ") <= session_expires_s (" + std::to_string(c.session_timers.session_expires_s) + ")");
  }
  if (c.nonce_lifetime_s < 10) throw Error(errc::invalid_argument, "sip: nonce_lifetime_s must be >= 10");
  if (c.teardown_timeout_ms < 0 || c.teardown_timeout_ms > 60'000) {
    throw Error(errc::invalid_argument, "sip: teardown_timeout_ms " + std::to_string(c.teardown_timeout_ms) + " is outside 0..60000");
  }
  sip::validate(c.media);
}

/// belle-sip binds UDP listening points with SO_REUSEADDR, so on Linux a second
/// process (or UserAgent) binding the same UDP port "succeeds" and steals part
/// of the traffic. A probe bind without SO_REUSEADDR sees the port taken.
bool udp_port_taken(const std::string& address, std::uint16_t port) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(*v6);
  } else {
    return false;
  }
  const int fd = ::socket(ss.ss_family, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  const bool taken = ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 && errno == EADDRINUSE;
  ::close(fd);
  return taken;
}

struct TimerThunk {
  UserAgent::Impl* impl;
  TimerId id;
};

int fire_timer(void* data, unsigned int) {
  auto* thunk = static_cast<TimerThunk*>(data);
  UserAgent::Impl* impl = thunk->impl;
  const TimerId id = thunk->id;
  auto it = impl->timers.find(id);
  if (it == impl->timers.end()) return BELLE_SIP_STOP;
  auto work = std::move(it->second.work);
  delete thunk;
  impl->timers.erase(it);
  try {
    work();
  } catch (const std::exception& e) {
    impl->log(std::string("timer: ") + e.what());
  }
  return BELLE_SIP_STOP;
}

}  // namespace

struct PendingPost {
  UserAgent::Impl* impl;
  std::function<void()> work;
};

namespace {
void run_post(void* data) {
  auto* post = static_cast<PendingPost*>(data);
  UserAgent::Impl* impl = post->impl;
  {
    std::lock_guard lock(impl->posts_mutex);
    if (impl->posts.erase(post) == 0) return;  // freed by the destructor
  }
  std::unique_ptr<PendingPost> owned(post);
  try {
    owned->work();
  } catch (const std::exception& e) {
    impl->log(std::string("posted work: ") + e.what());
  }
}
}  // namespace

// ---- tags --------------------------------------------------------------------

void* tx_tag(CallId call, TxKind kind) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(call << 4 | static_cast<CallId>(kind)));
}
CallId tx_call(const void* tag) noexcept { return static_cast<CallId>(reinterpret_cast<std::uintptr_t>(tag)) >> 4; }
TxKind tx_kind(const void* tag) noexcept {
  return static_cast<TxKind>(static_cast<CallId>(reinterpret_cast<std::uintptr_t>(tag)) & 15);
}

// ---- names -------------------------------------------------------------------

std::string_view to_string(Transport transport) noexcept {
  switch (transport) {
    case Transport::udp: return "udp";
    case Transport::tcp: return "tcp";
    case Transport::tls: return "tls";
  }
  return "udp";
}

std::optional<Transport> transport_from_name(std::string_view name) noexcept {
  auto eq = [&](std::string_view w) {
    if (w.size() != name.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(name[i])) != w[i]) return false;
    }
    return true;
  };
  if (eq("udp")) return Transport::udp;
  if (eq("tcp")) return Transport::tcp;
  if (eq("tls")) return Transport::tls;
  return std::nullopt;
}

std::string_view to_string(EndCause cause) noexcept {
  switch (cause) {
    case EndCause::local_hangup: return "local_hangup";
    case EndCause::remote_hangup: return "remote_hangup";
    case EndCause::cancelled: return "cancelled";
    case EndCause::rejected: return "rejected";
    case EndCause::no_answer: return "no_answer";
    case EndCause::session_expired: return "session_expired";
    case EndCause::transport_error: return "transport_error";
    case EndCause::shutdown: return "shutdown";
  }
  return "local_hangup";
}

std::string_view to_string(DialState state) noexcept {
  switch (state) {
    case DialState::trying: return "trying";
    case DialState::ringing: return "ringing";
    case DialState::early_media: return "early_media";
    case DialState::answered: return "answered";
    case DialState::failed: return "failed";
  }
  return "trying";
}

std::string_view to_string(RegistrationState state) noexcept {
  switch (state) {
    case RegistrationState::registering: return "registering";
    case RegistrationState::registered: return "registered";
    case RegistrationState::failed: return "failed";
    case RegistrationState::unregistered: return "unregistered";
  }
  return "registering";
}

// ---- Impl: construction and teardown -------------------------------------------

UserAgent::Impl::Impl(UserAgent& ua, UserAgentConfig cfg, UserAgentHandler& h)
    : self(ua),
      config((validate(cfg), std::move(cfg))),
      handler(h),
      trusted(config.trusted_networks),
      invite_rate(config.invite_rate),
      digest(config.domain, config.nonce_lifetime_s) {
  {
    std::lock_guard lock(g_log_mutex);
    g_log = config.log;
  }
  belle_sip_set_log_handler(belle_log);
  bctbx_set_log_level(BELLE_SIP_LOG_DOMAIN, to_bctbx_level(config.stack_log_level));
  bctbx_set_log_level(nullptr, to_bctbx_level(config.stack_log_level));

  stack = belle_sip_stack_new(nullptr);
  loop = belle_sip_stack_get_main_loop(stack);
  try {
    for (std::size_t i = 0; i < config.listen.size(); ++i) {
      const ListenPoint& l = config.listen[i];
      // TLS: belle-sip's listening point only dials out; TlsServer (below) takes the port.
      const int port = l.transport == Transport::tls ? BELLE_SIP_LISTENING_POINT_DONT_BIND
                       : l.port == 0                 ? BELLE_SIP_LISTENING_POINT_RANDOM_PORT
                                                     : l.port;
      if (l.transport == Transport::udp && l.port != 0 && udp_port_taken(l.address, l.port)) {
        throw Error(errc::io_error, "sip: listen[" + std::to_string(i) + "] udp " + l.address + ":" + std::to_string(l.port) +
                                        ": cannot bind (port in use)");
      }
      // A TLS point binds nothing in belle-sip; on a wildcard address its client
      // channels take their real local address (Via, Contact) from the socket,
      // where a numeric one would make belle-sip write the unbound port (-2).
      const std::string lp_address = l.transport != Transport::tls ? l.address
                                     : l.address.find(':') != std::string::npos ? "::0"
                                                                                : "0.0.0.0";
      belle_sip_listening_point_t* lp =
          belle_sip_stack_create_listening_point(stack, lp_address.c_str(), port, transport_name(l.transport));
      if (lp == nullptr) {
        throw Error(errc::io_error, "sip: listen[" + std::to_string(i) + "] " + std::string(to_string(l.transport)) + " " +
                                        l.address + ":" + std::to_string(l.port) + ": cannot bind (address not local, or port in use)");
      }
      if (l.transport == Transport::tls) {
        belle_tls_crypto_config_t* crypto = belle_tls_crypto_config_new();
        if (!config.tls->ca_file.empty()) belle_tls_crypto_config_set_root_ca(crypto, config.tls->ca_file.c_str());
        if (!config.tls->verify_server) belle_tls_crypto_config_set_verify_exceptions(crypto, BELLE_TLS_VERIFY_ANY_REASON);
        belle_sip_tls_listening_point_set_crypto_config(BELLE_SIP_TLS_LISTENING_POINT(lp), crypto);
        belle_sip_object_unref(crypto);  // created owned (one reference); the listening point holds its own
      }
      if (provider == nullptr) {
        provider = belle_sip_stack_create_provider(stack, lp);  // created owned: ours to unref
      } else {
        belle_sip_provider_add_listening_point(provider, lp);
      }
      std::uint16_t bound_port = static_cast<std::uint16_t>(belle_sip_listening_point_get_port(lp));
      if (l.transport == Transport::tls) {
        bound_port = 0;
        if (!config.tls->certificate_file.empty() || !config.tls->key_file.empty()) {
          if (tls_server) throw Error(errc::invalid_argument, "sip: listen[" + std::to_string(i) + "]: only one TLS listening point");
          tls_server = std::make_unique<TlsServer>(
              stack, lp, TlsServer::Config{l.address, l.port, config.tls->certificate_file, config.tls->key_file,
                                           config.limits.max_tls_connections, 10'000},
              [this](const std::string& line) { log(line); });
          bound_port = tls_server->port();
        }
      }
      bound.push_back({l.transport, l.address, bound_port});
    }
  } catch (...) {
    tls_server.reset();
    if (provider) belle_sip_object_unref(provider);
    belle_sip_object_unref(stack);
    throw;
  }
  belle_sip_provider_enable_rport(provider, 1);

  belle_sip_listener_callbacks_t callbacks{};
  callbacks.process_request_event = [](void* ctx, const belle_sip_request_event_t* e) {
    try {
      static_cast<Impl*>(ctx)->on_request(e);
    } catch (const std::exception& x) {
      static_cast<Impl*>(ctx)->log(std::string("request handling failed: ") + x.what());
    }
  };
  callbacks.process_response_event = [](void* ctx, const belle_sip_response_event_t* e) {
    try {
      static_cast<Impl*>(ctx)->on_response(e);
    } catch (const std::exception& x) {
      static_cast<Impl*>(ctx)->log(std::string("response handling failed: ") + x.what());
    }
  };
  callbacks.process_timeout = [](void* ctx, const belle_sip_timeout_event_t* e) {
    try {
      static_cast<Impl*>(ctx)->on_timeout(e);
    } catch (const std::exception& x) {
      static_cast<Impl*>(ctx)->log(std::string("timeout handling failed: ") + x.what());
    }
  };
  callbacks.process_io_error = [](void* ctx, const belle_sip_io_error_event_t* e) {
    try {
      static_cast<Impl*>(ctx)->on_io_error(e);
    } catch (const std::exception& x) {
      static_cast<Impl*>(ctx)->log(std::string("I/O error handling failed: ") + x.what());
    }
  };
  callbacks.process_auth_requested = [](void* ctx, belle_sip_auth_event_t* e) {
    static_cast<Impl*>(ctx)->on_auth_requested(e);
  };
  callbacks.process_dialog_terminated = [](void*, const belle_sip_dialog_terminated_event_t*) {};
  callbacks.process_transaction_terminated = [](void*, const belle_sip_transaction_terminated_event_t*) {};
  lifeline->ua = &self;
  listener = belle_sip_listener_create_from_callbacks(&callbacks, this);  // created owned: ours to unref
  belle_sip_provider_add_sip_listener(provider, listener);
  for (const auto& b : bound) {
    log("listening on " + std::string(to_string(b.transport)) + " " + b.address + ":" + std::to_string(b.port));
  }
}

UserAgent::Impl::~Impl() {
  destroying = true;
  {
    std::lock_guard lock(lifeline->mutex);  // credential replies from now on are dropped
    lifeline->ua = nullptr;
  }
  // End every call and registration, then give the requests time to leave.
  std::vector<CallId> ids;
  for (const auto& [id, call] : calls) ids.push_back(id);
  for (CallId id : ids) {
    if (Call* c = find(id)) {
      Hangup how;
      how.text = "Service shutting down";
      how.sip_status = 503;
      (void)self.hangup(id, how);
      if (find(id) != nullptr) c->phase = CallPhase::ending;
    }
  }
  std::vector<RegistrationId> regs;
  for (const auto& [id, r] : registrations) regs.push_back(id);
  for (RegistrationId id : regs) (void)unregister(id);
  const std::int64_t deadline = now_ms() + config.teardown_timeout_ms;
  while ((!calls.empty() || !registrations.empty()) && now_ms() < deadline) belle_sip_main_loop_sleep(loop, 20);
  // Calls still waiting for an answer to BYE/CANCEL end now.
  ids.clear();
  for (const auto& [id, call] : calls) ids.push_back(id);
  for (CallId id : ids) end_call(id, CallEnd{EndCause::shutdown, 0, "user agent destroyed"});
  belle_sip_main_loop_sleep(loop, 20);

  std::vector<TimerId> pending_timers;
  for (const auto& [id, t] : timers) pending_timers.push_back(id);
  for (TimerId id : pending_timers) cancel_timer(id);
  for (auto& [id, reg] : registrations) {
    belle_sip_refresher_stop(reg.refresher);
    belle_sip_object_unref(reg.refresher);
  }
  registrations.clear();
  pending_auths.clear();

  tls_server.reset();
  // belle-sip pitfall: the listener must leave the provider before anything is unref'd.
  belle_sip_provider_remove_sip_listener(provider, listener);
  belle_sip_object_unref(listener);
  belle_sip_provider_clean_channels(provider);
  belle_sip_object_unref(provider);
  belle_sip_object_unref(stack);
  {
    std::lock_guard lock(posts_mutex);
    for (PendingPost* p : posts) delete p;
    posts.clear();
  }
  std::lock_guard lock(g_log_mutex);
  g_log = nullptr;
}

// ---- Impl: helpers -------------------------------------------------------------

void UserAgent::Impl::log(const std::string& line) const {
  if (config.log) config.log(line);
}

void UserAgent::Impl::log_call(const Call& call, const std::string& event) const {
  if (!config.log) return;
  config.log("call " + std::to_string(call.id) + " [" + call.sip_call_id + "] " + event);
}

std::int64_t UserAgent::Impl::now_ms() const noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

TimerId UserAgent::Impl::schedule(std::int64_t delay_ms, std::function<void()> work) {
  const TimerId id = next_timer++;
  auto* thunk = new TimerThunk{this, id};
  const auto ms = static_cast<unsigned int>(std::clamp<std::int64_t>(delay_ms, 0, 24LL * 3600 * 1000));
  Timer t;
  t.work = std::move(work);
  t.source_id = belle_sip_main_loop_add_timeout(loop, fire_timer, thunk, ms);
  timers.emplace(id, std::move(t));
  return id;
}

void UserAgent::Impl::cancel_timer(TimerId& timer) noexcept {
  if (timer == 0) return;
  auto it = timers.find(timer);
  timer = 0;
  if (it == timers.end()) return;
  belle_sip_source_t* source = belle_sip_main_loop_find_source(loop, it->second.source_id);
  void* thunk = source ? belle_sip_source_get_user_data(source) : nullptr;
  belle_sip_main_loop_cancel_source(loop, it->second.source_id);
  delete static_cast<TimerThunk*>(thunk);
  timers.erase(it);
}

Call* UserAgent::Impl::find(CallId id) noexcept {
  auto it = calls.find(id);
  return it == calls.end() ? nullptr : it->second.get();
}

Call* UserAgent::Impl::find_by_dialog(belle_sip_dialog_t* dialog) noexcept {
  if (dialog == nullptr) return nullptr;
  return find(static_cast<CallId>(reinterpret_cast<std::uintptr_t>(belle_sip_dialog_get_application_data(dialog))));
}

Call& UserAgent::Impl::new_call(bool outgoing) {
  auto call = std::make_unique<Call>();
  call->id = next_call++;
  call->outgoing = outgoing;
  call->origin = SdpOrigin::random();
  call->origin.username = "libconf";
  Call& ref = *call;
  calls.emplace(ref.id, std::move(call));
  return ref;
}

void UserAgent::Impl::end_call(CallId id, CallEnd end) {
  Call* call = find(id);
  if (call == nullptr) return;
  cancel_timer(call->prack_timer);
  cancel_timer(call->session_timer);
  cancel_timer(call->dial_timer);
  cancel_timer(call->ack_timer);
  cancel_timer(call->teardown_timer);
  if (call->dialog) {
    belle_sip_dialog_set_application_data(call->dialog.get(), nullptr);
    // A dialog whose BYE was never answered (or that belle-sip did not end)
    // would stay in the provider for the process's lifetime.
    if (belle_sip_dialog_get_state(call->dialog.get()) != BELLE_SIP_DIALOG_TERMINATED) belle_sip_dialog_delete(call->dialog.get());
  }
  if (call->counted_source) {
    auto it = calls_per_source.find(call->source_address);
    if (it != calls_per_source.end() && --it->second == 0) calls_per_source.erase(it);
  }
  log_call(*call, "ended: " + std::string(to_string(end.cause)) + (end.sip_status ? " " + std::to_string(end.sip_status) : "") +
                      (end.reason.empty() ? "" : " (" + end.reason + ")"));
  // Forget the call before telling the host, so that nothing it calls finds it.
  std::unique_ptr<Call> owned = std::move(calls[id]);
  calls.erase(id);
  handler.on_call_ended(id, end);
}

void UserAgent::Impl::add_common_headers(belle_sip_message_t* message) const {
  const char* name = belle_sip_message_is_request(message) ? "User-Agent" : "Server";
  belle_sip_message_set_header(message, belle_sip_header_create(name, config.user_agent.c_str()));
}

void UserAgent::Impl::add_allow_supported(belle_sip_message_t* message) const {
  belle_sip_message_set_header(message, BELLE_SIP_HEADER(belle_sip_header_allow_create(
                                            "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY")));
  belle_sip_message_set_header(message, belle_sip_header_create("Supported", config.session_timers.enabled ? "100rel, timer" : "100rel"));
  belle_sip_message_set_header(message, belle_sip_header_create("Accept", "application/sdp, application/dtmf-relay, application/dtmf"));
}

belle_sip_header_contact_t* UserAgent::Impl::make_contact(const Call*) const {
  // Host left empty: belle-sip fills the address and port of the channel the
  // message leaves on (right for every listening point and for NAT'd rport).
  belle_sip_header_contact_t* contact = belle_sip_header_contact_new();
  belle_sip_uri_t* uri = belle_sip_uri_new();
  belle_sip_uri_set_user(uri, config.contact_user.c_str());
  belle_sip_header_address_set_uri(BELLE_SIP_HEADER_ADDRESS(contact), uri);
  return contact;
}

void UserAgent::Impl::send_response(belle_sip_server_transaction_t* st, belle_sip_request_t* request, int status,
                                    const std::string& reason) {
  belle_sip_response_t* response = belle_sip_response_create_from_request(request, status);
  if (!reason.empty()) belle_sip_response_set_reason_phrase(response, reason.c_str());
  add_common_headers(BELLE_SIP_MESSAGE(response));
  if (st != nullptr) {
    belle_sip_server_transaction_send_response(st, response);
  } else {
    belle_sip_provider_send_response(provider, response);
  }
}

bool UserAgent::Impl::send_request(belle_sip_request_t* request, CallId call, TxKind kind) {
  add_common_headers(BELLE_SIP_MESSAGE(request));
  belle_sip_client_transaction_t* ct = belle_sip_provider_create_client_transaction(provider, request);
  if (ct == nullptr) return false;
  belle_sip_transaction_set_application_data(BELLE_SIP_TRANSACTION(ct), tx_tag(call, kind));
  // A call that came in over TCP or TLS: requests go back on the connection it
  // came on (its source), not to the Contact, which a phone behind NAT or with
  // ephemeral ports cannot be reached at (connection reuse, RFC 5923 spirit).
  const Call* c = find(call);
  if (c != nullptr && !c->outgoing && c->transport != Transport::udp && !c->source_address.empty() && c->source_port != 0) {
    const std::string host = c->source_address.find(':') != std::string::npos ? "[" + c->source_address + "]" : c->source_address;
    BelleRef<belle_sip_uri_t> flow(belle_sip_uri_parse(("sip:" + host + ":" + std::to_string(c->source_port) + ";transport=" +
                                                        std::string(to_string(c->transport))).c_str()));
    if (flow) return belle_sip_client_transaction_send_request_to(ct, flow.get()) == 0;
  }
  return belle_sip_client_transaction_send_request(ct) == 0;
}

// ---- dispatch -------------------------------------------------------------------

void UserAgent::Impl::on_request(const belle_sip_request_event_t* event) {
  belle_sip_request_t* request = belle_sip_request_event_get_request(event);
  belle_sip_server_transaction_t* st = belle_sip_request_event_get_server_transaction(event);
  belle_sip_dialog_t* dialog = belle_sip_request_event_get_dialog(event);
  const std::string method = belle_sip_request_get_method(request);
  auto* message = BELLE_SIP_MESSAGE(request);

  if (method == "ACK") {
    if (Call* call = find_by_dialog(dialog)) on_ack(*call, request);
    return;
  }
  if (method == "CANCEL") {
    on_cancel(request, st);
    return;
  }
  // Bounds: belle-sip reads whole bodies of any Content-Length on TCP; refuse them here.
  if (header_count(message) > config.limits.max_headers) {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    send_response(t, request, 400, "Too Many Headers");
    return;
  }
  if (body(message).size() > config.limits.max_body_bytes) {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    send_response(t, request, 413, "Request Entity Too Large");
    return;
  }
  if (dialog != nullptr) {
    Call* call = find_by_dialog(dialog);
    if (call == nullptr) {
      auto* t = belle_sip_provider_create_server_transaction(provider, request);
      send_response(t, request, 481, "Call/Transaction Does Not Exist");
      return;
    }
    on_in_dialog_request(*call, request, dialog);
    return;
  }
  auto* to = belle_sip_message_get_header_by_type(message, belle_sip_header_to_t);
  const bool has_to_tag = to != nullptr && belle_sip_header_to_get_tag(to) != nullptr;
  if (method == "INVITE" && !has_to_tag) {
    on_invite(request);
  } else if (method == "REGISTER") {
    on_register(request);
  } else if (method == "OPTIONS") {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    belle_sip_response_t* response = belle_sip_response_create_from_request(request, 200);
    add_common_headers(BELLE_SIP_MESSAGE(response));
    add_allow_supported(BELLE_SIP_MESSAGE(response));
    belle_sip_server_transaction_send_response(t, response);
  } else if (method == "INVITE" || method == "BYE" || method == "INFO" || method == "UPDATE" || method == "PRACK" ||
             method == "REFER" || method == "NOTIFY") {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    send_response(t, request, 481, "Call/Transaction Does Not Exist");
  } else if (method == "SUBSCRIBE" || method == "MESSAGE" || method == "PUBLISH") {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    belle_sip_response_t* response = belle_sip_response_create_from_request(request, 405);
    add_common_headers(BELLE_SIP_MESSAGE(response));
    add_allow_supported(BELLE_SIP_MESSAGE(response));
    belle_sip_server_transaction_send_response(t, response);
  } else {
    auto* t = belle_sip_provider_create_server_transaction(provider, request);
    send_response(t, request, 501, "Not Implemented");
  }
}

void UserAgent::Impl::on_response(const belle_sip_response_event_t* event) {
  belle_sip_client_transaction_t* ct = belle_sip_response_event_get_client_transaction(event);
  if (ct == nullptr) return;  // e.g. the 200 to a PRACK belle-sip sent by itself
  belle_sip_response_t* response = belle_sip_response_event_get_response(event);
  void* tag = belle_sip_transaction_get_application_data(BELLE_SIP_TRANSACTION(ct));
  if (tag == nullptr) return;  // belle-sip's own (refresher) or not ours
  Call* call = find(tx_call(tag));
  if (call == nullptr) return;
  const int status = belle_sip_response_get_status_code(response);
  const char* phrase = belle_sip_response_get_reason_phrase(response);
  switch (tx_kind(tag)) {
    case TxKind::invite:
      on_invite_response(*call, response, ct, belle_sip_response_event_get_dialog(event));
      break;
    case TxKind::reinvite:
      on_reoffer_response(*call, response, false);
      break;
    case TxKind::update:
      on_reoffer_response(*call, response, true);
      break;
    case TxKind::bye:
      if (status >= 200) end_call(call->id, CallEnd{call->bye_cause, 0, call->bye_reason});
      break;
    case TxKind::refer:
      if (status >= 200) handler.on_transfer_progress(call->id, status);
      break;
    case TxKind::info:
      if (status >= 200) {
        if (status >= 300 && status != 491) log_call(*call, "INFO refused: " + std::to_string(status) + " " + (phrase ? phrase : ""));
        on_info_response(*call, status);
      }
      break;
    case TxKind::notify:
      // belle-sip answers 491 to any in-dialog request that meets one of its
      // own pending transactions (even NOTIFY against INFO): send it again.
      if (status == 491) resend_later(*call, ct, TxKind::notify);
      break;
    default:
      break;
  }
}

void UserAgent::Impl::resend_later(Call& call, belle_sip_client_transaction_t* ct, TxKind kind) {
  if (++call.resends > kMaxResends) {
    log_call(call, "giving up on a request refused 491 again and again");
    return;
  }
  belle_sip_request_t* old = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(ct));
  auto* message = BELLE_SIP_MESSAGE(old);
  const std::string type = content_type(message);
  const std::string text(body(message));
  const std::string event = header_value(message, "Event");
  const std::string state = header_value(message, "Subscription-State");
  static thread_local std::minstd_rand random{std::random_device{}()};
  const CallId id = call.id;
  schedule(100 + static_cast<std::int64_t>(random() % 500), [this, id, kind, type, text, event, state] {
    Call* c = find(id);
    if (c == nullptr || !c->dialog) return;
    belle_sip_request_t* again = belle_sip_dialog_create_queued_request(c->dialog.get(), "NOTIFY");
    if (again == nullptr) return;
    auto* m = BELLE_SIP_MESSAGE(again);
    if (!event.empty()) belle_sip_message_add_header(m, belle_sip_header_create("Event", event.c_str()));
    if (!state.empty()) belle_sip_message_add_header(m, belle_sip_header_create("Subscription-State", state.c_str()));
    if (!text.empty()) set_body(m, type, text);
    send_request(again, id, kind);
  });
}

void UserAgent::Impl::on_timeout(const belle_sip_timeout_event_t* event) {
  belle_sip_client_transaction_t* ct = belle_sip_timeout_event_get_client_transaction(event);
  if (ct == nullptr) return;
  void* tag = belle_sip_transaction_get_application_data(BELLE_SIP_TRANSACTION(ct));
  if (tag == nullptr) return;
  on_transaction_failed(tx_call(tag), tx_kind(tag), 408, "Request Timeout (no response)");
}

void UserAgent::Impl::on_io_error(const belle_sip_io_error_event_t* event) {
  belle_sip_object_t* source = belle_sip_io_error_event_get_source(event);
  if (source == nullptr || !BELLE_SIP_OBJECT_IS_INSTANCE_OF(source, belle_sip_client_transaction_t)) return;
  void* tag = belle_sip_transaction_get_application_data(BELLE_SIP_TRANSACTION(source));
  if (tag == nullptr) return;
  on_transaction_failed(tx_call(tag), tx_kind(tag), 503, "Service Unavailable (transport error)");
}

void UserAgent::Impl::on_transaction_failed(CallId id, TxKind kind, int status, const std::string& reason) {
  Call* call = find(id);
  if (call == nullptr) return;
  switch (kind) {
    case TxKind::invite: {
      DialProgress p{DialState::failed, status, reason, std::nullopt};
      const bool ending = call->phase == CallPhase::ending;
      handler.on_dial_progress(id, p);
      end_call(id, CallEnd{ending ? EndCause::local_hangup : EndCause::transport_error, status, reason});
      break;
    }
    case TxKind::reinvite:
    case TxKind::update:
      // RFC 4028 10 / RFC 3261 14.1: a refresh or re-offer that times out ends the call.
      send_bye(*call, Hangup{41, "Session refresh failed", 480});
      break;
    case TxKind::bye:
    case TxKind::cancel:
      end_call(id, CallEnd{EndCause::local_hangup, status, reason});
      break;
    case TxKind::refer:
      handler.on_transfer_progress(id, status);
      break;
    case TxKind::info:
      on_info_response(*call, status);
      break;
    default:
      break;
  }
}

void UserAgent::Impl::on_auth_requested(belle_sip_auth_event_t* event) {
  if (belle_sip_auth_event_get_mode(event) != BELLE_SIP_AUTH_MODE_HTTP_DIGEST) return;
  const char* user = belle_sip_auth_event_get_username(event);
  if (authenticating != nullptr) {
    const std::string& auth_user = authenticating->auth_user.empty() ? std::string(user ? user : "") : authenticating->auth_user;
    belle_sip_auth_event_set_userid(event, auth_user.c_str());
    belle_sip_auth_event_set_passwd(event, authenticating->password.c_str());
    return;
  }
  for (const auto& [id, r] : registrations) {
    if (user != nullptr && r.config.user == user) {
      const std::string& auth_user = r.config.auth_user.empty() ? r.config.user : r.config.auth_user;
      belle_sip_auth_event_set_userid(event, auth_user.c_str());
      belle_sip_auth_event_set_passwd(event, r.config.password.c_str());
      return;
    }
  }
}

// ---- UserAgent: forwarding -------------------------------------------------------

UserAgent::UserAgent(UserAgentConfig config, UserAgentHandler& handler)
    : impl_(std::make_unique<Impl>(*this, std::move(config), handler)) {}

UserAgent::~UserAgent() = default;

void UserAgent::run() { belle_sip_main_loop_run(impl_->loop); }

void UserAgent::iterate(int timeout_ms) { belle_sip_main_loop_sleep(impl_->loop, std::max(0, timeout_ms)); }

void UserAgent::stop() noexcept { belle_sip_main_loop_quit(impl_->loop); }

void UserAgent::post(std::function<void()> work) {
  auto* p = new PendingPost{impl_.get(), std::move(work)};
  {
    std::lock_guard lock(impl_->posts_mutex);
    impl_->posts.insert(p);
  }
  belle_sip_main_loop_do_later(impl_->loop, run_post, p);
}

TimerId UserAgent::schedule(std::int64_t delay_ms, std::function<void()> work) {
  return impl_->schedule(delay_ms, std::move(work));
}

void UserAgent::cancel_timer(TimerId timer) noexcept { impl_->cancel_timer(timer); }

std::int64_t UserAgent::now_ms() const noexcept { return impl_->now_ms(); }

std::uint16_t UserAgent::port(Transport transport) const noexcept {
  for (const auto& b : impl_->bound) {
    if (b.transport == transport) return b.port;
  }
  return 0;
}

Outcome<CallId> UserAgent::dial(const DialRequest& request) { return impl_->dial(request); }

const MediaSession* UserAgent::media(CallId id) const noexcept {
  Call* call = impl_->find(id);
  return call && call->media ? &*call->media : nullptr;
}

std::optional<CallInfo> UserAgent::info(CallId id) const {
  Call* call = impl_->find(id);
  if (call == nullptr) return std::nullopt;
  CallInfo i;
  i.call = id;
  i.sip_call_id = call->sip_call_id;
  i.outgoing = call->outgoing;
  i.established = call->phase == CallPhase::established;
  i.remote_uri = call->remote_uri;
  i.source_address = call->source_address;
  i.transport = call->transport;
  i.media = call->media;
  i.session_expires_s = call->session_expires_s;
  i.we_refresh = call->we_refresh;
  i.session_refreshes = call->session_refreshes;
  return i;
}

std::size_t UserAgent::call_count() const noexcept { return impl_->calls.size(); }

Outcome<RegistrationId> UserAgent::register_to(const RegistrationConfig& config) { return impl_->register_to(config); }

Result<void> UserAgent::unregister(RegistrationId id) { return impl_->unregister(id); }

std::optional<Binding> UserAgent::binding(std::string_view user) const {
  impl_->expire_bindings();
  auto it = impl_->bindings.find(user);
  if (it == impl_->bindings.end()) return std::nullopt;
  return it->second;
}

std::vector<Binding> UserAgent::bindings() const {
  impl_->expire_bindings();
  std::vector<Binding> out;
  for (const auto& [user, b] : impl_->bindings) out.push_back(b);
  return out;
}

}  // namespace libconf::sip
