// In a dialog: BYE, re-INVITE and UPDATE (both ways), INFO DTMF, REFER and
// its NOTIFYs, OPTIONS, session timers (RFC 4028), and hanging up.

#include <charconv>
#include <random>

#include "libconf/sip/dtmf_info.hpp"
#include "libconf/sip/ua_impl.hpp"

namespace libconf::sip {
namespace {

const char* refresher_name(bool uas) { return uas ? "uas" : "uac"; }

/// "SIP/2.0 200 OK" -> 200 (message/sipfrag, RFC 3420); 0 if it is not a status line.
int sipfrag_status(std::string_view body) {
  if (!body.starts_with("SIP/2.0 ") || body.size() < 11) return 0;
  int status = 0;
  auto [p, ec] = std::from_chars(body.data() + 8, body.data() + 11, status);
  if (ec != std::errc() || p != body.data() + 11 || status < 100 || status > 699) return 0;
  return status;
}

std::string reason_header(const Hangup& how) {
  std::string text;
  for (char c : how.text.substr(0, 100)) {
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) text += c;
  }
  return "Q.850;cause=" + std::to_string(how.q850_cause) + ";text=\"" + text + "\"";
}

}  // namespace

// ---- dispatch ----------------------------------------------------------------------

void UserAgent::Impl::on_in_dialog_request(Call& call, belle_sip_request_t* request, belle_sip_dialog_t*) {
  const std::string method = belle_sip_request_get_method(request);
  if (method == "PRACK") {
    on_prack(call, request);
    return;
  }
  auto* st = belle_sip_provider_create_server_transaction(provider, request);
  if (method == "BYE") {
    send_response(st, request, 200);
    std::string reason;
    if (auto* r = belle_sip_message_get_header_by_type(BELLE_SIP_MESSAGE(request), belle_sip_header_reason_t)) {
      const char* text = belle_sip_header_reason_get_text(r);
      const char* protocol = belle_sip_header_reason_get_protocol(r);
      reason = std::string(text ? text : "") + " (" + (protocol ? protocol : "") + " cause " +
               std::to_string(belle_sip_header_reason_get_cause(r)) + ")";
    }
    if (call.phase == CallPhase::offered && call.invite_st) {
      belle_sip_request_t* invite = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call.invite_st.get()));
      send_response(call.invite_st.get(), invite, 487, "Request Terminated");
    }
    log_call(call, "BYE from the peer" + (reason.empty() ? std::string() : " (" + reason + ")"));
    end_call(call.id, CallEnd{EndCause::remote_hangup, 0, reason});
  } else if (method == "INVITE") {
    on_reinvite(call, request, st, false);
  } else if (method == "UPDATE") {
    on_reinvite(call, request, st, true);
  } else if (method == "INFO") {
    on_info(call, request, st);
  } else if (method == "REFER") {
    on_refer(call, request, st);
  } else if (method == "NOTIFY") {
    on_notify(call, request, st);
  } else if (method == "OPTIONS") {
    belle_sip_response_t* response = belle_sip_response_create_from_request(request, 200);
    add_common_headers(BELLE_SIP_MESSAGE(response));
    add_allow_supported(BELLE_SIP_MESSAGE(response));
    belle_sip_server_transaction_send_response(st, response);
  } else if (method == "SUBSCRIBE" || method == "MESSAGE" || method == "PUBLISH" || method == "REGISTER") {
    belle_sip_response_t* response = belle_sip_response_create_from_request(request, 405);
    add_common_headers(BELLE_SIP_MESSAGE(response));
    add_allow_supported(BELLE_SIP_MESSAGE(response));
    belle_sip_server_transaction_send_response(st, response);
  } else {
    send_response(st, request, 501, "Not Implemented");
  }
}

// ---- re-INVITE and UPDATE from the peer -----------------------------------------------

