// Calls in: INVITE admission (rate limit, bounds, access, digest), the offer,
// 100/180/183 (reliable with PRACK when asked), 200, ACK, CANCEL, refusals.

#include <algorithm>

#include "libconf/sip/ua_impl.hpp"

namespace libconf::sip {
namespace {

/// Text for a Warning header (RFC 3261 20.43): quoted, printable, bounded.
std::string warning_text(const std::string& domain, const std::string& message) {
  std::string quoted;
  for (char c : message.substr(0, 200)) {
    if (c == '"' || c == '\\') {
      quoted += '\'';
    } else if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
      quoted += c;
    }
  }
  return "399 " + domain + " \"" + quoted + "\"";
}

constexpr int kT1Ms = 500;  // RFC 3261 T1: reliable provisional retransmission starts here

}  // namespace

// ---- shared helpers --------------------------------------------------------------

void UserAgent::Impl::refuse(belle_sip_server_transaction_t* st, belle_sip_request_t* request, const Failure& failure) {
  belle_sip_response_t* response = belle_sip_response_create_from_request(request, failure.sip_status);
  add_common_headers(BELLE_SIP_MESSAGE(response));
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(response),
                               belle_sip_header_create("Warning", warning_text(config.domain, failure.message).c_str()));
  if (failure.sip_status == 415) {
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(response), belle_sip_header_create("Accept", "application/sdp"));
  }
  belle_sip_server_transaction_send_response(st, response);
}

namespace {
void add_retry_after(belle_sip_response_t* response, int seconds) {
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(response), BELLE_SIP_HEADER(belle_sip_header_retry_after_create(seconds)));
}
}  // namespace

// ---- admission ---------------------------------------------------------------------

void UserAgent::Impl::on_invite(belle_sip_request_t* request) {
  // One server transaction per request: belle-sip sends 100 Trying itself when
  // it creates an INVITE server transaction, absorbs retransmissions into it
  // and repeats the last response; a second transaction, or a 100 of ours,
  // would put a duplicate 100 on the wire.
  auto st = BelleRef<belle_sip_server_transaction_t>(belle_sip_provider_create_server_transaction(provider, request));
  auto req = BelleRef<belle_sip_request_t>(request);
  auto* message = BELLE_SIP_MESSAGE(request);
  const RequestSource source = request_source(request);
  const std::string call_id = call_id_of(message);

  if (!invite_rate.allow(source.address, now_ms())) {
    log("INVITE [" + call_id + "] from " + source.address + " refused: rate limit (503)");
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 503);
    belle_sip_response_set_reason_phrase(r, "Service Unavailable (rate limit)");
    add_common_headers(BELLE_SIP_MESSAGE(r));
    add_retry_after(r, invite_rate.config().retry_after_s);
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  const auto per_source = calls_per_source.find(source.address);
  if (calls.size() >= config.limits.max_calls ||
      (per_source != calls_per_source.end() && per_source->second >= config.limits.max_calls_per_source)) {
    log("INVITE [" + call_id + "] from " + source.address + " refused: too many calls (503)");
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 503);
    belle_sip_response_set_reason_phrase(r, "Service Unavailable (too many calls)");
    add_common_headers(BELLE_SIP_MESSAGE(r));
    add_retry_after(r, invite_rate.config().retry_after_s);
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  const std::string unsupported = unsupported_requirements(message, {"100rel", "timer"});
  if (!unsupported.empty()) {
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 420);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), belle_sip_header_create("Unsupported", unsupported.c_str()));
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  if (source.via_matches_source && trusted.contains(source.address)) {
    continue_invite(st, req, source, true, {});
    return;
  }
  authenticate(st, req, source, [this, st, req, source](std::string user) {
    continue_invite(st, req, source, false, std::move(user));
  });
}

