// Calls out: the INVITE (offer or late offer), its responses (progress,
// early media, answer, ACK), digest answers to 401/407, 422 retries, CANCEL.

#include <arpa/inet.h>

#include <algorithm>

#include "libconf/sip/ua_impl.hpp"

namespace libconf::sip {
namespace {

bool header_safe(std::string_view s) noexcept {
  return s.find_first_of("\r\n") == std::string_view::npos && !s.empty() && s.size() <= 1024;
}

bool token_safe(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
}

bool user_safe(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.!~*'()&=+$,;?/%#").find(c) != std::string_view::npos;
  });
}

Failure bad(std::string message) { return Failure{errc::invalid_argument, std::move(message), 0}; }

bool numeric_address(const std::string& address) noexcept {
  unsigned char buf[16];
  return inet_pton(AF_INET, address.c_str(), buf) == 1 || inet_pton(AF_INET6, address.c_str(), buf) == 1;
}

}  // namespace

Outcome<CallId> UserAgent::Impl::dial(const DialRequest& r) {
  MediaPolicy policy = r.policy.value_or(config.media);
  try {
    sip::validate(policy);
  } catch (const Error& e) {
    return bad(std::string("dial: ") + e.what());
  }
  std::string target = r.target;
  if (target.empty()) return bad("dial: target is empty");
  if (!target.starts_with("sip:") && !target.starts_with("sips:")) {
    auto b = bindings.find(target);
    if (b == bindings.end() || b->second.expires_at_ms <= now_ms()) {
      return Failure{errc::not_found, "dial: '" + target.substr(0, 64) + "' is neither a sip: URI nor a registered user", 404};
    }
    target = b->second.contact;
  }
  if (!header_safe(target)) return bad("dial: target is not one line of at most 1024 characters");
  belle_sip_uri_t* request_uri = belle_sip_uri_parse(target.c_str());
  if (request_uri == nullptr) return bad("dial: target '" + target.substr(0, 100) + "' is not a SIP URI");
  BelleRef<belle_sip_uri_t> uri_ref(request_uri);
  const std::string from_user = r.from_user.empty() ? config.contact_user : r.from_user;
  if (!user_safe(from_user)) return bad("dial: from_user '" + from_user.substr(0, 64) + "' is not a SIP user part");
  if (r.display_name.find_first_of("\"\\\r\n") != std::string::npos || r.display_name.size() > 128) {
    return bad("dial: display_name must be at most 128 characters without quotes or line breaks");
  }
  if (r.media.port == 0) return bad("dial: media.port is 0 (open the RTP transport first)");
  if (!numeric_address(r.media.address)) return bad("dial: media.address '" + r.media.address.substr(0, 64) + "' is not a numeric IP address");
  for (const auto& [name, value] : r.headers) {
    if (!token_safe(name) || !header_safe(value)) return bad("dial: extra header '" + name.substr(0, 64) + "' is not a token with a one-line value");
  }
  if (r.timeout_ms < 1000 || r.timeout_ms > 3'600'000) {
    return bad("dial: timeout_ms " + std::to_string(r.timeout_ms) + " is outside 1000..3600000");
  }
  BelleRef<belle_sip_uri_t> proxy;
  if (!r.outbound_proxy.empty()) {
    if (!header_safe(r.outbound_proxy)) return bad("dial: outbound_proxy is not one line");
    proxy = BelleRef<belle_sip_uri_t>(belle_sip_uri_parse(r.outbound_proxy.c_str()));
    if (!proxy) return bad("dial: outbound_proxy '" + r.outbound_proxy.substr(0, 100) + "' is not a SIP URI");
  }

  Call& call = new_call(true);
  call.phase = CallPhase::dialling;
  call.policy = policy;
  call.local = r.media;
  call.auth_user = r.auth_user;
  call.password = r.password;
  call.outbound_proxy = r.outbound_proxy;
  call.remote_uri = target;
  call.transport = belle_sip_uri_is_secure(request_uri)
                       ? Transport::tls
                       : transport_from_name(belle_sip_uri_get_transport_param(request_uri) ? belle_sip_uri_get_transport_param(request_uri) : "udp")
                             .value_or(Transport::udp);
  call.source_address = belle_sip_uri_get_host(request_uri) ? belle_sip_uri_get_host(request_uri) : "";

  belle_sip_uri_t* from_uri = belle_sip_uri_create(from_user.c_str(), config.domain.c_str());
  belle_sip_header_address_t* from_address =
      belle_sip_header_address_create(r.display_name.empty() ? nullptr : r.display_name.c_str(), from_uri);
  belle_sip_uri_t* to_uri = BELLE_SIP_URI(belle_sip_object_clone(BELLE_SIP_OBJECT(request_uri)));
  belle_sip_uri_set_transport_param(to_uri, nullptr);
  belle_sip_header_address_t* to_address = belle_sip_header_address_create(nullptr, to_uri);
  belle_sip_header_call_id_t* call_id = belle_sip_provider_create_call_id(provider);
  call.sip_call_id = belle_sip_header_call_id_get_call_id(call_id);
  belle_sip_request_t* request = belle_sip_request_create(
      BELLE_SIP_URI(belle_sip_object_clone(BELLE_SIP_OBJECT(request_uri))), "INVITE", call_id,
      belle_sip_header_cseq_create(20, "INVITE"), belle_sip_header_from_create(from_address, BELLE_SIP_RANDOM_TAG),
      belle_sip_header_to_create(to_address, nullptr), belle_sip_header_via_new(), 70);
  auto* message = BELLE_SIP_MESSAGE(request);
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(make_contact(&call)));
  add_allow_supported(message);
  if (config.session_timers.enabled) {
    belle_sip_message_add_header(message, belle_sip_header_create("Session-Expires", std::to_string(config.session_timers.session_expires_s).c_str()));
    belle_sip_message_add_header(message, belle_sip_header_create("Min-SE", std::to_string(config.session_timers.min_se_s).c_str()));
  }
  for (const auto& [name, value] : r.headers) belle_sip_message_add_header(message, belle_sip_header_create(name.c_str(), value.c_str()));
  if (!r.late_offer) {
    call.local_offer = make_offer(call.policy, call.local, call.origin);
    set_body(message, "application/sdp", call.local_offer->sdp);
  }
  add_common_headers(message);

  belle_sip_client_transaction_t* ct = belle_sip_provider_create_client_transaction(provider, request);
  belle_sip_transaction_set_application_data(BELLE_SIP_TRANSACTION(ct), tx_tag(call.id, TxKind::invite));
  belle_sip_dialog_t* dialog = belle_sip_provider_create_dialog(provider, BELLE_SIP_TRANSACTION(ct));
  call.dialog = BelleRef<belle_sip_dialog_t>(dialog);
  if (dialog) belle_sip_dialog_set_application_data(dialog, reinterpret_cast<void*>(static_cast<std::uintptr_t>(call.id)));
  call.invite_ct = BelleRef<belle_sip_client_transaction_t>(ct);
  const int sent = proxy ? belle_sip_client_transaction_send_request_to(ct, proxy.get()) : belle_sip_client_transaction_send_request(ct);
  const CallId id = call.id;
  if (sent != 0) {
    const std::string why = "dial: belle-sip could not send the INVITE to '" + target.substr(0, 100) + "' (no listening point for its transport?)";
    calls.erase(id);
    return Failure{errc::io_error, why, 0};
  }
  call.dial_timer = schedule(r.timeout_ms, [this, id] {
    Call* c = find(id);
    if (c == nullptr) return;
    c->dial_timer = 0;
    log_call(*c, "no answer in time: CANCEL");
    cancel_dial(*c, EndCause::no_answer);
  });
  log_call(call, "dialling " + target + (r.late_offer ? " (late offer)" : ""));
  return id;
}

