#pragma once
/// @file
/// UserAgent: a SIP user agent on belle-sip for conference hosts and callers.
/// It owns belle-sip's stack, its listening points (UDP, TCP, TLS; IPv4 and
/// IPv6; rport) and its main loop, and turns SIP into a few calls and events:
///
/// - calls in: access control (trusted networks by IP, digest users from a
///   CredentialSource, everyone else 403), a per-source INVITE rate limit
///   (503 + Retry-After), one server transaction per request (one 100
///   Trying), offer or late offer, 180/183 (reliable with PRACK when the
///   peer requires 100rel), 200, ACK; CANCEL;
/// - calls out (dial): INVITE with an offer or late offer, digest answers to
///   401/407, progress (ringing, early media, answered, failed with the SIP
///   status), CANCEL on timeout;
/// - in a call: re-INVITE and UPDATE (hold, codec, address; the o= version is
///   bumped on every offer we make), INFO DTMF in and out, BYE with a Reason,
///   REFER (transfer) in and out, session timers (RFC 4028);
/// - OPTIONS answered 200 in and out of dialogs (load balancers probe);
/// - a registrar (REGISTER with digest) and client registrations to a
///   provider (digest, refreshed by belle-sip before expiry).
///
/// Threading: belle-sip's main loop runs on ONE control thread: the thread
/// that constructs the UserAgent and calls run() / iterate(). Every method is
/// for that thread and every handler callback arrives on it, except post()
/// and stop(), which are thread-safe (belle_sip_main_loop_do_later). A
/// conference host runs its ConferenceService on the same thread, through
/// post() and schedule(); media stays on the engine's workers.
///
/// Bounds: request bodies (max_body_bytes, 413), header count (400), calls
/// in total and per source (503), registrations, credential lookups in
/// flight, SDP (MediaPolicy::limits). belle-sip itself reads at most 64 KiB
/// of headers per message.
///
/// Errors: the constructor throws libconf::Error naming a bad configuration
/// value or a listening point it cannot bind. Methods return Result
/// (not_found: unknown call; invalid_state: not possible in the call's
/// state) or Outcome with a message.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/sip/access.hpp"
#include "libconf/sip/credentials.hpp"
#include "libconf/sip/outcome.hpp"
#include "libconf/sip/sdp.hpp"

