#include "libconf/service/conference_service.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "libconf/service/call.hpp"

namespace libconf::service {

namespace {

constexpr std::size_t kMaxCallerIdBytes = 256;
constexpr std::size_t kKeepEndedCalls = 256;  // ended calls kept for call()/calls() queries

bool printable(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u != 0x7f;
  });
}

}  // namespace

std::string_view to_string(CallState state) noexcept {
  switch (state) {
    case CallState::ivr: return "ivr";
    case CallState::queued: return "queued";
    case CallState::waiting: return "waiting";
    case CallState::in_room: return "in_room";
    case CallState::listening: return "listening";
    case CallState::held: return "held";
    case CallState::ended: return "ended";
  }
  return "?";
}

ConferenceService::ConferenceService(engine::Engine& engine, room::Conference& conference, ServiceConfig config,
                                     PromptLibrary prompts, Dialer* dialer, store::Store* store)
    : engine_(engine),
      conference_(conference),
      config_(std::move(config)),
      prompts_(std::move(prompts)),
      dialer_(dialer),
      store_(store) {
  if (!room::is_valid_name(config_.tenant))
    throw Error(errc::invalid_argument, "ServiceConfig.tenant: '" + config_.tenant + "' is not a valid name");
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
}

ConferenceService::~ConferenceService() = default;

ConferenceService::Call* ConferenceService::find(CallId id) {
  auto it = calls_.find(id);
  return it == calls_.end() || it->second->state == CallState::ended ? nullptr : it->second.get();
}
const ConferenceService::Call* ConferenceService::find(CallId id) const {
  auto it = calls_.find(id);
  return it == calls_.end() || it->second->state == CallState::ended ? nullptr : it->second.get();
}

std::shared_ptr<const ivr::Menu> ConferenceService::menu(const std::string& name) const {
  if (auto it = config_.menus.find(name); it != config_.menus.end()) return it->second;
  return ivr::Menu::builtin_default();
}

void ConferenceService::emit(const std::string& kind, CallId call, const std::string& room,
                             const std::string& detail) {
  events_.push_back(ServiceEvent{now_ms_, kind, call, room, detail});
}

ConferenceService::Call& ConferenceService::new_call(const std::string& caller_id, const std::string& did,
                                                     engine::LegConfig& leg, Result<engine::LegId>& added) {
  auto c = std::make_unique<Call>();
  c->id = next_call_++;
  c->caller_id = caller_id;
  c->did = did;
  engine::RoomConfig rc;
  rc.name = "lobby-" + std::to_string(c->id);
  rc.sample_rate_hz = config_.room_rate_hz;
  rc.max_legs = 2;
  c->lobby = engine_.create_room(rc);
  c->mix = leg.mix;
  if (leg.name.empty()) leg.name = caller_id;
  added = engine_.add_leg(c->lobby, std::move(leg));
  if (!added) {
    (void)engine_.close_room(c->lobby);
    static Call none;
    return none;
  }
  c->leg = *added;
  c->where = c->lobby;
  by_leg_[c->leg] = c->id;
  Call& ref = *c;
  calls_.emplace(c->id, std::move(c));
  return ref;
}

