// The life of a call: arrival (routing by DID and tenant), the engine's
// events, timers, the end; the Conference's events forwarded; queries.
#include "libconf/service/conference_service.hpp"

#include <algorithm>
#include <utility>

#include "libconf/room/pin.hpp"
#include "libconf/service/call.hpp"
#include "libconf/service/pin_verifier.hpp"
#include "libconf/service/store_outbox.hpp"

namespace libconf::service {

namespace {

constexpr std::size_t kKeepEndedCalls = 256;  // ended calls kept for call()/calls() queries
constexpr std::size_t kShownBytes = 32;       // of a refused caller's texts, in events

// An excerpt of hostile text for an event: printable ASCII only, bounded.
std::string shown(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, kShownBytes)) {
    const auto u = static_cast<unsigned char>(ch);
    out += u >= 0x20 && u < 0x7f ? ch : '?';
  }
  return out;
}

HangupCause hangup_cause(room::ExitReason reason) noexcept {
  switch (reason) {
    case room::ExitReason::kicked: return HangupCause::kicked;
    case room::ExitReason::room_ended: return HangupCause::room_ended;
    case room::ExitReason::error: return HangupCause::error;
    case room::ExitReason::hangup:
    case room::ExitReason::transferred: return HangupCause::normal;
  }
  return HangupCause::normal;
}

}  // namespace