namespace libconf::sip {

enum class Transport : std::uint8_t { udp, tcp, tls };
/// "udp", "tcp", "tls".
std::string_view to_string(Transport transport) noexcept;
/// Parses "udp", "tcp", "tls" (any case); nullopt otherwise.
std::optional<Transport> transport_from_name(std::string_view name) noexcept;

/// A TLS listening point with TlsConfig certificate and key accepts TLS
/// connections; without them it only dials out over TLS.
struct ListenPoint {
  Transport transport = Transport::udp;
  std::string address = "127.0.0.1";  ///< numeric IPv4 or IPv6 ("0.0.0.0", "::" for all)
  std::uint16_t port = 5060;          ///< 0: any free port (read it back with UserAgent::port)
};

struct TlsConfig {
  std::string certificate_file;  ///< PEM certificate (chain) served on TLS listening points
  std::string key_file;          ///< PEM private key of that certificate
  std::string ca_file;           ///< PEM roots that verify servers we connect to; empty: the system's
  bool verify_server = true;     ///< false accepts any server certificate (self-signed demos, tests)
};

struct SipLimits {
  std::size_t max_body_bytes = 16 * 1024;   ///< larger request bodies: 413
  std::size_t max_headers = 100;            ///< more header fields: 400
  std::size_t max_calls = 2000;             ///< calls at once: 503
  std::size_t max_calls_per_source = 50;    ///< calls at once from one IP: 503
  std::size_t max_registrations = 10'000;   ///< registrar bindings: 503
  std::size_t max_pending_lookups = 256;    ///< credential lookups in flight: 503
  std::size_t max_tls_connections = 1000;   ///< TLS connections accepted at once (more are closed)
};

/// RFC 4028 session timers.
struct SessionTimerConfig {
  bool enabled = true;
  int session_expires_s = 1800;  ///< what we ask for (>= min_se_s)
  /// The shortest we accept. RFC 4028 puts the floor at 90 s; lower values
  /// (>= 2) exist for tests and may be refused by peers with 422.
  int min_se_s = 90;
};

struct UserAgentConfig {
  std::vector<ListenPoint> listen = {ListenPoint{}};
  std::optional<TlsConfig> tls;  ///< needed for TLS listening points and tls dialling
  /// Our SIP domain: digest realm, registrar domain, From host of dial-outs.
  std::string domain = "libconf.invalid";
  std::string user_agent = "libconf";  ///< User-Agent / Server header
  std::string contact_user = "libconf";
  MediaPolicy media;  ///< default offer/answer policy (per dial overridable)
  /// Networks (CIDR) whose INVITEs are taken without authentication: the trunks.
  std::vector<std::string> trusted_networks;
  /// Users of the registrar and of authenticated INVITEs. Null: only trusted
  /// networks may call and REGISTER is refused.
  std::shared_ptr<CredentialSource> credentials;
  int register_min_expires_s = 60;     ///< shorter: 423 Interval Too Brief
  int register_max_expires_s = 3600;   ///< longer: granted this
  int nonce_lifetime_s = 300;          ///< digest nonces older than this are stale
  RateLimitConfig invite_rate;
  SipLimits limits;
  SessionTimerConfig session_timers;
  /// Answer 180/183 reliably (RFC 3262) when the INVITE says Supported:
  /// 100rel (always when it says Require: 100rel).
  bool prefer_reliable_provisional = false;
  /// How long a BYE, CANCEL or NOTIFY we send may take (bounded teardown), ms.
  std::int64_t teardown_timeout_ms = 4000;
  /// Log lines (one per call event, with the Call-ID). Null: silent. belle-sip's
  /// own messages at stack_log_level and above are passed here too.
  std::function<void(std::string_view line)> log;
  /// belle-sip's own messages passed to log from: 0 debug, 1 message, 2 warning, 3 error, 4 none.
  /// (bctoolbox's log handler is process-wide: the last UserAgent built sets it.)
  int stack_log_level = 3;
};

using CallId = std::uint64_t;
inline constexpr CallId kNoCall = 0;
using RegistrationId = std::uint64_t;
using TimerId = std::uint64_t;

/// What a host learns about a new incoming call.
struct IncomingCall {
  CallId call = kNoCall;
  std::string sip_call_id;        ///< the Call-ID header, for logs
  std::string from_uri;           ///< From URI (caller)
  std::string from_user;          ///< its user part (caller ID)
  std::string display_name;
  std::string to_user;            ///< the dialled number: Request-URI user, else To user
  std::string request_uri;
  std::string source_address;     ///< numeric IP the request came from
  std::uint16_t source_port = 0;
  Transport transport = Transport::udp;
  bool trusted = false;           ///< from a trusted network
  std::string authenticated_user; ///< digest user, when authenticated
  /// The answer to the INVITE's offer (codec, PTs, keys, remote address).
  /// nullopt: a late offer; answer() then offers, and the answer comes in the
  /// ACK (on_call_confirmed).
  std::optional<MediaSession> media;
  bool reliable_provisional = false;  ///< 180/183 will be sent reliably (PRACK)
};

enum class EndCause : std::uint8_t {
  local_hangup,     ///< we sent BYE (or CANCEL, or rejected)
  remote_hangup,    ///< the peer sent BYE
  cancelled,        ///< the caller cancelled before we answered
  rejected,         ///< the callee refused (4xx/5xx/6xx) or a request failed
  no_answer,        ///< our dial timed out (we cancelled)
  session_expired,  ///< no session refresh (RFC 4028), or no ACK for our 200
  transport_error,  ///< timeout or I/O error of a transaction
  shutdown,         ///< the UserAgent is being destroyed
};
/// "local_hangup", "remote_hangup", ...
std::string_view to_string(EndCause cause) noexcept;

struct CallEnd {
  EndCause cause = EndCause::local_hangup;
  int sip_status = 0;   ///< the final status that ended it (0 for BYE)
  std::string reason;   ///< reason phrase or the Reason header's text
};

enum class DialState : std::uint8_t { trying, ringing, early_media, answered, failed };
std::string_view to_string(DialState state) noexcept;

/// Progress of a call we placed.
struct DialProgress {
  DialState state = DialState::trying;
  int sip_status = 0;
  std::string reason;
  /// early_media and answered: the negotiated session (also media(call)).
  std::optional<MediaSession> media;
};

struct DialRequest {
  /// "sip:user@host[:port][;transport=tcp|tls]", "sips:...", or the user name of
  /// a phone registered with our registrar (rung at its registered contact).
  std::string target;
  std::string from_user;      ///< caller ID; empty: config.contact_user
  std::string display_name;
  LocalMedia media;           ///< our RTP address (the host opened its transport first)
  std::optional<MediaPolicy> policy;  ///< else config.media
  bool late_offer = false;    ///< INVITE without SDP: the peer offers in its 200
  std::int64_t timeout_ms = 30'000;   ///< no answer by then: CANCEL, failed (no_answer)
  std::string auth_user;      ///< digest answer to 401/407 (a provider trunk)
  std::string password;
  std::string outbound_proxy; ///< route the INVITE through this URI
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers (name, value)
};

/// How we hang up: a Reason header (RFC 3326) on BYE/CANCEL, and the status
/// that refuses a call not answered yet.
struct Hangup {
  int q850_cause = 16;  ///< 16 normal clearing, 17 busy, 19 no answer, 21 rejected...
  std::string text = "Normal call clearing";
  int sip_status = 480; ///< for an incoming call not answered yet (400..699)
};

struct CallInfo {
  CallId call = kNoCall;
  std::string sip_call_id;
  bool outgoing = false;
  bool established = false;   ///< 200 sent/received and ACKed
  std::string remote_uri;
  std::string source_address;
  Transport transport = Transport::udp;
  std::optional<MediaSession> media;
  int session_expires_s = 0;   ///< 0: no session timer
  bool we_refresh = false;     ///< we send the session refreshes
  int session_refreshes = 0;   ///< refreshes sent or received so far
};

enum class RegistrationState : std::uint8_t { registering, registered, failed, unregistered };
std::string_view to_string(RegistrationState state) noexcept;

/// A client registration to a provider (so its DIDs ring here).
struct RegistrationConfig {
  std::string registrar;   ///< "sip:provider.example:5060;transport=udp"
  std::string user;        ///< address-of-record user (From/To: sip:user@<registrar host>)
  std::string domain;      ///< AOR domain; empty: the registrar's host
  std::string auth_user;   ///< digest user; empty: user
  std::string password;
  int expires_s = 600;     ///< asked for; belle-sip refreshes before the granted expiry
};

struct RegistrationStatus {
  RegistrationId id = 0;
  RegistrationState state = RegistrationState::registering;
  int sip_status = 0;
  std::string reason;
  int expires_s = 0;  ///< granted
};

/// A phone registered with our registrar.
struct Binding {
  std::string user;
  std::string contact;        ///< Contact URI it registered
  std::string source_address; ///< where the REGISTER came from
  std::uint16_t source_port = 0;
  Transport transport = Transport::udp;
  std::int64_t expires_at_ms = 0;  ///< on the UserAgent's monotonic clock
};

/// The host's side. Every callback runs on the control thread; the host may
/// call UserAgent methods from inside them.
class UserAgentHandler {
 public:
  virtual ~UserAgentHandler() = default;
  /// A new INVITE passed access control and offer checks (100 Trying is
  /// sent). The host answers now or later: ringing(), early_media(),
  /// answer() or reject().
  virtual void on_incoming_call(const IncomingCall& call) = 0;
  /// Incoming: the ACK for our 200 arrived (with the answer to our offer for a
  /// late offer). media is the session now in force.
  virtual void on_call_confirmed(CallId call, const MediaSession& media) { (void)call, (void)media; }
  /// Progress of a call we dialled.
  virtual void on_dial_progress(CallId call, const DialProgress& progress) { (void)call, (void)progress; }
  /// The session changed (re-INVITE/UPDATE from the peer, or the answer to
  /// our update_media()); change says what to update in the engine leg.
  virtual void on_media_changed(CallId call, const MediaSession& media, const MediaChange& change) {
    (void)call, (void)media, (void)change;
  }
  /// A digit arrived in a SIP INFO (RFC 4733 digits arrive in RTP, not here).
  virtual void on_dtmf(CallId call, char digit, int duration_ms) { (void)call, (void)digit, (void)duration_ms; }
  /// The peer asks us to call target (REFER). Return true to accept (202);
  /// then report the new call's outcome with transfer_status(). false: 603.
  virtual bool on_transfer_requested(CallId call, const std::string& target) {
    (void)call, (void)target;
    return false;
  }
  /// Our REFER's progress: the status of the call the peer placed (NOTIFY
  /// sipfrag), or the REFER's own failure; final when status >= 200.
  virtual void on_transfer_progress(CallId call, int sip_status) { (void)call, (void)sip_status; }
  /// The call is over; the CallId is invalid after this returns.
  virtual void on_call_ended(CallId call, const CallEnd& end) = 0;
  /// A client registration changed state.
  virtual void on_registration(const RegistrationStatus& status) { (void)status; }
};

class UserAgent {
 public:
  /// Binds the listening points. Throws libconf::Error naming the bad value
  /// (config field, unreadable certificate, port in use).
  UserAgent(UserAgentConfig config, UserAgentHandler& handler);
  /// Ends every call (BYE, CANCEL, 480), unregisters, and lets those
  /// requests go out for up to teardown_timeout_ms; then tears belle-sip down.
  ~UserAgent();
  UserAgent(const UserAgent&) = delete;
  UserAgent& operator=(const UserAgent&) = delete;

