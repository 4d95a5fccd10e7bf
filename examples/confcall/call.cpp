#include "call.hpp"

#include <cstdio>

namespace confcall {

using namespace libconf;
using sip::CallId;

CallController::CallController(const Options& options, std::vector<std::int16_t> voice, int voice_rate)
    : options_(options), voice_(std::move(voice)), voice_rate_(voice_rate) {
  sip::UserAgentConfig c;
  c.listen = {sip::ListenPoint{options_.transport, options_.bind, static_cast<std::uint16_t>(options_.port)}};
  if (options_.transport == sip::Transport::tls) {
    sip::TlsConfig tls;
    tls.certificate_file = options_.tls_cert;
    tls.key_file = options_.tls_key;
    tls.ca_file = options_.tls_ca;
    tls.verify_server = !options_.tls_insecure;
    c.tls = tls;
  }
  c.domain = options_.bind.find(':') != std::string::npos ? "[" + options_.bind + "]" : options_.bind;
  c.user_agent = "confcall (libconf)";
  c.contact_user = options_.from_user;
  c.trusted_networks = options_.trusted;
  c.media.codecs = options_.codecs;
  c.media.telephone_event_rates_hz = options_.te_rates;
  c.media.ptime_ms = options_.ptime_ms;
  if (options_.srtp) {
    c.media.srtp = sip::SrtpPolicy::required;
    c.media.srtp_profiles = {*options_.srtp};
  } else {
    // Dialling without --srtp offers plain RTP; listening accepts SRTP when offered.
    c.media.srtp = options_.listen ? sip::SrtpPolicy::optional : sip::SrtpPolicy::off;
  }
  c.media.honour_offer_order = options_.listen ? false : true;
  c.teardown_timeout_ms = 2000;
  if (options_.verbose) {
    c.log = [](std::string_view line) { std::fprintf(stderr, "confcall: %.*s\n", static_cast<int>(line.size()), line.data()); };
    c.stack_log_level = 2;
  }
  ua_ = std::make_unique<sip::UserAgent>(c, *this);
}

CallController::~CallController() {
  if (media_) (void)media_->stop();
}

void CallController::say(const std::string& line) const {
  if (!options_.quiet) std::fprintf(stderr, "confcall: %s\n", line.c_str());
}

sip::LocalMedia CallController::advertised(std::uint16_t port) const {
  sip::LocalMedia m{options_.advertise_ip.empty() ? options_.rtp_ip : options_.advertise_ip, port, 0};
  if (options_.advertise_port != 0) m.port = static_cast<std::uint16_t>(options_.advertise_port);
  return m;
}

std::uint16_t CallController::reserve_rtp_port() {
  if (rtp_port_ != 0) return rtp_port_;
  if (options_.rtp_port != 0) {
    rtp_port_ = static_cast<std::uint16_t>(options_.rtp_port);
    return rtp_port_;
  }
  // Hold the port (and the next one, for RTCP without rtcp-mux) until the media starts.
  auto ports = transport::RtpPortReservation::reserve(options_.rtp_ip, transport::PortRange{}, true);
  if (!ports && ports.error() == errc::invalid_argument)
    throw Error(errc::invalid_argument, "--rtp-ip '" + options_.rtp_ip + "' is not a numeric IP address");
  if (!ports) throw Error(errc::capacity_exceeded, "no free RTP port on " + options_.rtp_ip);
  rtp_port_ = ports->port();
  reserved_ = std::move(*ports);
  return rtp_port_;
}

CallResult CallController::run() {
  start_ms_ = ua_->now_ms();
  try {
    if (options_.do_register) {
      sip::RegistrationConfig reg;
      reg.registrar = options_.registrar;
      if (reg.registrar.empty()) {
        // sip:user@host:port;params -> sip:host:port;params
        const auto colon = options_.target.find(':');
        const auto at = options_.target.find('@');
        reg.registrar = options_.target.substr(0, colon + 1) + options_.target.substr(at == std::string::npos ? colon + 1 : at + 1);
      }
      reg.user = options_.user;
      reg.password = options_.password;
      reg.expires_s = options_.register_expires_s;
      auto id = ua_->register_to(reg);
      if (!id) throw Error(id.failure().code, id.failure().message);
      registration_ = *id;
      say("registering " + options_.user + " at " + reg.registrar);
    } else if (!options_.listen) {
      dial();
    } else {
      say("listening on " + std::string(sip::to_string(options_.transport)) + " " + options_.bind + ":" +
          std::to_string(ua_->port(options_.transport)));
    }
    ua_->schedule(static_cast<std::int64_t>((options_.max_duration_s + options_.dial_timeout_s + 60) * 1000), [this] {
      say("giving up: maximum duration reached");
      if (call_ != sip::kNoCall) (void)ua_->hangup(call_);
      finish(result_.answered ? 0 : 1);
    });
    if (!finished_) ua_->run();
  } catch (const Error& e) {
    result_.exit_code = 3;
    result_.error = e.what();
  }
  if (media_) result_.report = media_->stop();
  media_.reset();
  if (call_ != sip::kNoCall && ua_->info(call_)) result_.session_refreshes = ua_->info(call_)->session_refreshes;
  ua_.reset();  // ends anything left (BYE), unregisters
  return result_;
}

void CallController::dial() {
  sip::DialRequest r;
  r.target = options_.target;
  r.from_user = options_.from_user;
  r.display_name = options_.display_name;
  r.media = advertised(reserve_rtp_port());
  r.late_offer = options_.late_offer;
  r.timeout_ms = static_cast<std::int64_t>(options_.dial_timeout_s * 1000);
  r.auth_user = options_.user;
  r.password = options_.password;
  auto id = ua_->dial(r);
  if (!id) {
    result_.error = id.failure().message;
    finish(id.failure().code == errc::invalid_argument ? 2 : 3);
    return;
  }
  call_ = *id;
  result_.sip_call_id = ua_->info(call_)->sip_call_id;
  result_.remote = options_.target;
  say("dialling " + options_.target + " [" + result_.sip_call_id + "]");
}

void CallController::on_registration(const sip::RegistrationStatus& s) {
  result_.registration_status = s.sip_status;
  if (unregistering_) return;
  if (s.state == sip::RegistrationState::registered && call_ == sip::kNoCall) {
    say("registered (" + std::to_string(s.expires_s) + " s)");
    if (options_.listen) return;
    dial();
  } else if (s.state == sip::RegistrationState::failed && call_ == sip::kNoCall) {
    result_.error = "registration refused: " + std::to_string(s.sip_status) + " " + s.reason;
    finish(3);
  }
}

void CallController::start_media(const sip::MediaSession& session) {
  if (media_) {
    media_->update(session);
    return;
  }
  MediaConfig m;
  m.session = session;
  m.local_address = options_.rtp_ip;
  m.local_port = reserve_rtp_port();
  m.voice = voice_;
  m.voice_rate_hz = voice_rate_;
  m.loop_voice = options_.loop_play;
  m.digits = plan_digits(options_.digits, options_.pause_ms, options_.digit_ms, options_.gap_ms);
  m.digits_at_ms = static_cast<std::int64_t>(options_.digits_at_s * 1000);
  m.dtmf = options_.dtmf;
  m.record = !options_.record.empty();
  m.max_record_s = options_.max_duration_s + 10;
  if (options_.dtmf == DtmfMode::info) {
    sip::UserAgent* ua = ua_.get();
    const CallId call = call_;
    m.send_info = [ua, call](char digit, int ms) {
      ua->post([ua, call, digit, ms] { (void)ua->send_info_dtmf(call, digit, ms); });
    };
  }
  reserved_.reset();  // hand the port to the RTP transport
  media_ = std::make_unique<MediaRunner>(std::move(m));
  result_.media = session;
  say("media: " + session.codec + " pt " + std::to_string(session.payload_type) + " to " + session.remote_address + ":" +
      std::to_string(session.remote_port) + (session.srtp() ? " (SRTP)" : ""));
}

void CallController::on_answered() {
  result_.answered = true;
  answered_ms_ = ua_->now_ms();
  result_.answer_after_s = (answered_ms_ - start_ms_) / 1000.0;
  if (options_.duration_s > 0) {
    ua_->schedule(static_cast<std::int64_t>(options_.duration_s * 1000), [this] {
      say("duration reached: hanging up");
      (void)ua_->hangup(call_);
    });
  }
  ua_->schedule(static_cast<std::int64_t>(options_.max_duration_s * 1000), [this] { (void)ua_->hangup(call_); });
  auto reoffer = [this](double at_s, sip::MediaDirection direction) {
    if (at_s < 0) return;
    ua_->schedule(static_cast<std::int64_t>(at_s * 1000), [this, direction] {
      say(std::string("re-INVITE ") + std::string(sip::to_string(direction)));
      (void)ua_->update_media(call_, advertised(rtp_port_), direction);
    });
  };
  reoffer(options_.hold_at_s, sip::MediaDirection::sendonly);
  reoffer(options_.unhold_at_s, sip::MediaDirection::sendrecv);
}

void CallController::on_dial_progress(CallId call, const sip::DialProgress& p) {
  if (call != call_) return;
  if (p.sip_status > 0 && p.sip_status < 200) result_.provisional.push_back(p.sip_status);
  switch (p.state) {
    case sip::DialState::trying:
    case sip::DialState::ringing: say(std::to_string(p.sip_status) + " " + p.reason); break;
    case sip::DialState::early_media:
      say(std::to_string(p.sip_status) + " " + p.reason + " (early media)");
      if (p.media) start_media(*p.media);
      break;
    case sip::DialState::answered:
      result_.final_status = p.sip_status;
      result_.final_reason = p.reason;
      say("answered " + std::to_string(p.sip_status));
      try {
        if (p.media) start_media(*p.media);
      } catch (const Error& e) {
        result_.error = e.what();
        (void)ua_->hangup(call_);
        return;
      }
      on_answered();
      break;
    case sip::DialState::failed:
      result_.final_status = p.sip_status;
      result_.final_reason = p.reason;
      say("failed: " + std::to_string(p.sip_status) + " " + p.reason);
      break;
  }
}

void CallController::on_incoming_call(const sip::IncomingCall& call) {
  if (call_ != sip::kNoCall || finished_) {
    (void)ua_->reject(call.call, 486, "Busy Here");
    return;
  }
  call_ = call.call;
  result_.sip_call_id = call.sip_call_id;
  result_.remote = call.from_uri;
  say("incoming call from " + call.from_uri + " [" + call.sip_call_id + "]");
  if (options_.reject_status != 0) {
    result_.final_status = options_.reject_status;
    (void)ua_->reject(call.call, options_.reject_status, {});
    return;
  }
  if (options_.answer_after_s > 0) {
    (void)ua_->ringing(call.call);
    result_.provisional.push_back(180);
    const CallId id = call.call;
    ua_->schedule(static_cast<std::int64_t>(options_.answer_after_s * 1000), [this, id] { answer_now(id); });
  } else {
    answer_now(call.call);
  }
}

void CallController::answer_now(CallId call) {
  if (call != call_ || finished_) return;
  try {
    const sip::MediaSession* offered = nullptr;
    auto info = ua_->info(call);
    if (!info) return;
    if (info->media) offered = &*info->media;
    const sip::LocalMedia local = advertised(reserve_rtp_port());
    if (offered != nullptr) start_media(*offered);
    auto answered = ua_->answer(call, local);
    if (!answered) throw Error(errc::invalid_state, "could not answer: " + answered.error().message());
    result_.final_status = 200;
    say("answered");
  } catch (const Error& e) {
    result_.error = e.what();
    (void)ua_->hangup(call, sip::Hangup{41, "confcall failed", 500});
  }
}

void CallController::on_call_confirmed(CallId call, const sip::MediaSession& media) {
  if (call != call_) return;
  try {
    start_media(media);  // a late offer's first session, or the same one again
  } catch (const Error& e) {
    result_.error = e.what();
    (void)ua_->hangup(call_);
    return;
  }
  on_answered();
}

void CallController::on_media_changed(CallId call, const sip::MediaSession& media, const sip::MediaChange& change) {
  if (call != call_) return;
  if (change.direction) ++result_.hold_changes;
  result_.media = media;
  say("media changed: " + media.codec + " " + std::string(sip::to_string(media.direction)) + " to " + media.remote_address + ":" +
      std::to_string(media.remote_port));
  if (media_) media_->update(media);
}

void CallController::on_dtmf(CallId call, char digit, int) {
  if (call == call_ && result_.digits_received_info.size() < 256) result_.digits_received_info += digit;
}

void CallController::on_call_ended(CallId call, const sip::CallEnd& end) {
  if (call != call_) return;
  result_.ended_by = std::string(sip::to_string(end.cause));
  result_.end_status = end.sip_status;
  result_.end_reason = end.reason;
  if (answered_ms_ >= 0) result_.call_s = (ua_->now_ms() - answered_ms_) / 1000.0;
  if (!result_.answered && result_.final_status == 0) result_.final_status = end.sip_status;
  say("call ended: " + result_.ended_by + (end.sip_status ? " " + std::to_string(end.sip_status) : "") +
      (end.reason.empty() ? "" : " (" + end.reason + ")"));
  const bool ok = result_.answered && result_.error.empty();
  finish(ok ? 0 : (result_.error.empty() ? 1 : 3));
}

void CallController::finish(int exit_code) {
  if (finished_) return;
  finished_ = true;
  result_.exit_code = exit_code;
  if (media_) result_.report = media_->stop();
  media_.reset();
  if (registration_ != 0) {
    unregistering_ = true;
    (void)ua_->unregister(registration_);
    // Give the un-REGISTER a moment to be answered, then leave.
    ua_->schedule(1500, [this] { ua_->stop(); });
    return;
  }
  ua_->stop();
}

}  // namespace confcall