void UserAgent::Impl::authenticate(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> request,
                                   const RequestSource& source, std::function<void(std::string user)> done) {
  auto* message = BELLE_SIP_MESSAGE(request.get());
  const std::string call_id = call_id_of(message);
  const std::string method = belle_sip_request_get_method(request.get());
  if (!config.credentials) {
    log(method + " [" + call_id + "] from " + source.address + " refused: not a trusted network (403)");
    send_response(st.get(), request.get(), 403, "Forbidden");
    return;
  }
  belle_sip_header_authorization_t* auth = belle_sip_message_get_header_by_type(message, belle_sip_header_authorization_t);
  if (auth == nullptr) {
    auth = BELLE_SIP_HEADER_AUTHORIZATION(belle_sip_message_get_header_by_type(message, belle_sip_header_proxy_authorization_t));
  }
  const std::int64_t now_s = now_ms() / 1000;
  auto challenge = [&](bool stale) {
    belle_sip_response_t* r = belle_sip_response_create_from_request(request.get(), 401);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    digest.challenge(r, false, stale, now_s, source.address);
    belle_sip_server_transaction_send_response(st.get(), r);
  };
  if (auth == nullptr) {
    challenge(false);
    return;
  }
  const char* realm = belle_sip_header_authorization_get_realm(auth);
  const char* nonce = belle_sip_header_authorization_get_nonce(auth);
  const char* user = belle_sip_header_authorization_get_username(auth);
  if (realm == nullptr || digest.realm() != realm || nonce == nullptr || user == nullptr || std::string_view(user).size() > 128) {
    challenge(false);
    return;
  }
  switch (digest.check_nonce(nonce, now_s, source.address)) {
    case DigestServer::NonceState::invalid: challenge(false); return;
    case DigestServer::NonceState::stale: challenge(true); return;
    case DigestServer::NonceState::valid: break;
  }
  if (pending_auths.size() >= config.limits.max_pending_lookups) {
    belle_sip_response_t* r = belle_sip_response_create_from_request(request.get(), 503);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    add_retry_after(r, 1);
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  // The reply may come on another thread: it carries only plain values and
  // hops to the control thread through post(); the belle-sip objects stay here.
  const std::uint64_t key = next_auth++;
  pending_auths.emplace(key, PendingAuth{st, request, source, user, std::move(done)});
  std::weak_ptr<Lifeline> weak = lifeline;
  config.credentials->find(user, digest.realm(), [weak, key, impl = this](std::optional<Credential> credential) {
    auto line = weak.lock();
    if (!line) return;
    std::lock_guard lock(line->mutex);
    if (line->ua == nullptr) return;
    line->ua->post([impl, key, credential = std::move(credential)] { impl->finish_auth(key, credential); });
  });
}

void UserAgent::Impl::finish_auth(std::uint64_t key, const std::optional<Credential>& credential) {
  auto it = pending_auths.find(key);
  if (it == pending_auths.end()) return;
  PendingAuth pending = std::move(it->second);
  pending_auths.erase(it);
  auto* message = BELLE_SIP_MESSAGE(pending.request.get());
  const std::string method = belle_sip_request_get_method(pending.request.get());
  belle_sip_header_authorization_t* auth = belle_sip_message_get_header_by_type(message, belle_sip_header_authorization_t);
  if (auth == nullptr) {
    auth = BELLE_SIP_HEADER_AUTHORIZATION(belle_sip_message_get_header_by_type(message, belle_sip_header_proxy_authorization_t));
  }
  if (auth == nullptr || !credential || !digest.verify(auth, method, *credential)) {
    log(method + " [" + call_id_of(message) + "] from " + pending.source.address + " refused: wrong credentials for '" +
        pending.user + "' (403)");
    send_response(pending.st.get(), pending.request.get(), 403, "Forbidden");
    return;
  }
  pending.done(pending.user);
}

void UserAgent::Impl::continue_invite(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> req,
                                      RequestSource source, bool is_trusted, std::string user) {
  // Cancelled (or otherwise answered) while the credentials were looked up.
  if (belle_sip_transaction_get_state(BELLE_SIP_TRANSACTION(st.get())) != BELLE_SIP_TRANSACTION_PROCEEDING) return;
  belle_sip_request_t* request = req.get();
  auto* message = BELLE_SIP_MESSAGE(request);

  if (config.session_timers.enabled) {
    auto* se = belle_sip_message_get_header_by_type(message, belle_sip_header_session_expires_t);
    if (se != nullptr && belle_sip_header_session_expires_get_delta(se) < config.session_timers.min_se_s) {
      belle_sip_response_t* r = belle_sip_response_create_from_request(request, 422);
      add_common_headers(BELLE_SIP_MESSAGE(r));
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(r),
                                   belle_sip_header_create("Min-SE", std::to_string(config.session_timers.min_se_s).c_str()));
      belle_sip_server_transaction_send_response(st.get(), r);
      return;
    }
  }

  std::optional<MediaOffer> offer;
  std::optional<MediaSession> session;
  const std::string_view sdp = body(message);
  if (!sdp.empty()) {
    if (content_type(message) != "application/sdp") {
      refuse(st.get(), request, Failure{errc::not_supported, "body type '" + content_type(message) + "' is not application/sdp", 415});
      return;
    }
    auto parsed = parse_sdp(sdp, config.media.limits);
    if (!parsed) {
      log("INVITE [" + call_id_of(message) + "] refused: " + parsed.failure().message);
      refuse(st.get(), request, parsed.failure());
      return;
    }
    auto answered = answer_offer(*parsed, config.media);
    if (!answered) {
      log("INVITE [" + call_id_of(message) + "] refused: " + answered.failure().message);
      refuse(st.get(), request, answered.failure());
      return;
    }
    offer = std::move(*parsed);
    session = std::move(*answered);
  }

  belle_sip_dialog_t* dialog = belle_sip_provider_create_dialog(provider, BELLE_SIP_TRANSACTION(st.get()));
  if (dialog == nullptr) {
    send_response(st.get(), request, 500, "Server Internal Error (no dialog)");
    return;
  }
  Call& call = new_call(false);
  call.phase = CallPhase::offered;
  call.sip_call_id = call_id_of(message);
  call.source_address = source.address;
  call.source_port = source.port;
  call.transport = source.transport;
  call.trusted = is_trusted;
  call.authenticated_user = std::move(user);
  call.policy = config.media;
  call.remote_offer = std::move(offer);
  call.media = std::move(session);
  call.dialog = BelleRef<belle_sip_dialog_t>(dialog);
  belle_sip_dialog_set_application_data(dialog, reinterpret_cast<void*>(static_cast<std::uintptr_t>(call.id)));
  call.invite_st = st;
  belle_sip_transaction_set_application_data(BELLE_SIP_TRANSACTION(st.get()), tx_tag(call.id, TxKind::invite));
  call.reliable = lists_token(message, "Require", "100rel") ||
                  (config.prefer_reliable_provisional && lists_token(message, "Supported", "100rel"));
  call.peer_supports_timer = lists_token(message, "Supported", "timer") || lists_token(message, "Require", "timer");
  call.peer_allows_update = lists_token(message, "Allow", "UPDATE");
  read_session_expires(call, message, true);
  ++calls_per_source[call.source_address];
  call.counted_source = true;

  IncomingCall info;
  info.call = call.id;
  info.sip_call_id = call.sip_call_id;
  if (auto* from = belle_sip_message_get_header_by_type(message, belle_sip_header_from_t)) {
    belle_sip_uri_t* uri = belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(from));
    info.from_uri = to_string(BELLE_SIP_OBJECT(uri));
    info.from_user = uri_user(uri);
    const char* display = belle_sip_header_address_get_displayname(BELLE_SIP_HEADER_ADDRESS(from));
    info.display_name = display ? display : "";
  }
  call.remote_uri = info.from_uri;
  belle_sip_uri_t* request_uri = belle_sip_request_get_uri(request);
  info.request_uri = to_string(BELLE_SIP_OBJECT(request_uri));
  info.to_user = uri_user(request_uri);
  if (info.to_user.empty()) {
    if (auto* to = belle_sip_message_get_header_by_type(message, belle_sip_header_to_t)) {
      info.to_user = uri_user(belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(to)));
    }
  }
  info.source_address = call.source_address;
  info.source_port = call.source_port;
  info.transport = call.transport;
  info.trusted = call.trusted;
  info.authenticated_user = call.authenticated_user;
  info.media = call.media;
  info.reliable_provisional = call.reliable;
  log_call(call, "incoming from " + info.from_uri + " (" + call.source_address + ", " +
                     (call.trusted ? std::string("trusted") : "user " + call.authenticated_user) + ") to '" + info.to_user + "'" +
                     (call.media ? " offer: " + call.media->codec : std::string(" late offer")));
  handler.on_incoming_call(info);
}