void UserAgent::Impl::on_reinvite(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st, bool update) {
  auto* message = BELLE_SIP_MESSAGE(request);
  const std::string_view sdp = body(message);
  if (call.phase != CallPhase::established) {
    // An UPDATE refreshing an early dialog needs nothing from us; anything else waits.
    if (update && sdp.empty()) {
      send_response(st, request, 200);
    } else {
      belle_sip_response_t* r = belle_sip_response_create_from_request(request, update ? 491 : 500);
      add_common_headers(BELLE_SIP_MESSAGE(r));
      if (!update) belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), BELLE_SIP_HEADER(belle_sip_header_retry_after_create(1)));
      belle_sip_server_transaction_send_response(st, r);
    }
    return;
  }
  if (call.reoffer_pending || call.reinvite_st) {  // glare (RFC 3261 14.2)
    send_response(st, request, 491, "Request Pending");
    return;
  }
  if (config.session_timers.enabled) {
    auto* se = belle_sip_message_get_header_by_type(message, belle_sip_header_session_expires_t);
    if (se != nullptr && belle_sip_header_session_expires_get_delta(se) < config.session_timers.min_se_s) {
      belle_sip_response_t* r = belle_sip_response_create_from_request(request, 422);
      add_common_headers(BELLE_SIP_MESSAGE(r));
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(r),
                                   belle_sip_header_create("Min-SE", std::to_string(config.session_timers.min_se_s).c_str()));
      belle_sip_server_transaction_send_response(st, r);
      return;
    }
  }
  std::optional<MediaSession> next;
  std::string answer_body;
  if (!sdp.empty()) {
    if (content_type(message) != "application/sdp") {
      refuse(st, request, Failure{errc::not_supported, "body type '" + content_type(message) + "' is not application/sdp", 415});
      return;
    }
    auto parsed = parse_sdp(sdp, call.policy.limits);
    auto session = parsed ? answer_offer(*parsed, call.policy, call.media ? &*call.media : nullptr, call.wanted_direction)
                          : Outcome<MediaSession>(parsed.failure());
    if (!session) {
      log_call(call, std::string(update ? "UPDATE" : "re-INVITE") + " refused: " + session.failure().message);
      refuse(st, request, session.failure());  // the call goes on with the old session
      return;
    }
    next = std::move(*session);
    answer_body = write_answer(*parsed, *next, call.local, call.policy, call.origin);
  }
  call.peer_allows_update = call.peer_allows_update || lists_token(message, "Allow", "UPDATE");
  read_session_expires(call, message, true);

  belle_sip_response_t* response = belle_sip_response_create_from_request(request, 200);
  auto* out = BELLE_SIP_MESSAGE(response);
  add_common_headers(out);
  add_allow_supported(out);
  belle_sip_message_add_header(out, BELLE_SIP_HEADER(make_contact(&call)));
  add_session_expires(call, out, true);
  if (next) {
    set_body(out, "application/sdp", answer_body);
  } else if (!update) {
    // A re-INVITE without an offer: we offer what runs now; the answer comes in the ACK.
    call.local_offer = make_offer(call.policy, call.local, call.origin, call.wanted_direction, call.media ? &*call.media : nullptr);
    set_body(out, "application/sdp", call.local_offer->sdp);
    call.reinvite_st = BelleRef<belle_sip_server_transaction_t>(st);
  }
  belle_sip_server_transaction_send_response(st, response);
  ++call.session_refreshes;
  start_session_timer(call);
  if (next) {
    const MediaChange change = call.media ? compare(*call.media, *next) : MediaChange{true, true, true, true, true, true};
    call.media = std::move(next);
    if (change.any()) {
      log_call(call, std::string(update ? "UPDATE" : "re-INVITE") + ": media now " + call.media->codec + " " +
                         std::string(to_string(call.media->direction)) + " to " + call.media->remote_address + ":" +
                         std::to_string(call.media->remote_port));
      handler.on_media_changed(call.id, *call.media, change);
    }
  }
}

// ---- our re-offers and refreshes ------------------------------------------------------------

