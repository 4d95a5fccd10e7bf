// A story's actions: an operator (the console superuser) or a caller (with
// its own role) calls the service's API at a story time; each result is logged.
#include <boost/json/object.hpp>

#include <cmath>

#include "libconf/scenario/story_run.hpp"

namespace libconf::scenario::detail {

namespace json = boost::json;

void StoryRun::perform_due_actions(std::int64_t now_us) {
  while (next_action_ < story_.actions.size() &&
         static_cast<std::int64_t>(std::llround(story_.actions[next_action_].at_s * kUsPerS)) <= now_us) {
    const StoryAction& a = story_.actions[next_action_++];
    json::object o{{"t", story_time_s()}, {"event", "action"}, {"action", a.action}, {"actor", a.actor}};
    if (!a.who.empty()) o["who"] = a.who;
    if (!a.room.empty()) o["room"] = a.room;
    o["result"] = perform(a);
    log_.line(o);
  }
}

std::string StoryRun::perform(const StoryAction& a) {
  service::ConferenceService& svc = *service_;
  auto actor = a.actor == "operator" ? Result<room::Actor>(console_) : svc.actor_of(call_of(a.actor));
  if (!actor) return "actor '" + a.actor + "': " + actor.error().message();
  auto msg = [](const auto& r) -> std::string { return r ? "ok" : r.error().message(); };
  const std::string& x = a.action;
  if (x == "take_from_queue") {
    auto role = room::role_from_string(a.role);
    if (!role) return "unknown role '" + a.role + "'";
    return msg(svc.take_from_queue(*actor, a.room, *role));
  }
  if (x == "create_side_room") {
    std::vector<service::CallId> ids;
    for (const auto& m : a.members) ids.push_back(call_of(m));
    auto r = svc.create_side_room(*actor, a.room, ids);
    return r ? "ok: " + *r : r.error().message();
  }
  if (x == "bring_back") return msg(svc.bring_back(*actor, a.room));
  if (x == "listen_in") return msg(svc.listen_in(*actor, call_of(a.who), a.room));
  if (x == "stop_listen_in") return msg(svc.stop_listen_in(call_of(a.who)));
  if (x == "whisper") return msg(svc.whisper(*actor, call_of(a.who), call_of(a.to)));
  if (x == "stop_whisper") return msg(svc.stop_whisper(call_of(a.who), call_of(a.to)));
  if (x == "mute" || x == "unmute") return msg(svc.set_muted(*actor, call_of(a.who), x == "mute"));
  if (x == "deaf" || x == "undeaf") return msg(svc.set_deaf(*actor, call_of(a.who), x == "deaf"));
  if (x == "mute_all") return msg(svc.mute_all(*actor, a.room));
  if (x == "kick") return msg(svc.kick(*actor, call_of(a.who), a.reason));
  if (x == "move") return msg(svc.move(*actor, call_of(a.who), a.room));
  if (x == "lock" || x == "unlock") return msg(svc.set_locked(*actor, a.room, x == "lock"));
  if (x == "set_max_members") return msg(svc.set_max_members(*actor, a.room, a.value));
  if (x == "invite") {
    const Phone* me = phone_named(a.actor);
    const std::string cid = me && me->call_spec ? me->call_spec->caller_id : std::string();
    return msg(svc.invite(*actor, a.room, a.number, cid));
  }
  if (x == "transfer") return msg(svc.transfer(*actor, call_of(a.who), a.number));
  if (x == "record") {
    // Preallocated for the rest of the story (the recorder runs on the media thread).
    service::RecordingLimits limits;
    limits.max_duration_ms = static_cast<std::int64_t>((story_.duration_s - a.at_s) * 1000.0) + 1000;
    return msg(svc.start_room_recording(*actor, a.room, a.prefix, limits));
  }
  if (x == "stop_recording") return msg(svc.stop_room_recording(*actor, a.room));
  if (x == "set_name") return msg(svc.set_name(*actor, call_of(a.who), a.text));
  if (x == "hold") return msg(svc.hold(call_of(a.who)));
  if (x == "resume") return msg(svc.resume(call_of(a.who)));
  if (x == "hangup") {
    Phone* p = phone_named(a.who);
    if (!p || !p->started || p->ended) return "not on a call";
    p->ended = true;
    return msg(svc.hangup(p->call));
  }
  return "unknown action";
}

}  // namespace libconf::scenario::detail
