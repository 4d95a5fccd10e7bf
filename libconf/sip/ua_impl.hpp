#pragma once
// The UserAgent's private state, shared by the ua_*.cpp files: one file per
// concern (loop and dispatch, calls in, calls out, in-dialog requests,
// registrar and registrations). Everything here runs on the control thread.

#include <belle-sip/belle-sip.h>

#include <array>
#include <deque>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "libconf/sip/user_agent.hpp"
#include "libconf/sip/belle_ref.hpp"
#include "libconf/sip/digest.hpp"
#include "libconf/sip/sip_message.hpp"
#include "libconf/sip/tls_server.hpp"

namespace libconf::sip {

using detail::BelleRef;

/// What a client transaction is for; kept in its application data together
/// with the call (tx_tag), so a response finds its call without pointers.
enum class TxKind : std::uint8_t { invite, reinvite, bye, cancel, info, update, refer, notify, options, prack, other };

enum class CallPhase : std::uint8_t {
  offered,      ///< incoming INVITE, no final response yet
  answering,    ///< our 200 sent, waiting for the ACK
  dialling,     ///< outgoing INVITE, no final response yet
  established,  ///< 200 + ACK
  ending,       ///< BYE/CANCEL sent, waiting for the end
};

struct Call {
  CallId id = kNoCall;
  bool outgoing = false;
  CallPhase phase = CallPhase::offered;
  std::string sip_call_id;
  std::string remote_uri;
  std::string source_address;
  std::uint16_t source_port = 0;
  Transport transport = Transport::udp;
  bool trusted = false;
  std::string authenticated_user;
  bool counted_source = false;  // counted in calls_per_source

  MediaPolicy policy;
  SdpOrigin origin;
  LocalMedia local;
  std::optional<MediaOffer> remote_offer;   // the offer we answer (INVITE, re-INVITE)
  std::optional<PendingOffer> local_offer;  // our offer waiting for its answer
  std::optional<MediaSession> media;        // the session in force

  BelleRef<belle_sip_dialog_t> dialog;
  BelleRef<belle_sip_server_transaction_t> invite_st;    // incoming INVITE (until final)
  BelleRef<belle_sip_client_transaction_t> invite_ct;    // outgoing INVITE (until final)
  BelleRef<belle_sip_server_transaction_t> reinvite_st;  // incoming re-INVITE we answered with an offer
  bool reoffer_pending = false;     // we sent a re-INVITE/UPDATE and wait for its answer
  MediaDirection wanted_direction = MediaDirection::sendrecv;

  // Reliable provisional responses (RFC 3262), as UAS.
  bool reliable = false;
  std::uint32_t rseq = 0;
  BelleRef<belle_sip_response_t> unacked;  // the reliable 1xx not PRACKed yet
  TimerId prack_timer = 0;
  int prack_interval_ms = 0;
  std::int64_t prack_deadline_ms = 0;
  std::optional<LocalMedia> deferred_answer;  // answer() while a 1xx waits for its PRACK
  struct DeferredProvisional {
    int status = 180;
    std::optional<LocalMedia> media;
  };
  std::optional<DeferredProvisional> deferred_provisional;  // a 1xx asked for while another waits for its PRACK

  // Session timers (RFC 4028).
  bool peer_supports_timer = false;
  int session_expires_s = 0;
  bool we_refresh = false;
  TimerId session_timer = 0;
  int session_refreshes = 0;
  bool peer_allows_update = false;

  // Dialling.
  TimerId dial_timer = 0;
  std::string auth_user;
  std::string password;
  int auth_attempts = 0;
  int min_se_retry = 0;
  std::string outbound_proxy;
  std::optional<EndCause> cancel_cause;  // why we cancelled (reported with the 487)
  EndCause bye_cause = EndCause::local_hangup;  // reported when our BYE is answered
  std::string bye_reason;
  std::string answer_sdp;         // our answer as last sent in a 1xx (the 200 repeats it)
  bool answer_sent_reliably = false;