  // ---- the control thread ----------------------------------------------------
  /// Runs the main loop until stop().
  void run();
  /// Runs the main loop for up to timeout_ms (for hosts with their own loop, and tests).
  void iterate(int timeout_ms);
  /// Thread-safe: makes run() return.
  void stop() noexcept;
  /// Thread-safe: runs work on the control thread, soon.
  void post(std::function<void()> work);
  /// Runs work on the control thread after delay_ms. Control thread only.
  TimerId schedule(std::int64_t delay_ms, std::function<void()> work);
  void cancel_timer(TimerId timer) noexcept;
  /// Milliseconds on the UserAgent's monotonic clock.
  std::int64_t now_ms() const noexcept;
  /// The bound port of the first listening point of this transport (0: none).
  std::uint16_t port(Transport transport) const noexcept;

  // ---- calls in ---------------------------------------------------------------
  /// 180 Ringing (reliable if the call requires it). Reliable provisional
  /// responses go one at a time: one asked for while another waits for its
  /// PRACK is sent after that PRACK (the latest one wins), and so is answer().
  Result<void> ringing(CallId call);
  /// 183 Session Progress with our answer: early media (prompts before answer).
  /// not_supported for a late-offer call.
  Result<void> early_media(CallId call, const LocalMedia& media);
  /// 200 OK with our answer (or our offer, for a late offer).
  Result<void> answer(CallId call, const LocalMedia& media);
  /// Refuses a call not answered yet (status 400..699).
  Result<void> reject(CallId call, int sip_status, std::string_view reason = {});