Result<void> UserAgent::Impl::send_reoffer(Call& call, MediaDirection direction, bool refresh_only) {
  if (call.phase != CallPhase::established || !call.dialog) return errc::invalid_state;
  if (call.reoffer_pending || call.reinvite_st) return errc::invalid_state;
  const bool use_update = refresh_only && call.peer_allows_update;
  belle_sip_request_t* request = belle_sip_dialog_create_request(call.dialog.get(), use_update ? "UPDATE" : "INVITE");
  if (request == nullptr) return errc::invalid_state;  // another transaction is still running
  auto* message = BELLE_SIP_MESSAGE(request);
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(make_contact(&call)));
  add_allow_supported(message);
  add_session_expires(call, message, false);
  if (!use_update) {
    call.wanted_direction = direction;
    // Every offer bumps the o= version (SdpOrigin), even an unchanged refresh.
    call.local_offer = make_offer(call.policy, call.local, call.origin, direction, call.media ? &*call.media : nullptr);
    set_body(message, "application/sdp", call.local_offer->sdp);
  }
  call.reoffer_pending = true;
  if (!send_request(request, call.id, use_update ? TxKind::update : TxKind::reinvite)) {
    call.reoffer_pending = false;
    return errc::io_error;
  }
  std::string what = use_update ? "UPDATE" : "re-INVITE";
  if (refresh_only) {
    what += " (session refresh)";
  } else {
    what += ' ';
    what += to_string(direction);
  }
  log_call(call, what);
  return {};
}

void UserAgent::Impl::on_reoffer_response(Call& call, belle_sip_response_t* response, bool update) {
  auto* message = BELLE_SIP_MESSAGE(response);
  const int status = belle_sip_response_get_status_code(response);
  if (status < 200) return;
  call.reoffer_pending = false;
  if (status < 300) {
    if (!update) send_ack(call, response, {});
    ++call.session_refreshes;
    read_session_expires(call, message, false);
    start_session_timer(call);
    if (call.local_offer) {
      const PendingOffer offer = *call.local_offer;
      call.local_offer.reset();
      auto parsed = parse_sdp(body(message), call.policy.limits);
      auto session = parsed ? read_answer(offer, *parsed, call.policy) : Outcome<MediaSession>(parsed.failure());
      if (!session) {
        log_call(call, "answer to our re-offer unusable: " + session.failure().message);
        send_bye(call, Hangup{47, "Incompatible media: " + session.failure().message, 488});
        return;
      }
      const MediaChange change = call.media ? compare(*call.media, *session) : MediaChange{true, true, true, true, true, true};
      call.media = std::move(*session);
      if (change.any()) handler.on_media_changed(call.id, *call.media, change);
    }
    return;
  }
  call.local_offer.reset();
  if (status == 491) {  // glare: try again after a random 0.5..2 s (RFC 3261 14.1)
    static thread_local std::minstd_rand random{std::random_device{}()};
    const CallId id = call.id;
    const MediaDirection direction = call.wanted_direction;
    schedule(500 + static_cast<std::int64_t>(random() % 1500), [this, id, direction, update] {
      if (Call* c = find(id)) (void)send_reoffer(*c, direction, update);
    });
    return;
  }
  if (status == 408 || status == 481) {  // the dialog is gone (RFC 3261 14.1, RFC 4028 10)
    log_call(call, "re-offer answered " + std::to_string(status) + ": ending the call");
    send_bye(call, Hangup{41, "Session refresh failed", 480});
    return;
  }
  log_call(call, "re-offer refused " + std::to_string(status) + ": the old session stays");
}

// ---- session timers -----------------------------------------------------------------------

void UserAgent::Impl::read_session_expires(Call& call, belle_sip_message_t* message, bool as_uas) {
  auto* se = belle_sip_message_get_header_by_type(message, belle_sip_header_session_expires_t);
  const bool is_request = belle_sip_message_is_request(message);
  if (!config.session_timers.enabled) {
    call.session_expires_s = 0;
    return;
  }
  if (is_request && as_uas) {
    if (se != nullptr) {
      call.session_expires_s = std::max(belle_sip_header_session_expires_get_delta(se), config.session_timers.min_se_s);
      switch (belle_sip_header_session_expires_get_refresher_value(se)) {
        case BELLE_SIP_HEADER_SESSION_EXPIRES_UAC: call.we_refresh = false; break;
        case BELLE_SIP_HEADER_SESSION_EXPIRES_UAS: call.we_refresh = true; break;
        default: call.we_refresh = !call.peer_supports_timer; break;
      }
    } else if (call.phase != CallPhase::established) {
      // The caller asked for nothing: we run the timer (and refresh ourselves if it cannot).
      call.session_expires_s = config.session_timers.session_expires_s;
      call.we_refresh = !call.peer_supports_timer;
    }
    return;
  }
  // A 2xx to our INVITE or refresh.
  if (se == nullptr) {
    if (call.phase != CallPhase::established) call.session_expires_s = 0;
    return;
  }
  call.session_expires_s = belle_sip_header_session_expires_get_delta(se);
  const auto refresher = belle_sip_header_session_expires_get_refresher_value(se);
  // In a response, uac/uas name the roles of the request just answered: we sent it.
  call.we_refresh = refresher != BELLE_SIP_HEADER_SESSION_EXPIRES_UAS;
}