Result<CallId> ConferenceService::incoming_call(const CallInfo& info, engine::LegConfig leg) {
  if (info.caller_id.size() > kMaxCallerIdBytes || !printable(info.caller_id) ||
      info.display_name.size() > room::kMaxTextLength || !printable(info.display_name)) {
    emit("call_refused", kNoCall, "", "caller ID or display name not printable or too long");
    return errc::invalid_argument;
  }
  const bool group = !config_.group_code.empty() && info.did == config_.group_code;
  const ivr::DidRoute* route = nullptr;
  std::string route_room;
  if (!group) {
    auto match = config_.router.route(info.did);
    if (!match) {
      emit("call_refused", kNoCall, "", "no route for DID '" + info.did.substr(0, ivr::kMaxDidLength) + "'");
      return errc::not_found;
    }
    route = match->route;
    route_room = std::string(match->room);
  }
  Result<engine::LegId> added = errc::not_found;
  Call& c = new_call(info.caller_id, info.did, leg, added);
  if (!added) return added.error();
  c.name = info.display_name;
  if (route) c.billing = route->billing;
  (void)cdr_.arrive(c.id, config_.tenant, c.caller_id, c.did, c.billing, now_ms_);
  emit("call_arrived", c.id, "", "did " + c.did + " from " + c.caller_id);

  if (group) {
    group_call(c);
  } else {
    const ivr::DidRoute& r = *route;
    switch (r.target) {
      case ivr::DidTarget::menu:
        start_ivr(c, menu(r.menu.empty() ? "default" : r.menu), {});
        break;
      case ivr::DidTarget::room:
        if (!r.menu.empty()) {
          start_ivr(c, menu(r.menu), route_room);
        } else {
          c.ivr.reset();
          auto d = conference_.admit(
              room::AdmitRequest{config_.tenant, route_room, c.caller_id, "", c.name}, now_ms_);
          if (!d) {
            end_call(c, room::ExitReason::error, "room '" + route_room + "' unknown");
          } else if (d->outcome == room::AdmitOutcome::route_to_operator) {
            enqueue(c, d->queue_ticket, make_error_code(d->reason).message());
          } else if (d->outcome == room::AdmitOutcome::joined || d->outcome == room::AdmitOutcome::overflow ||
                     d->outcome == room::AdmitOutcome::wait_for_moderator) {
            place(c, *d);
          } else {
            enqueue(c, 0, std::string(to_string(d->outcome)));
          }
        }
        break;
      case ivr::DidTarget::operator_queue:
        enqueue(c, 0, "operator number");
        break;
    }
  }
  forward_conference_events();
  sync();
  return c.id;
}

Result<CallId> ConferenceService::operator_call(const std::string& name, engine::LegConfig leg) {
  if (name.empty() || name.size() > kMaxCallerIdBytes || !printable(name)) return errc::invalid_argument;
  Result<engine::LegId> added = errc::not_found;
  Call& c = new_call(name, "", leg, added);
  if (!added) return added.error();
  c.is_operator = true;
  c.role = room::Role::superuser;
  c.state = CallState::held;
  emit("operator_connected", c.id, "", name);
  return c.id;
}

Result<void> ConferenceService::hangup(CallId id) {
  Call* c = find(id);
  if (!c) return errc::not_found;
  end_call(*c, room::ExitReason::hangup, "caller hung up");
  forward_conference_events();
  sync();
  return {};
}

void ConferenceService::enqueue(Call& c, std::uint64_t ticket, const std::string& reason) {
  stop_prompt(c);
  c.ivr.reset();
  c.pending.reset();
  c.ticket = ticket;
  c.queue_reason = reason;
  c.state = CallState::queued;
  queue_.push_back(c.id);
  play_to(c, "music_on_hold", true);
  (void)cdr_.enter_queue(c.id, now_ms_);
  c.in_queue_cdr = true;
  emit("queued", c.id, "", reason);
}

void ConferenceService::place(Call& c, const room::AdmitDecision& d) {
  stop_prompt(c);
  c.ivr.reset();
  c.participant = d.participant;
  c.role = d.role;
  c.state = CallState::in_room;
  c.keys.emplace(config_.keys, d.role);
  if (room::is_moderating(d.role) && !c.moderator_logged_in) {
    c.moderator_logged_in = cdr_.moderator_login(config_.tenant, c.caller_id, now_ms_).has_value();
  }
  emit("admitted", c.id, d.room, std::string(to_string(d.outcome)) + " as " + std::string(to_string(d.role)));
}

