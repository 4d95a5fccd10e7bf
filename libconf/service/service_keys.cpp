// In-room DTMF keys (ivr::KeyMapMatcher per call) turned into service operations
// performed with the caller's own Actor, so the Conference checks its rights.
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {
constexpr float kKeyGainLimitDb = 12.0f;
}

void ConferenceService::on_key(Call& c, const ivr::KeyEvent& k) {
  if (k.status == ivr::KeyStatus::number_started) {
    engine::PlayOptions o;
    o.to_leg = c.leg;
    (void)engine_.play(c.where, prompts_.get("enter_number"), o);
    return;
  }
  if (k.status != ivr::KeyStatus::matched) return;
  auto actor = actor_of(c.id);
  if (!actor) return;
  const std::string room = c.room;
  emit(c, event::KeyPressed{room, k.action});
  auto roster = conference_.roster(c.tenant, room);
  // The participant who joined last and is not moderating (kick_last, 1:1 consultation).
  auto last_plain = [&]() -> room::ParticipantId {
    room::ParticipantId best = 0;
    std::int64_t at = -1;
    for (const auto& p : roster)
      if (!room::is_moderating(p.role) && p.id != c.participant && p.joined_at_ms >= at) {
        best = p.id;
        at = p.joined_at_ms;
      }
    return best;
  };
  auto call_of = [&](room::ParticipantId pid) -> CallId {
    const Call* x = pid ? find_participant(pid) : nullptr;
    return x ? x->id : kNoCall;
  };
  const float step = config_.key_gain_step_db;
  auto gains = [&](float dt, float dl) {
    const float t = std::clamp(c.mix.talk_gain_db + dt, -kKeyGainLimitDb, kKeyGainLimitDb);
    const float l = std::clamp(c.mix.listen_gain_db + dl, -kKeyGainLimitDb, kKeyGainLimitDb);
    (void)set_volumes(*actor, c.id, t, l);
  };
  Result<void> r;
  switch (k.action) {
    case ivr::KeyAction::toggle_mute: r = set_muted(*actor, c.id, !c.mix.muted); break;
    case ivr::KeyAction::talk_volume_up: gains(step, 0); break;
    case ivr::KeyAction::talk_volume_down: gains(-step, 0); break;
    case ivr::KeyAction::listen_volume_up: gains(0, step); break;
    case ivr::KeyAction::listen_volume_down: gains(0, -step); break;
    case ivr::KeyAction::participant_count: {
      engine::PlayOptions o;
      o.to_leg = c.leg;
      (void)engine_.play(c.where, prompts_.beeps(static_cast<int>(roster.size())), o);
      break;
    }
    case ivr::KeyAction::call_operator: call_operator(c); break;
    case ivr::KeyAction::invite: {
      auto d = invite(*actor, room, std::string(k.number.view()), c.caller_id);
      if (!d) r = d.error();
      break;
    }
    case ivr::KeyAction::lock: r = set_locked(*actor, room, true); break;
    case ivr::KeyAction::unlock: r = set_locked(*actor, room, false); break;
    case ivr::KeyAction::mute_all: r = mute_all(*actor, room); break;
    case ivr::KeyAction::kick_last: {
      const CallId t = call_of(last_plain());
      r = t ? kick(*actor, t, "removed by moderator key") : Result<void>{errc::not_found};
      break;
    }
    case ivr::KeyAction::move_to_side_room: {
      const CallId t = call_of(last_plain());
      if (!t) {
        r = errc::not_found;
        break;
      }
      auto s = create_side_room(*actor, room, {c.id, t});
      if (!s) r = s.error();
      break;
    }
    case ivr::KeyAction::bring_back: {
      std::string side;
      if (auto v = conference_.room(c.tenant, room); v && !v->parent.empty()) {
        side = room;
      } else {
        for (const auto& v2 : conference_.rooms(c.tenant))
          if (v2.parent == room) side = v2.name;
      }
      r = side.empty() ? Result<void>{errc::not_found} : bring_back(*actor, side);
      break;
    }
  }
  if (!r) emit(c, event::KeyFailed{room, k.action, static_cast<errc>(r.error().value())});
}

}  // namespace libconf::service
