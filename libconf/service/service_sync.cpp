// Keeps the engine in step with the Conference: which engine room each leg is
// in (room, side room, listened room, or its lobby with music on hold), its
// mix state, join/leave tones, CDR segments; closes engine rooms left empty.
//
// Incremental: only calls marked dirty (by an operation, a digit, a timer or
// a Conference event naming their participant) are looked at, each engine
// room counts the legs in it, and each call's next timer sits in one ordered
// set. An idle tick touches nothing per call.
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

engine::RoomId ConferenceService::ensure_engine_room(const std::string& tenant, const std::string& room) {
  const RoomRef ref{tenant, room};
  if (auto it = rooms_.find(ref); it != rooms_.end()) return it->second.id;
  engine::RoomConfig rc;
  rc.name = tenant + ":" + room;
  rc.sample_rate_hz = config_.room_rate_hz;
  rc.max_legs = config_.max_legs_per_room;
  const auto id = engine_.create_room(rc);
  if (!id) return engine::kNoRoom;
  rooms_[ref] = EngineRoom{*id, 0, 0};
  room_of_engine_[*id] = ref;
  maybe_unused_.insert(ref);  // closed again unless a leg moves in
  return *id;
}

engine::RoomId ConferenceService::engine_room(const std::string& tenant, const std::string& room) const {
  auto it = rooms_.find(RoomRef{tenant, room});
  return it == rooms_.end() ? engine::kNoRoom : it->second.id;
}

void ConferenceService::relocate(Call& c, engine::RoomId target, bool listening) {
  if (c.where != c.lobby) {
    if (auto r = room_of_engine_.find(c.where); r != room_of_engine_.end()) {
      EngineRoom& er = rooms_.at(r->second);
      --er.legs;
      if (c.where_listening) --er.listeners;
      if (er.legs == 0) maybe_unused_.insert(r->second);
    }
  }
  c.where = target;
  c.where_listening = listening && target != c.lobby;
  if (target != c.lobby) {
    if (auto r = room_of_engine_.find(target); r != room_of_engine_.end()) {
      EngineRoom& er = rooms_.at(r->second);
      ++er.legs;
      if (c.where_listening) ++er.listeners;
    }
  }
}

void ConferenceService::sync() {
  while (!dirty_.empty()) {
    const CallId id = *dirty_.begin();
    dirty_.erase(dirty_.begin());
    if (Call* c = find(id)) {
      sync_call(*c);
      rearm(*c);
    }
  }
  close_unused_rooms();
}

void ConferenceService::rearm(Call& c) {
  std::optional<std::int64_t> next;
  if (c.name_recorder) {
    next = c.name_deadline_ms;
  } else if (c.state == CallState::ivr && c.ivr) {
    next = c.ivr->next_deadline_ms();
  } else if (c.keys && (c.state == CallState::in_room || c.state == CallState::listening)) {
    next = c.keys->next_deadline_ms();
  }
  if (next == c.timer) return;
  if (c.timer) timers_.erase({*c.timer, c.id});
  c.timer = next;
  if (next) timers_.insert({*next, c.id});
}

void ConferenceService::sync_call(Call& c) {
  if (c.state == CallState::ivr || c.state == CallState::queued) return;
  const bool was_listening = c.state == CallState::listening;
  std::string target_room;
  engine::RoomId target = c.lobby;
  bool on_hold = false;
  mix::LegMixState mix = c.mix;
  mix.listen_only = false;
  if (!c.listening.empty()) {
    target_room = c.listening;
    target = ensure_engine_room(c.tenant, c.listening);
    mix.listen_only = true;
    mix.muted = false;
    c.state = CallState::listening;
  } else if (c.participant) {
    auto p = conference_.participant(c.participant);
    if (!p) return;  // left: the Left event ends the call
    c.role = p->role;
    mix.muted = p->muted || p->role == room::Role::listener;
    mix.deaf = p->deaf;
    if (p->waiting) {
      c.state = CallState::waiting;
      on_hold = true;
    } else if (c.held) {
      c.state = CallState::held;
      on_hold = true;
    } else {
      c.state = CallState::in_room;
      target_room = p->room;
      target = ensure_engine_room(c.tenant, p->room);
    }
  } else {
    c.state = CallState::held;  // an operator phone between tasks
  }
  if (target != c.where) {
    const bool from_lobby = c.where == c.lobby;
    const std::string old_room = c.room;
    if (auto r = engine_.move_leg(c.leg, target); !r) {
      emit(c, event::MoveFailed{target_room, static_cast<errc>(r.error().value())});
      return;
    }
    // A listener came and goes unheard: no announcement either way.
    if (!old_room.empty() && !conference_.roster(c.tenant, old_room).empty() && !was_listening &&
        c.state != CallState::listening)
      announce(c, old_room, false);
    relocate(c, target, c.state == CallState::listening);
    c.room = target_room;
    if (target != c.lobby) {
      if (c.moh) (void)engine_.stop_playback(c.moh);  // not_found: it ended meanwhile
      c.moh = 0;
      const auto view = conference_.room(c.tenant, target_room);
      const bool side = view && !view->parent.empty();
      (void)cdr_.enter_room(c.id, target_room, side, c.role, now_ms_);  // the call's CDR is open
      c.in_queue_cdr = false;
      emit(c, event::EnteredRoom{target_room, c.state == CallState::listening});
      if (c.state == CallState::in_room && from_lobby) announce(c, target_room, true);
      // Alone counts the phones really in the room (others admitted may still hear their "joining" prompt).
      const EngineRoom& er = rooms_.at(RoomRef{c.tenant, target_room});
      if (c.state == CallState::in_room && config_.announce_only_participant && er.legs - er.listeners == 1) {
        engine::PlayOptions o;
        o.to_leg = c.leg;
        (void)engine_.play(target, prompts_.get("only_participant"), o);  // a courtesy: no harm if refused
      }
    }
  }
  if (on_hold && c.where == c.lobby && !c.moh) {
    play_to(c, "music_on_hold", true);
    if (c.state == CallState::waiting && !c.in_queue_cdr) {
      (void)cdr_.enter_queue(c.id, now_ms_);  // waiting for a moderator counts as waiting time
      c.in_queue_cdr = true;
    }
    emit(c, event::OnHold{c.room, c.state});
  }
  if (!c.mix_sent || mix.muted != c.mix.muted || mix.deaf != c.mix.deaf || mix.listen_only != c.mix.listen_only) {
    c.mix = mix;
    c.mix_sent = true;
    (void)engine_.set_mix_state(c.leg, mix);  // the leg exists while the call does
  }
}

void ConferenceService::close_unused_rooms() {
  for (const RoomRef& ref : maybe_unused_) {
    auto it = rooms_.find(ref);
    if (it == rooms_.end() || it->second.legs > 0) continue;
    (void)engine_.close_room(it->second.id);  // empty: nothing to refuse
    room_of_engine_.erase(it->second.id);
    rooms_.erase(it);
  }
  maybe_unused_.clear();
}

}  // namespace libconf::service