Result<CallId> ConferenceService::take_from_queue(const room::Actor& actor, const std::string& room,
                                                  room::Role role) {
  if (actor.tenant != config_.tenant || !room::allowed(actor.role, room::Action::take_from_queue)) {
    emit("action_denied", kNoCall, room, "take_from_queue");
    return errc::permission_denied;
  }
  if (queue_.empty()) return errc::not_found;
  Call* c = find(queue_.front());
  if (!c) {
    queue_.pop_front();
    return errc::not_found;
  }
  auto pid = conference_.admit_direct(actor, room, c->caller_id, role, now_ms_);
  if (!pid) {
    forward_conference_events();
    emit("take_failed", c->id, room, pid.error().message());
    return pid.error();
  }
  if (c->ticket) (void)conference_.take_from_queue(actor, now_ms_);
  queue_.pop_front();
  if (c->moh) (void)engine_.stop_playback(c->moh);
  c->moh = 0;
  c->ticket = 0;
  room::AdmitDecision d;
  d.outcome = room::AdmitOutcome::joined;
  d.participant = *pid;
  d.role = role;
  d.room = room;
  emit("taken_from_queue", c->id, room, c->queue_reason);
  place(*c, d);
  forward_conference_events();
  sync();
  return c->id;
}

std::vector<CallId> ConferenceService::queue() const { return {queue_.begin(), queue_.end()}; }

void ConferenceService::end_call(Call& c, room::ExitReason reason, const std::string& detail) {
  if (c.state == CallState::ended) return;
  stop_prompt(c);
  if (c.moh) (void)engine_.stop_playback(c.moh);
  c.moh = 0;
  if (auto it = std::find(queue_.begin(), queue_.end(), c.id); it != queue_.end()) {
    queue_.erase(it);
    if (c.ticket) (void)conference_.abandon_queue(c.ticket, now_ms_);
  }
  const std::string old_room = c.room;
  c.state = CallState::ended;
  if (c.participant && conference_.participant(c.participant)) (void)conference_.leave(c.participant, reason, now_ms_);
  (void)engine_.remove_leg(c.leg);
  (void)engine_.close_room(c.lobby);
  by_leg_.erase(c.leg);
  c.name_recorder.reset();  // its lobby is closed: the engine lets go of the recorder
  std::erase_if(operator_requests_, [&](const OperatorRequest& r) { return r.call == c.id; });
  if (!old_room.empty() && c.listening.empty() && !conference_.roster(config_.tenant, old_room).empty())
    announce(c, old_room, false);
  if (c.moderator_logged_in) {
    if (auto s = cdr_.moderator_logout(config_.tenant, c.caller_id, now_ms_)) {
      sessions_.push_back(*s);
      if (store_) (void)store_->append_session(*s);
    }
  }
  if (auto rec = cdr_.depart(c.id, reason, detail, now_ms_)) {
    finished_.push_back(*rec);
    if (store_) (void)store_->append_cdr(*rec);
  }
  emit("call_ended", c.id, old_room, std::string(to_string(reason)) + ": " + detail);
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
      Call* c = find(it->second);
      if (!c) continue;
      emit("digit", c->id, c->room, std::string(1, e.digit));
      if (c->name_recorder) {
        if (e.digit == '#') finish_name_recording(*c, "'#'");
      } else if (c->state == CallState::ivr && c->ivr) {
        apply(*c, c->ivr->on_digit(e.digit, now_ms_));
      } else if (c->keys && (c->state == CallState::in_room || c->state == CallState::listening)) {
        on_key(*c, c->keys->on_digit(e.digit, now_ms_));
      }
    }
  }
  forward_conference_events();
  sync();
}