void UserAgent::Impl::cancel_dial(Call& call, EndCause cause) {
  const CallId id = call.id;
  call.phase = CallPhase::ending;
  const auto state = call.invite_ct ? belle_sip_transaction_get_state(BELLE_SIP_TRANSACTION(call.invite_ct.get()))
                                    : BELLE_SIP_TRANSACTION_TERMINATED;
  if (state == BELLE_SIP_TRANSACTION_CALLING || state == BELLE_SIP_TRANSACTION_PROCEEDING) {
    belle_sip_request_t* cancel = belle_sip_client_transaction_create_cancel(call.invite_ct.get());
    if (cancel != nullptr) send_request(cancel, id, TxKind::cancel);
  }
  // The INVITE's 487 ends the call; if it never comes, this does.
  cancel_timer(call.teardown_timer);
  call.teardown_timer = schedule(config.teardown_timeout_ms, [this, id, cause] {
    if (Call* c = find(id)) {
      c->teardown_timer = 0;
      handler.on_dial_progress(id, DialProgress{DialState::failed, 487, "cancelled", std::nullopt});
      end_call(id, CallEnd{cause, 487, "cancelled"});
    }
  });
  call.cancel_cause = cause;  // reported when the 487 arrives
}

bool UserAgent::Impl::retry_with_auth(Call& call, belle_sip_client_transaction_t* ct, belle_sip_response_t*) {
  if (call.password.empty() || ++call.auth_attempts > 2) return false;
  authenticating = &call;
  belle_sip_request_t* request = belle_sip_client_transaction_create_authenticated_request(ct, nullptr, nullptr);
  authenticating = nullptr;
  if (request == nullptr) return false;
  belle_sip_client_transaction_t* next = belle_sip_provider_create_client_transaction(provider, request);
  belle_sip_transaction_set_application_data(BELLE_SIP_TRANSACTION(next), tx_tag(call.id, TxKind::invite));
  if (call.dialog) belle_sip_dialog_set_application_data(call.dialog.get(), nullptr);
  belle_sip_dialog_t* dialog = belle_sip_provider_create_dialog(provider, BELLE_SIP_TRANSACTION(next));
  call.dialog = BelleRef<belle_sip_dialog_t>(dialog);
  if (dialog) belle_sip_dialog_set_application_data(dialog, reinterpret_cast<void*>(static_cast<std::uintptr_t>(call.id)));
  call.invite_ct = BelleRef<belle_sip_client_transaction_t>(next);
  BelleRef<belle_sip_uri_t> proxy;
  if (!call.outbound_proxy.empty()) proxy = BelleRef<belle_sip_uri_t>(belle_sip_uri_parse(call.outbound_proxy.c_str()));
  const int sent = proxy ? belle_sip_client_transaction_send_request_to(next, proxy.get()) : belle_sip_client_transaction_send_request(next);
  log_call(call, "INVITE again with digest credentials for '" + call.auth_user + "'");
  return sent == 0;
}