// ---- provisional responses ----------------------------------------------------------

Result<void> UserAgent::Impl::send_provisional(Call& call, int status, const LocalMedia* media) {
  if (call.outgoing || call.phase != CallPhase::offered || !call.invite_st) return errc::invalid_state;
  if (media != nullptr && (!call.remote_offer || !call.media)) return errc::not_supported;  // late offer: no early answer
  if (call.unacked) {  // RFC 3262 3: one reliable 1xx at a time; the latest waits for the PRACK
    call.deferred_provisional = Call::DeferredProvisional{status, media ? std::optional<LocalMedia>(*media) : std::nullopt};
    return {};
  }
  belle_sip_request_t* request = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call.invite_st.get()));
  belle_sip_response_t* response = belle_sip_response_create_from_request(request, status);
  auto* message = BELLE_SIP_MESSAGE(response);
  add_common_headers(message);
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(make_contact(&call)));
  if (media != nullptr) {
    // One answer per offer: a second 183, and the 200, repeat this same text (same o= version).
    if (call.answer_sdp.empty()) {
      call.local = *media;
      call.answer_sdp = write_answer(*call.remote_offer, *call.media, call.local, call.policy, call.origin);
    }
    set_body(message, "application/sdp", call.answer_sdp);
    call.answer_sent_reliably = call.answer_sent_reliably || call.reliable;
  }
  if (call.reliable) {
    belle_sip_message_add_header(message, belle_sip_header_create("Require", "100rel"));
    belle_sip_message_add_header(message, belle_sip_header_create("RSeq", std::to_string(++call.rseq).c_str()));
    call.unacked = BelleRef<belle_sip_response_t>(response);
    call.prack_interval_ms = kT1Ms;
    call.prack_deadline_ms = now_ms() + 64 * kT1Ms;
    const CallId id = call.id;
    call.prack_timer = schedule(call.prack_interval_ms, [this, id] { retransmit_provisional(id); });
  }
  belle_sip_server_transaction_send_response(call.invite_st.get(), response);
  log_call(call, std::to_string(status) + (media ? " with early media" : "") + (call.reliable ? " (reliable)" : ""));
  return {};
}