  TimerId ack_timer = 0;                 // incoming: no ACK for our 200
  std::optional<Hangup> hangup_after_ack;  // hangup() before the ACK came
  TimerId teardown_timer = 0;            // BYE/CANCEL sent: end even without an answer
  bool refer_subscription = false;       // we accepted a REFER and owe NOTIFYs
  int resends = 0;                       // in-dialog requests sent again after 491
  std::deque<std::string> info_queue;    // DTMF INFO bodies, sent one at a time, in order
  bool info_in_flight = false;
  int transfer_final_sent = 0;
};

struct PendingPost;

/// The refresher listener's data: which UserAgent and registration.
struct RefresherData {
  UserAgent::Impl* impl = nullptr;
  RegistrationId id = 0;
};

/// Keeps the UserAgent reachable from CredentialSource replies on other
/// threads until the destructor cuts the line.
struct Lifeline {
  std::mutex mutex;
  UserAgent* ua = nullptr;
};

/// A request waiting for its credential lookup.
struct PendingAuth {
  BelleRef<belle_sip_server_transaction_t> st;
  BelleRef<belle_sip_request_t> request;
  RequestSource source;
  std::string user;
  std::function<void(std::string)> done;
};

struct UserAgent::Impl {
  Impl(UserAgent& self, UserAgentConfig config, UserAgentHandler& handler);
  ~Impl();

  UserAgent& self;
  UserAgentConfig config;
  UserAgentHandler& handler;
  IpAcl trusted;
  RateLimiter invite_rate;
  DigestServer digest;

  belle_sip_stack_t* stack = nullptr;
  belle_sip_main_loop_t* loop = nullptr;
  belle_sip_provider_t* provider = nullptr;
  belle_sip_listener_t* listener = nullptr;
  struct Bound {
    Transport transport;
    std::string address;
    std::uint16_t port;
  };
  std::vector<Bound> bound;
  std::unique_ptr<TlsServer> tls_server;  // belle-sip 5.1 accepts no TLS connections itself

  std::map<CallId, std::unique_ptr<Call>> calls;
  CallId next_call = 1;
  std::unordered_map<std::string, std::size_t> calls_per_source;

  // Timers on belle-sip's loop, by id.
  struct Timer {
    unsigned long source_id = 0;
    std::function<void()> work;
  };
  std::unordered_map<TimerId, Timer> timers;
  TimerId next_timer = 1;

  // post(): heap items handed to belle_sip_main_loop_do_later; those that never
  // ran are freed by the destructor.
  std::mutex posts_mutex;
  std::set<PendingPost*> posts;
  bool destroying = false;

  // Registrar and digest.
  std::map<std::string, Binding, std::less<>> bindings;
  std::shared_ptr<Lifeline> lifeline = std::make_shared<Lifeline>();
  std::map<std::uint64_t, PendingAuth> pending_auths;
  std::uint64_t next_auth = 1;

  // Client registrations.
  struct Registration {
    RegistrationConfig config;
    belle_sip_refresher_t* refresher = nullptr;  // the creator's reference, ours
    std::unique_ptr<RefresherData> data;
    RegistrationState state = RegistrationState::registering;
  };
  std::map<RegistrationId, Registration> registrations;
  RegistrationId next_registration = 1;
  // Credentials for the digest answer being built right now (dial auth).
  const Call* authenticating = nullptr;

  // ---- user_agent.cpp: loop, timers, helpers ----
  void log(const std::string& line) const;
  void log_call(const Call& call, const std::string& event) const;
  std::int64_t now_ms() const noexcept;
  TimerId schedule(std::int64_t delay_ms, std::function<void()> work);
  void cancel_timer(TimerId& timer) noexcept;
  Call* find(CallId id) noexcept;
  Call* find_by_dialog(belle_sip_dialog_t* dialog) noexcept;
  Call& new_call(bool outgoing);
  /// Ends a call: timers off, handler told, then forgotten.
  void end_call(CallId id, CallEnd end);
  void send_response(belle_sip_server_transaction_t* st, belle_sip_request_t* request, int status,
                     const std::string& reason = {});
  /// Sends a request on a new client transaction tagged (call, kind). False if belle-sip refused.
  bool send_request(belle_sip_request_t* request, CallId call, TxKind kind);
  void add_common_headers(belle_sip_message_t* message) const;
  belle_sip_header_contact_t* make_contact(const Call* call) const;
  void add_allow_supported(belle_sip_message_t* message) const;

