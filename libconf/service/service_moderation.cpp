// Moderation operations: each is checked by the Conference's permissions,
// applied to the engine through sync(), and reported as events.
#include <algorithm>
#include <cmath>

#include "libconf/room/pin.hpp"
#include "libconf/service/call.hpp"
#include "libconf/service/pin_verifier.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {
constexpr float kMaxGainDb = 24.0f;
}

Result<void> ConferenceService::set_muted(const room::Actor& actor, CallId target, bool muted) {
  Call* c = find(target);
  if (!c || !c->participant) return errc::not_found;
  auto r = conference_.set_muted(actor, c->participant, muted, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::mute_all(const room::Actor& actor, const std::string& room) {
  auto r = conference_.mute_all(actor, room, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::set_deaf(const room::Actor& actor, CallId target, bool deaf) {
  Call* c = find(target);
  if (!c || !c->participant) return errc::not_found;
  auto r = conference_.set_deaf(actor, c->participant, deaf, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::kick(const room::Actor& actor, CallId target, const std::string& reason) {
  Call* c = find(target);
  if (!c || !c->participant) return errc::not_found;
  auto r = conference_.kick(actor, c->participant, reason, now_ms_);
  forward_conference_events();  // Left ends the call
  sync();
  return r;
}

Result<void> ConferenceService::move(const room::Actor& actor, CallId target, const std::string& room) {
  Call* c = find(target);
  if (!c || !c->participant) return errc::not_found;
  auto r = conference_.move(actor, c->participant, room, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::set_volumes(const room::Actor& actor, CallId target, float talk_gain_db,
                                            float listen_gain_db) {
  Call* c = find(target);
  if (!c) return errc::not_found;
  if (!std::isfinite(talk_gain_db) || !std::isfinite(listen_gain_db) || std::fabs(talk_gain_db) > kMaxGainDb ||
      std::fabs(listen_gain_db) > kMaxGainDb)
    return errc::invalid_argument;
  const bool self = c->participant != 0 && actor.id == c->participant && actor.tenant == c->tenant;
  if (!self) {
    // Someone else's volume: mute_other over the room the target is in.
    if (c->tenant != actor.tenant || c->room.empty()) return errc::not_found;
    if (auto ok = conference_.authorize(actor, room::Action::mute_other, c->room, now_ms_); !ok) {
      forward_conference_events();
      return ok.error();
    }
  }
  c->mix.talk_gain_db = talk_gain_db;
  c->mix.listen_gain_db = listen_gain_db;
  auto r = engine_.set_mix_state(c->leg, c->mix);
  if (r) emit(*c, event::VolumesChanged{c->room, talk_gain_db, listen_gain_db});
  return r;
}

Result<std::string> ConferenceService::create_side_room(const room::Actor& actor, const std::string& main_room,
                                                        const std::vector<CallId>& members) {
  std::vector<room::ParticipantId> ids;
  for (CallId m : members) {
    Call* c = find(m);
    if (!c || !c->participant) return errc::not_found;
    ids.push_back(c->participant);
  }
  auto r = conference_.create_side_room(actor, main_room, ids, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::bring_back(const room::Actor& actor, const std::string& side_room) {
  auto r = conference_.bring_back(actor, side_room, now_ms_);
  forward_conference_events();
  sync();
  return r;
}

Result<void> ConferenceService::listen_in(const room::Actor& actor, CallId listener, const std::string& room) {
  Call* c = find(listener);
  if (!c) return errc::not_found;
  if (c->tenant != actor.tenant) return errc::not_found;
  if (c->state == CallState::ivr || c->state == CallState::queued) return errc::invalid_state;
  auto r = conference_.check_listen_in(actor, room, now_ms_);
  forward_conference_events();
  if (!r) return r;
  c->listening = room;
  mark(*c);
  // An operator or moderator now hears the room: its callers' requests are attended.
  std::erase_if(operator_requests_,
                [&](const OperatorRequest& q) { return q.tenant == actor.tenant && q.room == room; });
  sync();
  return {};
}

Result<void> ConferenceService::stop_listen_in(CallId listener) {
  Call* c = find(listener);
  if (!c) return errc::not_found;
  if (c->listening.empty()) return errc::invalid_state;
  emit(*c, event::ListenInStopped{c->listening});
  c->listening.clear();
  mark(*c);
  sync();
  return {};
}

Result<void> ConferenceService::whisper(const room::Actor& actor, CallId from, CallId to) {
  Call* f = find(from);
  Call* t = find(to);
  if (!f || !t || !t->participant || f->tenant != actor.tenant) return errc::not_found;
  if (f->where != t->where || f->where == f->lobby) return errc::invalid_state;
  auto r = conference_.check_whisper(actor, t->participant, now_ms_);
  forward_conference_events();
  if (!r) return r;
  auto w = engine_.add_whisper(f->leg, t->leg);
  if (w) emit(*f, event::WhisperStarted{t->room, to});
  return w;
}

Result<void> ConferenceService::stop_whisper(CallId from, CallId to) {
  Call* f = find(from);
  Call* t = find(to);
  if (!f || !t) return errc::not_found;
  auto w = engine_.remove_whisper(f->leg, t->leg);
  if (w) emit(*f, event::WhisperStopped{t->room, to});
  return w;
}

Result<void> ConferenceService::set_locked(const room::Actor& actor, const std::string& room, bool locked) {
  auto r = conference_.set_locked(actor, room, locked, now_ms_);
  forward_conference_events();
  if (r) persist_room(actor.tenant, room);
  return r;
}

Result<void> ConferenceService::set_max_members(const room::Actor& actor, const std::string& room, int max_members) {
  if (max_members < 1 || max_members > room::kMaxRoomMembers) return errc::invalid_argument;
  auto r = conference_.set_max_members(actor, room, max_members, now_ms_);
  forward_conference_events();
  if (r) persist_room(actor.tenant, room);
  return r;
}

Result<void> ConferenceService::set_pin(const room::Actor& actor, const std::string& room, room::PinKind kind,
                                        const std::string& pin) {
  if (!pin.empty() && !room::is_well_formed_pin(pin)) return errc::invalid_argument;
  if (auto ok = conference_.authorize(actor, room::Action::create_room, room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  auto config = conference_.room_config(actor.tenant, room);
  auto view = conference_.room(actor.tenant, room);
  if (!config || !view || !view->parent.empty()) return errc::not_found;
  if (pin.empty()) {  // clearing hashes nothing
    auto r = conference_.set_pin_hash(actor, room, kind, "", now_ms_);
    forward_conference_events();
    if (!r) return r;
    emit(kNoCall, actor.tenant, event::PinChanged{room, kind});
    persist_room(actor.tenant, room);
    return {};
  }
  PinChange change{actor, room, kind, {}};
  for (const auto& [k, h] : {std::pair{room::PinKind::participant, &config->participant_pin_hash},
                             std::pair{room::PinKind::moderator, &config->moderator_pin_hash},
                             std::pair{room::PinKind::listener, &config->listener_pin_hash}})
    if (k != kind && !h->empty()) change.others.push_back(*h);
  const std::uint64_t id = next_pin_change_++;
  detail::PinVerifier::HashJob job{id, pin, conference_.options().pin_hash, change.others};
  if (!verifier_->submit(std::move(job))) return errc::capacity_exceeded;
  pin_changes_.emplace(id, std::move(change));
  return {};
}

void ConferenceService::finish_pin_changes() {
  for (detail::PinVerifier::Hashed& h : verifier_->take_hashed()) {
    auto it = pin_changes_.find(h.id);
    if (it == pin_changes_.end()) continue;
    const PinChange change = std::move(it->second);
    pin_changes_.erase(it);
    const std::string& tenant = change.actor.tenant;
    errc error = h.error;
    if (error == errc::ok) {
      // The others must be what the hash was compared with; else it may now equal one.
      std::vector<std::string> now;
      if (auto config = conference_.room_config(tenant, change.room)) {
        for (const auto& [k, hash] : {std::pair{room::PinKind::participant, &config->participant_pin_hash},
                                      std::pair{room::PinKind::moderator, &config->moderator_pin_hash},
                                      std::pair{room::PinKind::listener, &config->listener_pin_hash}})
          if (k != change.kind && !hash->empty()) now.push_back(*hash);
        if (now != change.others) error = errc::invalid_state;
      } else {
        error = errc::not_found;
      }
    }
    if (error == errc::ok) {
      auto r = conference_.set_pin_hash(change.actor, change.room, change.kind, std::move(h.hash), now_ms_);
      if (!r) error = static_cast<errc>(r.error().value());
    }
    if (error != errc::ok) {
      emit(kNoCall, tenant, event::PinChangeFailed{change.room, change.kind, error});
      continue;
    }
    emit(kNoCall, tenant, event::PinChanged{change.room, change.kind});
    persist_room(tenant, change.room);
  }
}

Result<void> ConferenceService::hold(CallId id) {
  Call* c = find(id);
  if (!c || !c->participant) return errc::not_found;
  if (c->held) return errc::invalid_state;
  c->held = true;
  mark(*c);
  sync();
  return {};
}

Result<void> ConferenceService::resume(CallId id) {
  Call* c = find(id);
  if (!c || !c->participant) return errc::not_found;
  if (!c->held) return errc::invalid_state;
  c->held = false;
  emit(*c, event::Resumed{c->room});
  mark(*c);
  sync();
  return {};
}

}  // namespace libconf::service