void UserAgent::Impl::retransmit_provisional(CallId id) {
  Call* call = find(id);
  if (call == nullptr) return;
  call->prack_timer = 0;
  if (!call->unacked || !call->invite_st) return;
  if (now_ms() >= call->prack_deadline_ms) {
    // RFC 3262 3: no PRACK within 64*T1: refuse the INVITE with a 5xx.
    call->unacked.reset();
    belle_sip_request_t* request = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call->invite_st.get()));
    send_response(call->invite_st.get(), request, 504, "No PRACK");
    end_call(id, CallEnd{EndCause::transport_error, 504, "no PRACK for a reliable provisional response"});
    return;
  }
  belle_sip_provider_send_response(provider, call->unacked.get());
  call->prack_interval_ms = std::min(call->prack_interval_ms * 2, 4000);
  call->prack_timer = schedule(call->prack_interval_ms, [this, id] { retransmit_provisional(id); });
}

void UserAgent::Impl::on_prack(Call& call, belle_sip_request_t* request) {
  auto* st = belle_sip_provider_create_server_transaction(provider, request);
  // RAck: "<rseq> <cseq> <method>"
  const std::string rack = header_value(BELLE_SIP_MESSAGE(request), "RAck");
  const auto space = rack.find(' ');
  const std::string rseq = rack.substr(0, space);
  if (!call.unacked || rseq != std::to_string(call.rseq)) {
    send_response(st, request, 481, "No Matching Reliable Provisional Response");
    return;
  }
  call.unacked.reset();
  cancel_timer(call.prack_timer);
  send_response(st, request, 200);
  log_call(call, "PRACK for RSeq " + rseq);
  if (call.deferred_provisional) {
    const Call::DeferredProvisional next = *call.deferred_provisional;
    call.deferred_provisional.reset();
    (void)send_provisional(call, next.status, next.media ? &*next.media : nullptr);
    if (call.unacked) return;  // the answer waits for this one's PRACK in turn
  }
  if (call.deferred_answer) {
    const LocalMedia media = *call.deferred_answer;
    call.deferred_answer.reset();
    (void)send_answer(call, media);
  }
}

// ---- final responses -----------------------------------------------------------------

Result<void> UserAgent::Impl::send_answer(Call& call, const LocalMedia& media) {
  if (!call.invite_st) return errc::invalid_state;
  belle_sip_request_t* request = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call.invite_st.get()));
  belle_sip_response_t* response = belle_sip_response_create_from_request(request, 200);
  auto* message = BELLE_SIP_MESSAGE(response);
  add_common_headers(message);
  add_allow_supported(message);
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(make_contact(&call)));
  add_session_expires(call, message, true);
  if (call.remote_offer) {
    // After an answer in a reliable 1xx the offer/answer exchange is over: no SDP here.
    if (call.answer_sdp.empty()) {
      call.local = media;
      call.answer_sdp = write_answer(*call.remote_offer, *call.media, call.local, call.policy, call.origin);
    }
    if (!call.answer_sent_reliably) set_body(message, "application/sdp", call.answer_sdp);
  } else {
    call.local = media;
    call.local_offer = make_offer(call.policy, call.local, call.origin);
    set_body(message, "application/sdp", call.local_offer->sdp);
  }
  call.phase = CallPhase::answering;
  belle_sip_server_transaction_send_response(call.invite_st.get(), response);
  call.invite_st.reset();
  log_call(call, "answered" + (call.media ? " " + call.media->codec : std::string(" with an offer (late offer)")));
  const CallId id = call.id;
  // RFC 3261 13.3.1.4: no ACK within 64*T1: end the session with BYE.
  call.ack_timer = schedule(64 * kT1Ms, [this, id] {
    Call* c = find(id);
    if (c == nullptr || c->phase != CallPhase::answering) return;
    c->ack_timer = 0;
    log_call(*c, "no ACK for our 200");
    send_bye(*c, Hangup{41, "No ACK", 408});
  });
  return {};
}