void ConferenceService::tick(std::int64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  // Ended calls stay queryable for a while (call() reports `ended`), but a
  // service that runs for months must not keep them all: drop the oldest.
  std::size_t ended = 0;
  for (const auto& [id, c] : calls_) ended += c->state == CallState::ended ? 1 : 0;
  for (auto it = calls_.begin(); ended > kKeepEndedCalls && it != calls_.end();) {
    if (it->second->state == CallState::ended) {
      it = calls_.erase(it);
      --ended;
    } else {
      ++it;
    }
  }
  std::vector<CallId> ids;
  for (const auto& [id, c] : calls_)
    if (c->state != CallState::ended) ids.push_back(id);
  for (CallId id : ids) {
    Call* c = find(id);
    if (!c) continue;
    if (c->name_recorder) {
      if (c->name_deadline_ms <= now_ms_ || c->name_recorder->full()) finish_name_recording(*c, "the time limit");
    } else if (c->state == CallState::ivr && c->ivr) {
      if (auto d = c->ivr->next_deadline_ms(); d && *d <= now_ms_) apply(*c, c->ivr->on_tick(now_ms_));
    } else if (c->keys) {
      if (auto d = c->keys->next_deadline_ms(); d && *d <= now_ms_) on_key(*c, c->keys->on_tick(now_ms_));
    }
  }
  for (auto it = dials_.begin(); it != dials_.end();) {
    if (it->second.deadline_ms <= now_ms_) {
      if (dialer_) dialer_->cancel(it->first);
      emit("dial_failed", kNoCall, it->second.room, it->second.number + ": no answer");
      it = dials_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [room, rec] : recordings_) {
    if (rec->stop_reason.empty() && rec->recorder->full()) {
      rec->stop_reason = "full";
      rec->stopped_ms = now_ms_;
      (void)engine_.stop_recording(rec->engine_room);
      emit("recording_full", kNoCall, room, rec->out_prefix);
    }
  }
  conference_.tick(now_ms_);
  forward_conference_events();
  sync();
}

void ConferenceService::forward_conference_events() {
  for (int round = 0; round < 8; ++round) {
    auto events = conference_.drain_events();
    if (events.empty()) return;
    for (const room::Event& e : events) {
      ServiceEvent se;
      se.at_ms = room::event_time_ms(e);
      se.kind = std::string(room::event_name(e));
      room::ParticipantId pid = 0;
      std::visit(
          [&](const auto& v) {
            if constexpr (requires { v.room; }) se.room = v.room;
            if constexpr (requires { v.side_room; }) se.room = v.side_room;
            if constexpr (requires { v.id; }) pid = v.id;
            if constexpr (requires { v.target; }) pid = v.target;
            if constexpr (requires { v.caller_id; }) se.detail = v.caller_id;
          },
          e);
      Call* who = nullptr;
      if (pid)
        for (auto& [id, c] : calls_)
          if (c->participant == pid && c->state != CallState::ended) who = c.get();
      if (who) se.call = who->id;
      if (const auto* l = std::get_if<room::event::Left>(&e)) {
        se.detail = std::string(to_string(l->reason)) + (l->detail.empty() ? "" : ": " + l->detail);
        events_.push_back(se);
        if (who) end_call(*who, l->reason, l->detail.empty() ? std::string(to_string(l->reason)) : l->detail);
        continue;
      }
      events_.push_back(se);
    }
  }
}

Result<CallView> ConferenceService::call(CallId id) const {
  auto it = calls_.find(id);
  if (it == calls_.end()) return errc::not_found;
  const Call& c = *it->second;
  CallView v;
  v.id = c.id;
  v.caller_id = c.caller_id;
  v.did = c.did;
  v.state = c.state;
  v.room = c.room;
  v.participant = c.participant;
  v.role = c.role;
  v.leg = c.leg;
  v.muted = c.mix.muted;
  return v;
}

std::vector<CallView> ConferenceService::calls() const {
  std::vector<CallView> out;
  for (const auto& [id, c] : calls_) out.push_back(*call(id));
  return out;
}

std::optional<CallId> ConferenceService::call_of_leg(engine::LegId leg) const {
  auto it = by_leg_.find(leg);
  if (it == by_leg_.end()) return std::nullopt;
  return it->second;
}

std::vector<ServiceEvent> ConferenceService::take_events() { return std::exchange(events_, {}); }
std::vector<room::LegRecord> ConferenceService::take_cdr() { return std::exchange(finished_, {}); }
std::vector<room::ModeratorSession> ConferenceService::take_moderator_sessions() {
  return std::exchange(sessions_, {});
}

Result<room::Actor> ConferenceService::actor_of(CallId id) const {
  const Call* c = find(id);
  if (!c) return errc::not_found;
  if (c->is_operator) return room::Actor{config_.tenant, room::Role::superuser, room::kConsole};
  if (!c->participant) return errc::invalid_state;
  return conference_.actor_of(c->participant);
}

}  // namespace libconf::service