void UserAgent::Impl::add_session_expires(Call& call, belle_sip_message_t* message, bool response) const {
  if (call.session_expires_s <= 0) return;
  // uac/uas name the roles in this request: for our response the peer is uac.
  const bool refresher_is_uas = response ? call.we_refresh : !call.we_refresh;
  const std::string value = std::to_string(call.session_expires_s) + ";refresher=" + refresher_name(refresher_is_uas);
  belle_sip_message_set_header(message, belle_sip_header_create("Session-Expires", value.c_str()));
  if (!response) {
    belle_sip_message_set_header(message, belle_sip_header_create("Min-SE", std::to_string(config.session_timers.min_se_s).c_str()));
  } else if (call.peer_supports_timer) {
    belle_sip_message_add_header(message, belle_sip_header_create("Require", "timer"));
  }
}

void UserAgent::Impl::start_session_timer(Call& call) {
  cancel_timer(call.session_timer);
  if (call.session_expires_s <= 0 || call.phase != CallPhase::established) return;
  const CallId id = call.id;
  const std::int64_t s = call.session_expires_s;
  if (call.we_refresh) {
    call.session_timer = schedule(s * 1000 / 2, [this, id] {
      Call* c = find(id);
      if (c == nullptr) return;
      c->session_timer = 0;
      if (!send_reoffer(*c, c->wanted_direction, true)) {
        // Busy with another transaction: try again shortly.
        c->session_timer = schedule(2000, [this, id] {
          if (Call* again = find(id)) {
            again->session_timer = 0;
            (void)send_reoffer(*again, again->wanted_direction, true);
          }
        });
      }
    });
  } else {
    // RFC 4028 10: BYE at the expiry minus min(32, S/3) seconds.
    const std::int64_t wait = s - std::min<std::int64_t>(32, s / 3);
    call.session_timer = schedule(wait * 1000, [this, id] {
      Call* c = find(id);
      if (c == nullptr) return;
      c->session_timer = 0;
      log_call(*c, "session expired (no refresh)");
      c->bye_cause = EndCause::session_expired;
      send_bye(*c, Hangup{102, "Session expired", 408});
    });
  }
}

void UserAgent::Impl::on_established(Call& call) { start_session_timer(call); }

// ---- INFO, REFER, NOTIFY ---------------------------------------------------------------------

void UserAgent::Impl::on_info(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st) {
  auto* message = BELLE_SIP_MESSAGE(request);
  auto dtmf = parse_dtmf_info(content_type(message), body(message));
  if (!dtmf) {
    if (body(message).empty()) {  // an empty INFO is a keep-alive
      send_response(st, request, 200);
      return;
    }
    refuse(st, request, dtmf.failure());
    return;
  }
  send_response(st, request, 200);
  log_call(call, std::string("INFO digit ") + dtmf->digit);
  handler.on_dtmf(call.id, dtmf->digit, dtmf->duration_ms);
}