void UserAgent::Impl::send_ack(Call& call, belle_sip_response_t* response, const std::string& sdp) {
  auto* cseq = belle_sip_message_get_header_by_type(BELLE_SIP_MESSAGE(response), belle_sip_header_cseq_t);
  belle_sip_request_t* ack = belle_sip_dialog_create_ack(call.dialog.get(), belle_sip_header_cseq_get_seq_number(cseq));
  if (ack == nullptr) return;
  add_common_headers(BELLE_SIP_MESSAGE(ack));
  if (!sdp.empty()) set_body(BELLE_SIP_MESSAGE(ack), "application/sdp", sdp);
  belle_sip_dialog_send_ack(call.dialog.get(), ack);
}

void UserAgent::Impl::on_invite_response(Call& call, belle_sip_response_t* response, belle_sip_client_transaction_t* ct,
                                         belle_sip_dialog_t* dialog) {
  auto* message = BELLE_SIP_MESSAGE(response);
  const int status = belle_sip_response_get_status_code(response);
  const char* phrase_c = belle_sip_response_get_reason_phrase(response);
  const std::string phrase = phrase_c ? phrase_c : "";
  const CallId id = call.id;
  if (ct != call.invite_ct.get()) return;  // an earlier INVITE (before an auth retry)
  if (dialog != nullptr && dialog != call.dialog.get()) {
    // A forked branch answering with another dialog: not ours to keep.
    if (status >= 200 && status < 300) log_call(call, "ignoring a forked 2xx");
    return;
  }
  if (status < 200) {
    if (status == 100) return;
    std::optional<MediaSession> early;
    if (call.local_offer && !body(message).empty() && content_type(message) == "application/sdp") {
      auto parsed = parse_sdp(body(message), call.policy.limits);
      auto session = parsed ? read_answer(*call.local_offer, *parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
      if (session) {
        call.media = *session;
        early = *session;
      } else {
        log_call(call, "unusable early SDP: " + session.failure().message);
      }
    }
    if (call.phase != CallPhase::dialling) return;
    const DialState state = early ? DialState::early_media : DialState::ringing;
    log_call(call, std::to_string(status) + " " + phrase);
    handler.on_dial_progress(id, DialProgress{state, status, phrase, early});
    return;
  }
  cancel_timer(call.dial_timer);
  if (status < 300) {
    call.invite_ct.reset();
    std::string ack_body;
    std::optional<Failure> failure;
    const std::string_view sdp = content_type(message) == "application/sdp" ? body(message) : std::string_view();
    if (call.local_offer) {
      if (!sdp.empty()) {
        auto parsed = parse_sdp(sdp, call.policy.limits);
        auto session = parsed ? read_answer(*call.local_offer, *parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
        if (session) {
          call.media = *session;
        } else {
          failure = session.failure();
        }
      } else if (!call.media) {
        failure = Failure{errc::parse_error, "the 200 carries no SDP answer", 488};
      }
      call.local_offer.reset();
    } else {  // late offer: the 200 carries the offer, the ACK our answer
      auto parsed = parse_sdp(sdp, call.policy.limits);
      auto session = parsed ? answer_offer(*parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
      if (session) {
        call.media = *session;
        ack_body = write_answer(*parsed, *call.media, call.local, call.policy, call.origin);
      } else {
        failure = session.failure();
      }
    }
    call.peer_allows_update = lists_token(message, "Allow", "UPDATE");
    call.peer_supports_timer = lists_token(message, "Supported", "timer") || lists_token(message, "Require", "timer");
    read_session_expires(call, message, false);
    send_ack(call, response, ack_body);
    const bool hang_up = call.phase == CallPhase::ending;  // cancelled, but the 200 won the race
    call.phase = CallPhase::established;
    if (failure) {
      log_call(call, "answered with unusable SDP: " + failure->message);
      handler.on_dial_progress(id, DialProgress{DialState::failed, 488, failure->message, std::nullopt});
      if (Call* c = find(id)) send_bye(*c, Hangup{47, "Incompatible media: " + failure->message, 488});
      return;
    }
    if (hang_up) {
      send_bye(call, Hangup{});
      return;
    }
    log_call(call, "answered " + std::to_string(status) + " " + call.media->codec);
    on_established(call);
    handler.on_dial_progress(id, DialProgress{DialState::answered, status, phrase, call.media});
    return;
  }
  if ((status == 401 || status == 407) && call.phase == CallPhase::dialling && retry_with_auth(call, ct, response)) return;
  if (status == 422 && call.phase == CallPhase::dialling && call.min_se_retry == 0) {
    const auto min_se = header_number(message, "Min-SE");
    if (min_se && *min_se > 0 && *min_se <= 86400) {
      call.min_se_retry = 1;
      belle_sip_request_t* again = belle_sip_request_clone_with_body(belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(ct)));
      auto* cseq = belle_sip_message_get_header_by_type(BELLE_SIP_MESSAGE(again), belle_sip_header_cseq_t);
      belle_sip_header_cseq_set_seq_number(cseq, belle_sip_header_cseq_get_seq_number(cseq) + 1);
      belle_sip_message_remove_header(BELLE_SIP_MESSAGE(again), "Session-Expires");
      belle_sip_message_remove_header(BELLE_SIP_MESSAGE(again), "Min-SE");
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(again), belle_sip_header_create("Session-Expires", std::to_string(*min_se).c_str()));
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(again), belle_sip_header_create("Min-SE", std::to_string(*min_se).c_str()));
      belle_sip_client_transaction_t* next = belle_sip_provider_create_client_transaction(provider, again);
      belle_sip_transaction_set_application_data(BELLE_SIP_TRANSACTION(next), tx_tag(id, TxKind::invite));
      if (call.dialog) belle_sip_dialog_set_application_data(call.dialog.get(), nullptr);
      belle_sip_dialog_t* d = belle_sip_provider_create_dialog(provider, BELLE_SIP_TRANSACTION(next));
      call.dialog = BelleRef<belle_sip_dialog_t>(d);
      if (d) belle_sip_dialog_set_application_data(d, reinterpret_cast<void*>(static_cast<std::uintptr_t>(id)));
      call.invite_ct = BelleRef<belle_sip_client_transaction_t>(next);
      if (belle_sip_client_transaction_send_request(next) == 0) {
        log_call(call, "422: INVITE again with Session-Expires " + std::to_string(*min_se));
        return;
      }
    }
  }
  const bool cancelled = call.phase == CallPhase::ending;
  const EndCause cause = cancelled ? call.cancel_cause.value_or(EndCause::local_hangup) : EndCause::rejected;
  log_call(call, "failed: " + std::to_string(status) + " " + phrase);
  call.invite_ct.reset();
  handler.on_dial_progress(id, DialProgress{DialState::failed, status, phrase, std::nullopt});
  end_call(id, CallEnd{cause, status, phrase});
}

}  // namespace libconf::sip