  // ---- calls out --------------------------------------------------------------
  /// Places a call. Failure names the bad target or value.
  Outcome<CallId> dial(const DialRequest& request);

  // ---- any call ---------------------------------------------------------------
  /// BYE (established), CANCEL (dialling) or a refusal (incoming not answered).
  Result<void> hangup(CallId call, const Hangup& how = {});
  /// A digit as SIP INFO (application/dtmf-relay). invalid_argument: not a DTMF digit.
  Result<void> send_info_dtmf(CallId call, char digit, int duration_ms = 160);
  /// Re-offers (re-INVITE): hold (sendonly/inactive), unhold (sendrecv), a new
  /// local address. The outcome arrives as on_media_changed.
  Result<void> update_media(CallId call, const LocalMedia& media, MediaDirection direction);
  /// Asks the peer to call target instead (REFER); progress via on_transfer_progress.
  Result<void> transfer(CallId call, const std::string& target);
  /// After accepting a REFER: the status of the call we placed (NOTIFY sipfrag).
  Result<void> transfer_status(CallId call, int sip_status);
  /// The session in force, or null (not negotiated yet / unknown call).
  const MediaSession* media(CallId call) const noexcept;
  std::optional<CallInfo> info(CallId call) const;
  std::size_t call_count() const noexcept;

  // ---- registration -----------------------------------------------------------
  /// Registers to a provider; progress via on_registration.
  Outcome<RegistrationId> register_to(const RegistrationConfig& config);
  /// Unregisters (REGISTER Expires: 0) and forgets it.
  Result<void> unregister(RegistrationId id);
  /// The registrar's live binding of user, if any.
  std::optional<Binding> binding(std::string_view user) const;
  std::vector<Binding> bindings() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::sip