void UserAgent::Impl::on_refer(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st) {
  auto* refer_to = belle_sip_message_get_header_by_type(BELLE_SIP_MESSAGE(request), belle_sip_header_refer_to_t);
  if (refer_to == nullptr || call.phase != CallPhase::established) {
    send_response(st, request, 400, "Bad Request (no Refer-To)");
    return;
  }
  const std::string target = to_string(BELLE_SIP_OBJECT(belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(refer_to))));
  const CallId id = call.id;
  log_call(call, "REFER to " + target);
  if (!handler.on_transfer_requested(id, target)) {
    send_response(st, request, 603, "Declined");
    return;
  }
  Call* still = find(id);
  send_response(st, request, 202, "Accepted");
  if (still == nullptr) return;
  still->refer_subscription = true;
  send_notify(*still, 100, false);
}

void UserAgent::Impl::send_notify(Call& call, int status, bool final) {
  if (!call.dialog) return;
  belle_sip_request_t* notify = belle_sip_dialog_create_queued_request(call.dialog.get(), "NOTIFY");
  if (notify == nullptr) return;
  auto* message = BELLE_SIP_MESSAGE(notify);
  belle_sip_message_add_header(message, belle_sip_header_create("Event", "refer"));
  belle_sip_message_add_header(message, belle_sip_header_create("Subscription-State",
                                                                final ? "terminated;reason=noresource" : "active;expires=60"));
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(make_contact(&call)));
  const char* phrase = status == 100 ? "Trying" : status < 300 ? "OK" : "Failed";
  set_body(message, "message/sipfrag", "SIP/2.0 " + std::to_string(status) + " " + phrase + "\r\n");
  send_request(notify, call.id, TxKind::notify);
  if (final) call.refer_subscription = false;
}

void UserAgent::Impl::on_notify(Call& call, belle_sip_request_t* request, belle_sip_server_transaction_t* st) {
  auto* message = BELLE_SIP_MESSAGE(request);
  const std::string event = header_value(message, "Event");
  if (!event.starts_with("refer")) {
    send_response(st, request, 489, "Bad Event");
    return;
  }
  send_response(st, request, 200);
  const int status = sipfrag_status(body(message));
  if (status != 0) handler.on_transfer_progress(call.id, status);
}

// ---- hanging up ---------------------------------------------------------------------------------

void UserAgent::Impl::send_bye(Call& call, const Hangup& how) {
  if (call.phase == CallPhase::ending) return;
  if (call.phase == CallPhase::answering) {  // RFC 3261 15: no BYE before the ACK
    call.hangup_after_ack = how;
    return;
  }
  const CallId id = call.id;
  belle_sip_request_t* bye = call.dialog ? belle_sip_dialog_create_request(call.dialog.get(), "BYE") : nullptr;
  call.phase = CallPhase::ending;
  call.bye_reason = how.text;
  if (bye != nullptr) {
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(bye), belle_sip_header_create("Reason", reason_header(how).c_str()));
    send_request(bye, id, TxKind::bye);
    log_call(call, "BYE (" + how.text + ")");
  }
  cancel_timer(call.session_timer);
  cancel_timer(call.teardown_timer);
  call.teardown_timer = schedule(bye != nullptr ? config.teardown_timeout_ms : 0, [this, id] {
    if (Call* c = find(id)) {
      c->teardown_timer = 0;
      end_call(id, CallEnd{c->bye_cause, 0, c->bye_reason});
    }
  });
}

// ---- public: any call ----------------------------------------------------------------------------

Result<void> UserAgent::hangup(CallId id, const Hangup& how) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  switch (call->phase) {
    case CallPhase::offered: {
      if (!call->invite_st) return errc::invalid_state;
      const int status = how.sip_status >= 400 && how.sip_status <= 699 ? how.sip_status : 480;
      belle_sip_request_t* request = belle_sip_transaction_get_request(BELLE_SIP_TRANSACTION(call->invite_st.get()));
      belle_sip_response_t* response = belle_sip_response_create_from_request(request, status);
      impl_->add_common_headers(BELLE_SIP_MESSAGE(response));
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(response), belle_sip_header_create("Reason", reason_header(how).c_str()));
      belle_sip_server_transaction_send_response(call->invite_st.get(), response);
      impl_->end_call(id, CallEnd{EndCause::local_hangup, status, how.text});
      return {};
    }
    case CallPhase::dialling:
      impl_->cancel_dial(*call, EndCause::local_hangup);
      return {};
    case CallPhase::answering:
    case CallPhase::established:
      call->bye_cause = EndCause::local_hangup;
      impl_->send_bye(*call, how);
      return {};
    case CallPhase::ending:
      return {};
  }
  return {};
}