ConferenceService::ConferenceService(engine::Engine& engine, room::Conference& conference, ServiceConfig config,
                                     PromptLibrary prompts, HostInterfaces host)
    : engine_(engine), conference_(conference), config_(std::move(config)), prompts_(std::move(prompts)), host_(host) {
  if (config_.pin_check_threads < 0 || config_.pin_check_threads > 16)
    throw Error(errc::invalid_argument,
                "ServiceConfig.pin_check_threads: " + std::to_string(config_.pin_check_threads) + " is outside 0..16");
  if (config_.max_pending_pin_checks < 1 || config_.max_pending_pin_checks > 100'000)
    throw Error(errc::invalid_argument, "ServiceConfig.max_pending_pin_checks: " +
                                            std::to_string(config_.max_pending_pin_checks) + " is outside 1..100000");
  if (config_.host_id.empty() || !room::is_valid_text(config_.host_id))
    throw Error(errc::invalid_argument, "ServiceConfig.host_id: must be 1..256 bytes of printable UTF-8");
  if (!config_.utc_now_ms)
    config_.utc_now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  if (!config_.default_tenant.empty() && !room::is_valid_name(config_.default_tenant))
    throw Error(errc::invalid_argument,
                "ServiceConfig.default_tenant: '" + shown(config_.default_tenant) + "' is not a valid name");
  if (config_.room_rate_hz != 8000 && config_.room_rate_hz != 16000 && config_.room_rate_hz != 24000 &&
      config_.room_rate_hz != 32000 && config_.room_rate_hz != 48000)
    throw Error(errc::unsupported_sample_rate,
                "ServiceConfig.room_rate_hz: " + std::to_string(config_.room_rate_hz));
  if (config_.group_timeout_ms <= 0 || config_.invite_timeout_ms <= 0)
    throw Error(errc::invalid_argument, "ServiceConfig: dial timeouts must be positive");
  if (config_.name_max_ms < 500 || config_.name_max_ms > 30'000)
    throw Error(errc::invalid_argument,
                "ServiceConfig.name_max_ms: " + std::to_string(config_.name_max_ms) + " is outside 500..30000");
  if (config_.max_recording_ms <= 0)
    throw Error(errc::invalid_argument, "ServiceConfig.max_recording_ms: must be positive");
  if (!config_.keys) config_.keys = ivr::KeyMap::builtin_default();
  for (const auto& [name, m] : config_.menus)
    if (!m) throw Error(errc::invalid_argument, "ServiceConfig.menus." + name + ": null menu");
  if (config_.max_store_queue < 1 || config_.max_store_queue > 10'000'000)
    throw Error(errc::invalid_argument,
                "ServiceConfig.max_store_queue: " + std::to_string(config_.max_store_queue) + " is outside 1..10000000");
  if (config_.store_flush_ms < 0 || config_.store_flush_ms > 600'000)
    throw Error(errc::invalid_argument,
                "ServiceConfig.store_flush_ms: " + std::to_string(config_.store_flush_ms) + " is outside 0..600000");
  verifier_ = std::make_unique<detail::PinVerifier>(config_.pin_check_threads, config_.max_pending_pin_checks);
  if (host_.store) outbox_ = std::make_unique<detail::StoreOutbox>(*host_.store, config_.max_store_queue);
}

ConferenceService::~ConferenceService() {
  verifier_.reset();  // joins the PIN threads before anything they report to goes
  for (auto& [id, check] : deferred_checks_) room::wipe_secret(check.pin);
  // Queued CDR rows and changes get store_flush_ms to reach the store.
  if (outbox_) (void)outbox_->wait_idle(std::chrono::milliseconds(config_.store_flush_ms));
  outbox_.reset();
}

bool ConferenceService::wait_for_background(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  if (!verifier_->wait_idle(timeout)) return false;
  if (!outbox_) return true;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return outbox_->wait_idle(std::max(left, std::chrono::milliseconds(0)));
}

bool ConferenceService::flush_store(std::chrono::milliseconds timeout) {
  if (!outbox_) return true;
  const bool idle = outbox_->wait_idle(timeout);
  take_store_reports();
  forward_conference_events();
  sync();
  return idle;
}

void ConferenceService::store_write(std::string what, std::function<Result<void>(store::Store&)> run) {
  if (!outbox_) return;
  if (!outbox_->push(detail::StoreOutbox::Request{what, true, std::move(run), {}}))
    emit(kNoCall, "", event::StoreFailed{std::move(what), errc::capacity_exceeded, 0, 0, true});
}

void ConferenceService::store_read(std::string what, std::function<Result<void>(store::Store&)> run,
                                   std::function<void(const Result<void>&)> done) {
  if (!outbox_ || !outbox_->push(detail::StoreOutbox::Request{what, false, std::move(run), done})) {
    if (outbox_) emit(kNoCall, "", event::StoreFailed{std::move(what), errc::capacity_exceeded, 0, 0, true});
    done(Result<void>{errc::capacity_exceeded});  // the caller goes on without the data
  }
}

room::CallOrigin ConferenceService::origin(const Call& c) const {
  return room::CallOrigin{config_.host_id, c.external_id, config_.utc_now_ms()};
}

void ConferenceService::persist_room(const std::string& tenant, const std::string& room) {
  if (!outbox_) return;
  auto view = conference_.room(tenant, room);
  auto config = conference_.room_config(tenant, room);
  // Side rooms and overflow rooms live only while used: nothing to keep.
  if (!view || !config || !view->parent.empty() || !view->overflow_of.empty()) return;
  store::RoomRecord rec{tenant, *config, view->locked};
  store_write("room " + tenant + "/" + room, [rec = std::move(rec)](store::Store& st) -> Result<void> {
    auto r = st.update_room(rec);
    // A room the store does not hold (a "*100" group's room) keeps its changes in memory only.
    return r || r.error() == make_error_code(errc::not_found) ? Result<void>{} : r;
  });
}

void ConferenceService::take_store_reports() {
  if (!outbox_) return;
  for (auto& r : outbox_->take_reports()) {
    if (r.error != errc::ok) {
      emit(kNoCall, "", event::StoreFailed{r.what, r.error, r.attempt, r.retry_in_ms, r.dropped});
    } else if (r.attempt > 1) {
      emit(kNoCall, "", event::StoreRecovered{r.what, r.attempt});
    }
    if (r.done) r.done(r.error == errc::ok ? Result<void>{} : Result<void>{r.error});
  }
}

ConferenceService::Call* ConferenceService::find(CallId id) {
  auto it = calls_.find(id);
  return it == calls_.end() || it->second->state == CallState::ended ? nullptr : it->second.get();
}
const ConferenceService::Call* ConferenceService::find(CallId id) const {
  auto it = calls_.find(id);
  return it == calls_.end() || it->second->state == CallState::ended ? nullptr : it->second.get();
}

ConferenceService::Call* ConferenceService::find_participant(room::ParticipantId pid) {
  auto it = by_participant_.find(pid);
  return it == by_participant_.end() ? nullptr : find(it->second);
}

std::shared_ptr<const ivr::Menu> ConferenceService::menu(const std::string& name) const {
  if (auto it = config_.menus.find(name); it != config_.menus.end()) return it->second;
  return ivr::Menu::builtin_default();
}

void ConferenceService::emit(CallId call, const std::string& tenant, EventData data) {
  events_.push_back(ServiceEvent{now_ms_, call, tenant, std::move(data)});
}

void ConferenceService::emit(const Call& c, EventData data) { emit(c.id, c.tenant, std::move(data)); }

void ConferenceService::denied(const room::Actor& actor, room::Action action) {
  auto it = by_participant_.find(actor.id);
  emit(actor.id != room::kConsole && it != by_participant_.end() ? it->second : kNoCall, actor.tenant,
       room::Event{room::event::ActionDenied{now_ms_, actor.tenant, action, actor.role, actor.id}});
}

Result<std::reference_wrapper<ConferenceService::Call>> ConferenceService::new_call(const std::string& tenant,
                                                                                   const std::string& caller_id,
                                                                                   const std::string& did,
                                                                                   engine::LegConfig& leg) {
  auto c = std::make_unique<Call>();
  c->id = next_call_;
  c->tenant = tenant;
  c->caller_id = caller_id;
  c->did = did;
  engine::RoomConfig rc;
  rc.name = "lobby-" + std::to_string(c->id);
  rc.sample_rate_hz = config_.room_rate_hz;
  rc.max_legs = 2;
  auto lobby = engine_.create_room(rc);
  if (!lobby) return lobby.error();
  c->lobby = *lobby;
  c->mix = leg.mix;
  if (leg.name.empty()) leg.name = caller_id;
  auto added = engine_.add_leg(c->lobby, std::move(leg));
  if (!added) {
    (void)engine_.close_room(c->lobby);  // nothing in it; the engine retires it
    return added.error();
  }
  ++next_call_;
  c->leg = *added;
  c->where = c->lobby;
  by_leg_[c->leg] = c->id;
  Call& ref = *c;
  calls_.emplace(c->id, std::move(c));
  return std::ref(ref);
}

Result<CallId> ConferenceService::incoming_call(const CallInfo& info, engine::LegConfig leg) {
  if (!room::is_valid_text(info.caller_id) || !room::is_valid_text(info.display_name) ||
      !room::is_valid_text(info.external_id) || !room::is_valid_text(info.tenant) ||
      info.did.size() > room::kMaxTextLength) {
    emit(kNoCall, "", event::CallRefused{shown(info.did), shown(info.caller_id), errc::invalid_argument});
    return errc::invalid_argument;
  }
  const bool group = !config_.group_code.empty() && info.did == config_.group_code;
  const ivr::DidRoute* route = nullptr;
  std::string route_room;
  std::string tenant = info.tenant.empty() ? config_.default_tenant : info.tenant;
  if (!group) {
    auto match = config_.router.route(info.did);
    if (!match) {
      emit(kNoCall, "", event::CallRefused{shown(info.did), shown(info.caller_id), errc::not_found});
      return errc::not_found;
    }
    route = match->route;
    route_room = std::string(match->room);
    if (!route->tenant.empty()) tenant = route->tenant;  // the number belongs to its tenant
  }
  if (tenant.empty() || !conference_.has_tenant(tenant)) {
    emit(kNoCall, tenant, event::CallRefused{shown(info.did), shown(info.caller_id), errc::not_found});
    return errc::not_found;
  }
  auto made = new_call(tenant, info.caller_id, info.did, leg);
  if (!made) return made.error();
  Call& c = made->get();
  c.name = info.display_name;
  c.external_id = info.external_id;
  if (route) c.billing = route->billing;
  (void)cdr_.arrive(c.id, c.tenant, c.caller_id, c.did, c.billing, now_ms_, origin(c));  // a fresh id: cannot exist
  emit(c, event::CallArrived{c.did, c.caller_id, c.external_id});
  if (config_.answer_mode == AnswerMode::answer_first) {
    answer(c);
  } else {
    c.early_media = true;
    if (host_.control) host_.control->early_media(CallRef{c.id, c.external_id});
    emit(c, event::Answered{true});
  }

  if (group) {
    group_call(c);
  } else {
    switch (route->target) {
      case ivr::DidTarget::menu:
        start_ivr(c, menu(route->menu.empty() ? "default" : route->menu), {});
        break;
      case ivr::DidTarget::room:
        if (!route->menu.empty()) {
          start_ivr(c, menu(route->menu), route_room);
        } else {
          admitted(c, route_room,
                   conference_.admit(room::AdmitRequest{c.tenant, route_room, c.caller_id, "", c.name}, now_ms_),
                   AdmitVia::direct);
        }
        break;
      case ivr::DidTarget::operator_queue:
        enqueue(c, 0, QueueReason::operator_number, "");
        break;
    }
  }
  const CallId id = c.id;
  forward_conference_events();
  sync();
  return id;
}

Result<CallId> ConferenceService::operator_call(const std::string& name, engine::LegConfig leg,
                                                const std::string& tenant) {
  const std::string t = tenant.empty() ? config_.default_tenant : tenant;
  if (name.empty() || !room::is_valid_text(name)) return errc::invalid_argument;
  if (t.empty() || !conference_.has_tenant(t)) return errc::not_found;
  auto made = new_call(t, name, "", leg);
  if (!made) return made.error();
  Call& c = made->get();
  c.is_operator = true;
  c.answered = true;  // the host answered and authenticated the operator's phone
  c.role = room::Role::superuser;
  c.state = CallState::held;
  operators_.insert(c.id);
  emit(c, event::OperatorConnected{name});
  return c.id;
}

Result<void> ConferenceService::hangup(CallId id) {
  Call* c = find(id);
  if (!c) return errc::not_found;
  end_call(*c, room::ExitReason::hangup, "caller hung up", std::nullopt);
  forward_conference_events();
  sync();
  return {};
}

void ConferenceService::answer(Call& c) {
  if (c.answered) return;
  c.answered = true;
  if (host_.control) host_.control->answer(CallRef{c.id, c.external_id});
  emit(c, event::Answered{false});
}

void ConferenceService::mark(Call& c) { dirty_.insert(c.id); }

void ConferenceService::end_call(Call& c, room::ExitReason reason, const std::string& detail,
                                 std::optional<HangupCause> tell_host) {
  if (c.state == CallState::ended) return;
  stop_prompt(c);
  if (c.moh) (void)engine_.stop_playback(c.moh);  // the leg goes too: a refusal changes nothing
  c.moh = 0;
  if (auto it = std::find(queue_.begin(), queue_.end(), c.id); it != queue_.end()) {
    queue_.erase(it);
    if (c.ticket) (void)conference_.abandon_queue(c.ticket, now_ms_);  // not_found: already taken
  }
  const std::string old_room = c.room;
  const bool was_listening = !c.listening.empty();
  c.state = CallState::ended;
  if (c.participant) {
    by_participant_.erase(c.participant);
    if (conference_.participant(c.participant)) (void)conference_.leave(c.participant, reason, now_ms_);
  }
  relocate(c, c.lobby, false);
  (void)engine_.remove_leg(c.leg);     // not_found only when the engine already dropped it
  (void)engine_.close_room(c.lobby);
  by_leg_.erase(c.leg);
  operators_.erase(c.id);
  dirty_.erase(c.id);
  if (c.timer) timers_.erase({*c.timer, c.id});
  c.timer.reset();
  c.name_recorder.reset();  // its lobby is closed: the engine lets go of the recorder
  std::erase_if(operator_requests_, [&](const OperatorRequest& r) { return r.call == c.id; });
  if (!old_room.empty() && !was_listening && !conference_.roster(c.tenant, old_room).empty())
    announce(c, old_room, false);
  if (c.moderator_logged_in) {
    if (auto s = cdr_.moderator_logout(c.tenant, c.caller_id, now_ms_)) {
      sessions_.push_back(*s);
      store_write("moderator_session " + std::to_string(c.id), [s = *s](store::Store& st) { return st.append_session(s); });
    }
  }
  if (auto rec = cdr_.depart(c.id, reason, detail, now_ms_)) {
    finished_.push_back(*rec);
    store_write("cdr " + std::to_string(c.id), [r = *rec](store::Store& st) { return st.append_cdr(r); });
  }
  if (tell_host && host_.control) host_.control->hang_up(CallRef{c.id, c.external_id}, HangupReason{*tell_host, detail});
  emit(c, event::CallEnded{old_room, reason, detail});
  // Ended calls stay queryable for a while (call() reports `ended`), but a
  // service that runs for months must not keep them all: drop the oldest.
  ended_.push_back(c.id);
  while (ended_.size() > kKeepEndedCalls) {
    calls_.erase(ended_.front());
    ended_.pop_front();
  }
}

void ConferenceService::on_engine_events(std::span<const engine::Event> events) {
  for (const engine::Event& e : events) {
    if (e.kind == engine::EventKind::playback_done) {
      auto it = playbacks_.find(e.other_leg);
      if (it == playbacks_.end()) continue;
      const CallId id = it->second;
      playbacks_.erase(it);
      Call* c = find(id);
      if (!c) continue;
      if (c->moh == e.other_leg) c->moh = 0;
      if (c->prompt == e.other_leg) {
        c->prompt = 0;
        if (e.value == 0 && c->state == CallState::ivr && c->ivr) apply(*c, c->ivr->on_prompt_done(now_ms_));
      }
    } else if (e.kind == engine::EventKind::recording_stopped || e.kind == engine::EventKind::room_closed) {
      on_engine_room_gone(e.room);
    } else if (e.kind == engine::EventKind::dtmf_ended) {
      // In-band (DtmfGuard) and RFC 4733 digits alike: only their end counts.
      auto it = by_leg_.find(e.leg);
      if (it == by_leg_.end()) continue;
      if (Call* c = find(it->second)) on_digit(*c, e.digit);
    }
  }
  forward_conference_events();
  sync();
}

void ConferenceService::on_digit(Call& c, char digit) {
  const bool secret = c.state == CallState::ivr && c.ivr && c.ivr->collecting_pin();
  const int position = c.ivr ? static_cast<int>(c.ivr->entry().size()) + 1 : 1;
  emit(c, event::DigitReceived{secret ? '\0' : digit, secret, position});
  if (c.name_recorder) {
    if (digit == '#') finish_name_recording(c, "'#'");
  } else if (c.state == CallState::ivr && c.ivr) {
    apply(c, c.ivr->on_digit(digit, now_ms_));
  } else if (c.keys && (c.state == CallState::in_room || c.state == CallState::listening)) {
    on_key(c, c.keys->on_digit(digit, now_ms_));
  }
  if (c.state != CallState::ended) mark(c);
}

void ConferenceService::on_timer(Call& c) {
  if (c.name_recorder) {
    if (c.name_deadline_ms <= now_ms_ || c.name_recorder->full()) finish_name_recording(c, "the time limit");
  } else if (c.state == CallState::ivr && c.ivr) {
    if (auto d = c.ivr->next_deadline_ms(); d && *d <= now_ms_) apply(c, c.ivr->on_tick(now_ms_));
  } else if (c.keys) {
    if (auto d = c.keys->next_deadline_ms(); d && *d <= now_ms_) on_key(c, c.keys->on_tick(now_ms_));
  }
  if (c.state != CallState::ended) mark(c);
}

void ConferenceService::tick(std::int64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  // Timers that ran out; each call's next deadline is armed again by sync().
  while (!timers_.empty() && timers_.begin()->first <= now_ms_) {
    const CallId id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    if (Call* c = find(id)) {
      c->timer.reset();
      on_timer(*c);
    }
  }
  while (!dial_deadlines_.empty() && dial_deadlines_.begin()->first <= now_ms_) {
    const DialId id = dial_deadlines_.begin()->second;
    dial_deadlines_.erase(dial_deadlines_.begin());
    auto it = dials_.find(id);
    if (it == dials_.end()) continue;
    const Dial d = std::move(it->second);
    dials_.erase(it);
    if (host_.dialer) host_.dialer->cancel(id);
    emit(kNoCall, d.tenant,
         event::DialFailed{id, d.room, d.number, DialFailure{DialFailureCause::no_answer, 0, "no answer"}});
  }
  for (auto& [room, rec] : recordings_) {
    if (rec->stop_reason.empty() && rec->recorder->full()) {
      rec->stop_reason = "full";
      rec->stopped_ms = now_ms_;
      (void)engine_.stop_recording(rec->engine_room);  // finished on recording_stopped or room_closed
      emit(kNoCall, room.first, event::RecordingFull{room.second, rec->out_prefix});
    }
  }
  // PIN checks: results come back (which may give waiting checks their turn),
  // those whose turn or throttle slot has come go to the verifier.
  if (config_.pin_check_threads == 0) verifier_->run_here();
  finish_pin_checks();
  finish_pin_changes();
  for (room::PinCheck& check : conference_.take_ready_checks()) schedule_pin_check(std::move(check));
  while (!deferred_.empty() && deferred_.begin()->first <= now_ms_) {
    const std::uint64_t id = deferred_.begin()->second;
    deferred_.erase(deferred_.begin());
    auto it = deferred_checks_.find(id);
    if (it == deferred_checks_.end()) continue;
    room::PinCheck check = std::move(it->second);
    deferred_checks_.erase(it);
    submit_pin_check(std::move(check));
  }
  take_store_reports();
  conference_.tick(now_ms_);
  forward_conference_events();
  sync();
}

void ConferenceService::forward_conference_events() {
  for (int round = 0; round < 8; ++round) {
    auto events = conference_.drain_events();
    if (events.empty()) return;
    for (room::Event& e : events) {
      std::string tenant;
      room::ParticipantId pid = 0;
      const std::vector<room::ParticipantId>* members = nullptr;
      std::visit(
          [&](const auto& v) {
            if constexpr (requires { v.tenant; }) tenant = v.tenant;
            if constexpr (requires { v.id; }) pid = v.id;
            if constexpr (requires { v.target; }) pid = v.target;
            if constexpr (requires { v.members; }) members = &v.members;
          },
          e);
      Call* who = pid ? find_participant(pid) : nullptr;
      if (who) {
        if (tenant.empty()) tenant = who->tenant;
        mark(*who);
      }
      if (members)
        for (room::ParticipantId m : *members)
          if (Call* c = find_participant(m)) mark(*c);
      if (const auto* ended = std::get_if<room::event::RoomEnded>(&e)) cancel_dials_to(ended->tenant, ended->room);
      if (const auto* removed = std::get_if<room::event::RoomRemoved>(&e))
        cancel_dials_to(removed->tenant, removed->room);
      const auto* left = std::get_if<room::event::Left>(&e);
      const std::optional<room::event::Left> left_copy = left ? std::optional(*left) : std::nullopt;
      emit(who ? who->id : kNoCall, tenant, std::move(e));
      if (left_copy && who) {
        const std::string detail = left_copy->detail.empty() ? std::string(to_string(left_copy->reason)) : left_copy->detail;
        end_call(*who, left_copy->reason, detail, hangup_cause(left_copy->reason));
      }
    }
  }
}

Result<CallView> ConferenceService::call(CallId id) const {
  auto it = calls_.find(id);
  if (it == calls_.end()) return errc::not_found;
  const Call& c = *it->second;
  CallView v;
  v.id = c.id;
  v.tenant = c.tenant;
  v.caller_id = c.caller_id;
  v.did = c.did;
  v.external_id = c.external_id;
  v.state = c.state;
  v.room = c.room;
  v.participant = c.participant;
  v.role = c.role;
  v.leg = c.leg;
  v.muted = c.mix.muted;
  v.answered = c.answered;
  return v;
}

std::vector<CallView> ConferenceService::calls() const {
  std::vector<CallView> out;
  out.reserve(calls_.size());
  for (const auto& [id, c] : calls_) out.push_back(*call(id));
  return out;
}

std::optional<CallId> ConferenceService::call_of_leg(engine::LegId leg) const {
  auto it = by_leg_.find(leg);
  if (it == by_leg_.end()) return std::nullopt;
  return it->second;
}

bool ConferenceService::collecting_pin(engine::LegId leg) const {
  auto it = by_leg_.find(leg);
  const Call* c = it == by_leg_.end() ? nullptr : find(it->second);
  return c && c->state == CallState::ivr && c->ivr && c->ivr->collecting_pin();
}

std::vector<ServiceEvent> ConferenceService::take_events() { return std::exchange(events_, {}); }
std::vector<room::LegRecord> ConferenceService::take_cdr() { return std::exchange(finished_, {}); }
std::vector<room::ModeratorSession> ConferenceService::take_moderator_sessions() {
  return std::exchange(sessions_, {});
}

Result<room::Actor> ConferenceService::actor_of(CallId id) const {
  const Call* c = find(id);
  if (!c) return errc::not_found;
  if (c->is_operator) return room::Actor{c->tenant, room::Role::superuser, room::kConsole};
  if (!c->participant) return errc::invalid_state;
  return conference_.actor_of(c->participant);
}

}  // namespace libconf::service
