// Keeps the engine in step with the Conference: which engine room each leg is
// in (room, side room, listened room, or its lobby with music on hold), its
// mix state, join/leave tones, CDR segments; closes engine rooms left empty.
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

engine::RoomId ConferenceService::ensure_engine_room(const std::string& room) {
  if (auto it = rooms_.find(room); it != rooms_.end()) return it->second;
  engine::RoomConfig rc;
  rc.name = room;
  rc.sample_rate_hz = config_.room_rate_hz;
  rc.max_legs = config_.max_legs_per_room;
  const auto id = engine_.create_room(rc);
  if (!id) return engine::kNoRoom;
  rooms_[room] = *id;
  return *id;
}

engine::RoomId ConferenceService::engine_room(const std::string& room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? engine::kNoRoom : it->second;
}

void ConferenceService::sync() {
  for (auto& [id, c] : calls_)
    if (c->state != CallState::ended) sync_call(*c);
  close_unused_rooms();
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
    target = ensure_engine_room(c.listening);
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
      target = ensure_engine_room(p->room);
    }
  } else {
    c.state = CallState::held;  // an operator phone between tasks
  }
  if (target != c.where) {
    const bool from_lobby = c.where == c.lobby;
    const std::string old_room = c.room;
    if (auto r = engine_.move_leg(c.leg, target); !r) {
      emit("move_failed", c.id, target_room, r.error().message());
      return;
    }
    // A listener came and goes unheard: no announcement either way.
    if (!old_room.empty() && !conference_.roster(config_.tenant, old_room).empty() && !was_listening &&
        c.state != CallState::listening)
      announce(c, old_room, false);
    c.where = target;
    c.room = target_room;
    if (target != c.lobby) {
      if (c.moh) (void)engine_.stop_playback(c.moh);
      c.moh = 0;
      const auto view = conference_.room(config_.tenant, target_room);
      const bool side = view && !view->parent.empty();
      (void)cdr_.enter_room(c.id, target_room, side, c.role, now_ms_);
      c.in_queue_cdr = false;
      emit(c.state == CallState::listening ? "listen_in" : "joined_room", c.id, target_room, "");
      if (c.state == CallState::in_room && from_lobby) announce(c, target_room, true);
      // Alone counts the phones really in the room (others admitted may still hear their "joining" prompt).
      const auto present = std::count_if(calls_.begin(), calls_.end(), [&](const auto& kv) {
        return kv.second->state == CallState::in_room && kv.second->where == target;
      });
      if (c.state == CallState::in_room && config_.announce_only_participant && present == 1) {
        engine::PlayOptions o;
        o.to_leg = c.leg;
        (void)engine_.play(target, prompts_.get("only_participant"), o);
      }
    }
  }
  if (on_hold && c.where == c.lobby && !c.moh) {
    play_to(c, "music_on_hold", true);
    if (c.state == CallState::waiting && !c.in_queue_cdr) {
      (void)cdr_.enter_queue(c.id, now_ms_);  // waiting for a moderator counts as waiting time
      c.in_queue_cdr = true;
    }
    emit("on_hold", c.id, c.room, std::string(to_string(c.state)));
  }
  if (!c.mix_sent || mix.muted != c.mix.muted || mix.deaf != c.mix.deaf || mix.listen_only != c.mix.listen_only) {
    c.mix = mix;
    c.mix_sent = true;
    (void)engine_.set_mix_state(c.leg, mix);
  }
}

void ConferenceService::close_unused_rooms() {
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    bool used = false;
    for (const auto& [id, c] : calls_)
      if (c->state != CallState::ended && c->where == it->second) used = true;
    if (!used) {
      (void)engine_.close_room(it->second);
      it = rooms_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace libconf::service