Result<void> UserAgent::send_info_dtmf(CallId id, char digit, int duration_ms) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (call->phase != CallPhase::established || !call->dialog) return errc::invalid_state;
  DtmfInfo info;
  info.digit = static_cast<char>(std::toupper(static_cast<unsigned char>(digit)));
  info.duration_ms = std::clamp(duration_ms, 1, 10'000);
  if (!parse_dtmf_info("application/dtmf", std::string(1, info.digit))) return errc::invalid_argument;
  if (call->info_queue.size() >= 64) return errc::capacity_exceeded;
  call->info_queue.push_back(format_dtmf_relay(info));
  if (!call->info_in_flight) impl_->send_next_info(*call);
  return {};
}

void UserAgent::Impl::send_next_info(Call& call) {
  while (!call.info_queue.empty() && call.dialog) {
    belle_sip_request_t* request = belle_sip_dialog_create_queued_request(call.dialog.get(), "INFO");
    if (request != nullptr) {
      set_body(BELLE_SIP_MESSAGE(request), "application/dtmf-relay", call.info_queue.front());
      if (send_request(request, call.id, TxKind::info)) {
        call.info_in_flight = true;
        return;
      }
    }
    call.info_queue.pop_front();  // cannot be sent: drop it, try the next
  }
  call.info_in_flight = false;
}

void UserAgent::Impl::on_info_response(Call& call, int status) {
  call.info_in_flight = false;
  if (status == 491 && ++call.resends <= kMaxResends) {
    // belle-sip answers 491 to an INFO that meets one of its own pending
    // transactions (RFC 6086 has no such rule): send the same digit again soon.
    static thread_local std::minstd_rand random{std::random_device{}()};
    const CallId id = call.id;
    call.info_in_flight = true;
    schedule(50 + static_cast<std::int64_t>(random() % 250), [this, id] {
      if (Call* c = find(id)) send_next_info(*c);
    });
    return;
  }
  if (!call.info_queue.empty()) call.info_queue.pop_front();
  send_next_info(call);
}

Result<void> UserAgent::update_media(CallId id, const LocalMedia& media, MediaDirection direction) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (media.port == 0) return errc::invalid_argument;
  if (call->phase != CallPhase::established || call->reoffer_pending) return errc::invalid_state;
  const LocalMedia previous = call->local;
  call->local = media;
  auto sent = impl_->send_reoffer(*call, direction, false);
  if (!sent) call->local = previous;
  return sent;
}

Result<void> UserAgent::transfer(CallId id, const std::string& target) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (call->phase != CallPhase::established || !call->dialog) return errc::invalid_state;
  if (target.find_first_of("\r\n<>\"") != std::string::npos || target.size() > 512) return errc::invalid_argument;
  belle_sip_uri_t* uri = belle_sip_uri_parse(target.c_str());
  if (uri == nullptr) return errc::invalid_argument;
  belle_sip_request_t* refer = belle_sip_dialog_create_request(call->dialog.get(), "REFER");
  if (refer == nullptr) {
    belle_sip_object_unref(belle_sip_object_ref(uri));
    return errc::invalid_state;
  }
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(refer),
                               BELLE_SIP_HEADER(belle_sip_header_refer_to_create(belle_sip_header_address_create(nullptr, uri))));
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(refer), BELLE_SIP_HEADER(impl_->make_contact(call)));
  if (!impl_->send_request(refer, id, TxKind::refer)) return errc::io_error;
  impl_->log_call(*call, "REFER sent to " + target);
  return {};
}

Result<void> UserAgent::transfer_status(CallId id, int sip_status) {
  Call* call = impl_->find(id);
  if (call == nullptr) return errc::not_found;
  if (!call->refer_subscription) return errc::invalid_state;
  if (sip_status < 100 || sip_status > 699) return errc::invalid_argument;
  impl_->send_notify(*call, sip_status, sip_status >= 200);
  return {};
}

}  // namespace libconf::sip