  // ---- dispatch (user_agent.cpp) ----
  void on_request(const belle_sip_request_event_t* event);
  void on_response(const belle_sip_response_event_t* event);
  void on_timeout(const belle_sip_timeout_event_t* event);
  void on_io_error(const belle_sip_io_error_event_t* event);
  void on_auth_requested(belle_sip_auth_event_t* event);
  void on_transaction_failed(CallId call, TxKind kind, int status, const std::string& reason);
  /// Sends the head of the call's INFO queue (one INFO in flight at a time keeps digits in order).
  void send_next_info(Call& call);
  void on_info_response(Call& call, int status);
  /// Sends a NOTIFY refused with 491 again after a random 100-600 ms.
  void resend_later(Call& call, belle_sip_client_transaction_t* ct, TxKind kind);
  static constexpr int kMaxResends = 20;

  // ---- ua_server.cpp: calls in ----
  void on_invite(belle_sip_request_t* request);
  void continue_invite(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> request,
                       RequestSource source, bool trusted, std::string user);
  void on_cancel(belle_sip_request_t* request, belle_sip_server_transaction_t* invite_st);
  void on_ack(Call& call, belle_sip_request_t* request);
  void on_prack(Call& call, belle_sip_request_t* request);
  Result<void> send_provisional(Call& call, int status, const LocalMedia* media);
  void retransmit_provisional(CallId id);
  Result<void> send_answer(Call& call, const LocalMedia& media);
  void refuse(belle_sip_server_transaction_t* st, belle_sip_request_t* request, const Failure& failure);

  // ---- ua_client.cpp: calls out ----
  Outcome<CallId> dial(const DialRequest& request);
  void on_invite_response(Call& call, belle_sip_response_t* response, belle_sip_client_transaction_t* ct,
                          belle_sip_dialog_t* dialog);
  bool retry_with_auth(Call& call, belle_sip_client_transaction_t* ct, belle_sip_response_t* response);
  void send_ack(Call& call, belle_sip_response_t* response, const std::string& body);
  void cancel_dial(Call& call, EndCause cause);

  // ---- ua_dialog.cpp: in a dialog ----
  void on_in_dialog_request(Call& call, belle_sip_request_t* request, belle_sip_dialog_t* dialog);
  void on_reinvite(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st, bool update);
  void on_reoffer_response(Call& call, belle_sip_response_t* response, bool update);
  Result<void> send_reoffer(Call& call, MediaDirection direction, bool refresh_only);
  void on_info(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st);
  void on_refer(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st);
  void on_notify(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st);
  void send_bye(Call& call, const Hangup& how);
  void send_notify(Call& call, int status, bool final);
  void start_session_timer(Call& call);
  void read_session_expires(Call& call, belle_sip_message_t* message, bool as_uas);
  void add_session_expires(Call& call, belle_sip_message_t* message, bool response) const;
  void on_established(Call& call);

  // ---- ua_registrar.cpp ----
  void on_register(belle_sip_request_t* request);
  void continue_register(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> request,
                         RequestSource source, std::string user);
  void expire_bindings();
  Outcome<RegistrationId> register_to(const RegistrationConfig& config);
  Result<void> unregister(RegistrationId id);
  void on_refresher(RegistrationId id, unsigned int status, const char* reason, int will_retry);

  // ---- authentication (ua_server.cpp) ----
  /// Checks digest credentials of request, asynchronously; calls done(user)
  /// with the authenticated user, or "" after answering the request itself
  /// (401 challenge, 403, 503).
  void authenticate(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> request,
                    const RequestSource& source, std::function<void(std::string user)> done);
  void finish_auth(std::uint64_t key, const std::optional<Credential>& credential);
};

/// The application data of a client transaction: the call and what it is for.
void* tx_tag(CallId call, TxKind kind) noexcept;
CallId tx_call(const void* tag) noexcept;
TxKind tx_kind(const void* tag) noexcept;

}  // namespace libconf::sip