void UserAgent::Impl::on_ack(Call& call, belle_sip_request_t* ack) {
  auto* message = BELLE_SIP_MESSAGE(ack);
  if (call.phase == CallPhase::answering) {
    cancel_timer(call.ack_timer);
    if (call.local_offer) {  // late offer: the answer is in the ACK
      const PendingOffer offer = *call.local_offer;
      call.local_offer.reset();
      auto parsed = parse_sdp(body(message), call.policy.limits);
      auto session = parsed ? read_answer(offer, *parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
      if (!session) {
        log_call(call, "ACK without a usable answer: " + session.failure().message);
        call.phase = CallPhase::established;
        send_bye(call, Hangup{47, "No acceptable answer: " + session.failure().message, 488});
        return;
      }
      call.media = std::move(*session);
    }
    call.phase = CallPhase::established;
    log_call(call, "confirmed (ACK)");
    on_established(call);
    if (call.media) handler.on_call_confirmed(call.id, *call.media);
    if (Call* still = find(call.id); still != nullptr && still->hangup_after_ack) {
      const Hangup how = *still->hangup_after_ack;
      still->hangup_after_ack.reset();
      send_bye(*still, how);
    }
    return;
  }
  if (call.reinvite_st && call.local_offer) {  // re-INVITE without offer: the answer is in the ACK
    call.reinvite_st.reset();
    const PendingOffer offer = *call.local_offer;
    call.local_offer.reset();
    auto parsed = parse_sdp(body(message), call.policy.limits);
    auto session = parsed ? read_answer(offer, *parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
    if (!session) {
      log_call(call, "re-INVITE ACK without a usable answer: " + session.failure().message);
      return;
    }
    const MediaChange change = call.media ? compare(*call.media, *session) : MediaChange{true, true, true, true, true, true};
    call.media = std::move(*session);
    handler.on_media_changed(call.id, *call.media, change);
  }
}

void UserAgent::Impl::on_cancel(belle_sip_request_t* request, belle_sip_server_transaction_t* invite_st) {
  auto* st = belle_sip_provider_create_server_transaction(provider, request);
  send_response(st, request, 200);
  if (invite_st == nullptr) return;
  void* tag = belle_sip_transaction_get_application_data(BELLE_SIP_TRANSACTION(invite_st));
  Call* call = tag ? find(tx_call(tag)) : nullptr;
  if (belle_sip_transaction_get_state(BELLE_SIP_TRANSACTION(invite_st)) == BELLE_SIP_TRANSACTION_PROCEEDING &&
      (call == nullptr || call->phase == CallPhase::offered)) {
    belle_sip_request_t* invite = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(invite_st));
    send_response(invite_st, invite, 487, "Request Terminated");
  }
  if (call != nullptr && call->phase == CallPhase::offered) {
    call->invite_st.reset();
    end_call(call->id, CallEnd{EndCause::cancelled, 487, "CANCEL"});
  }
}

// ---- public: calls in -------------------------------------------------------------------

Result<void> UserAgent::ringing(CallId id) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  return impl_->send_provisional(*call, 180, nullptr);
}

Result<void> UserAgent::early_media(CallId id, const LocalMedia& media) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (!call->remote_offer) return errc::not_supported;
  return impl_->send_provisional(*call, 183, &media);
}

Result<void> UserAgent::answer(CallId id, const LocalMedia& media) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (call->outgoing || call->phase != CallPhase::offered) return errc::invalid_state;
  if (call->unacked || call->deferred_provisional) {  // wait for the PRACK of the reliable 1xx (RFC 3262 3)
    call->deferred_answer = media;
    return {};
  }
  return impl_->send_answer(*call, media);
}

Result<void> UserAgent::reject(CallId id, int sip_status, std::string_view reason) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (sip_status < 400 || sip_status > 699) return errc::invalid_argument;
  if (call->outgoing || call->phase != CallPhase::offered || !call->invite_st) return errc::invalid_state;
  belle_sip_request_t* request = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call->invite_st.get()));
  impl_->send_response(call->invite_st.get(), request, sip_status, std::string(reason));
  impl_->end_call(id, CallEnd{EndCause::local_hangup, sip_status, std::string(reason)});
  return {};
}

}  // namespace libconf::sip
