// Dial-out (invites), answered callees, and group auto-assembly ("*100").
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {

bool valid_number(std::string_view n) noexcept {
  if (n.empty() || n.size() > ivr::kMaxDidLength) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char ch = n[i];
    if (!((ch >= '0' && ch <= '9') || ch == '*' || ch == '#' || (ch == '+' && i == 0))) return false;
  }
  return true;
}

// '*' matches any run, '?' one character; everything else literally.
bool glob(std::string_view p, std::string_view s) noexcept {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// The room named after a caller: its number without '+' and other symbols.
std::string room_name_for(std::string_view caller_id) {
  std::string out;
  for (char ch : caller_id)
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) out.push_back(ch);
  return out;
}

}  // namespace

bool ConferenceService::dial_allowed(const std::string& number) const {
  return std::any_of(config_.dial_out_allowed.begin(), config_.dial_out_allowed.end(),
                     [&](const std::string& p) { return glob(p, number); });
}

Result<DialId> ConferenceService::start_dial(const std::string& room, const std::string& number,
                                             const std::string& caller_id, const room::Actor& actor,
                                             std::int64_t timeout_ms) {
  if (!valid_number(number)) {
    emit("dial_refused", kNoCall, room, "malformed number");
    return errc::invalid_argument;
  }
  if (!dial_allowed(number)) {
    emit("dial_refused", kNoCall, room, number + ": not an allowed dial-out number");
    return errc::permission_denied;
  }
  if (!dialer_) {
    emit("dial_refused", kNoCall, room, number + ": no dialer");
    return errc::invalid_state;
  }
  auto id = dialer_->dial(number, caller_id, timeout_ms);
  if (!id) {
    emit("dial_failed", kNoCall, room, number + ": " + id.error().message());
    return id.error();
  }
  dials_[*id] = Dial{room, number, actor, now_ms_ + timeout_ms};
  emit("dial_started", kNoCall, room, number + " as " + caller_id);
  return *id;
}

Result<DialId> ConferenceService::invite(const room::Actor& actor, const std::string& room, const std::string& number,
                                         const std::string& presented_caller_id) {
  if (actor.tenant != config_.tenant || !room::allowed(actor.role, room::Action::invite)) {
    emit("action_denied", kNoCall, room, "invite");
    return errc::permission_denied;
  }
  auto v = conference_.room(config_.tenant, room);
  if (!v) return errc::not_found;
  const std::string main = v->parent.empty() ? room : v->parent;
  return start_dial(main, number, presented_caller_id, actor, config_.invite_timeout_ms);
}

Result<CallId> ConferenceService::dial_answered(DialId dial, engine::LegConfig leg) {
  auto it = dials_.find(dial);
  if (it == dials_.end()) return errc::not_found;
  const Dial d = it->second;
  dials_.erase(it);
  auto pid = conference_.admit_direct(d.actor, d.room, d.number, room::Role::participant, now_ms_);
  if (!pid) {
    forward_conference_events();
    emit("dial_rejected", kNoCall, d.room, d.number + ": " + pid.error().message());
    return pid.error();
  }
  Result<engine::LegId> added = errc::not_found;
  Call& c = new_call(d.number, "", leg, added);
  if (!added) {
    (void)conference_.leave(*pid, room::ExitReason::error, now_ms_);
    forward_conference_events();
    return added.error();
  }
  (void)cdr_.arrive(c.id, config_.tenant, c.caller_id, "", room::BillingMode::caller_pays, now_ms_);
  emit("dial_answered", c.id, d.room, d.number);
  room::AdmitDecision ad;
  ad.outcome = room::AdmitOutcome::joined;
  ad.participant = *pid;
  ad.role = room::Role::participant;
  ad.room = d.room;
  place(c, ad);
  forward_conference_events();
  sync();
  return c.id;
}

void ConferenceService::dial_failed(DialId dial, const std::string& reason) {
  auto it = dials_.find(dial);
  if (it == dials_.end()) return;
  emit("dial_failed", kNoCall, it->second.room, it->second.number + ": " + reason);
  dials_.erase(it);
}

void ConferenceService::set_group(const std::string& owner_number, std::vector<std::string> members) {
  groups_[owner_number] = std::move(members);
}

void ConferenceService::group_call(Call& c) {
  const std::string room = room_name_for(c.caller_id);
  if (!room::is_valid_name(room)) {
    end_call(c, room::ExitReason::error, "caller ID gives no room name");
    return;
  }
  const room::Actor system{config_.tenant, room::Role::superuser, room::kConsole};
  if (!conference_.room(config_.tenant, room)) {
    room::RoomConfig rc;
    rc.name = room;
    rc.topic = "group of " + c.caller_id;
    rc.end_with_last_moderator = true;
    if (auto r = conference_.create_room(system, rc, now_ms_); !r) {
      end_call(c, room::ExitReason::error, "cannot create room " + room + ": " + r.error().message());
      return;
    }
    emit("group_room_created", c.id, room, c.caller_id);
  }
  auto pid = conference_.admit_direct(system, room, c.caller_id, room::Role::moderator, now_ms_);
  if (!pid) {
    end_call(c, room::ExitReason::error, "cannot join group room: " + pid.error().message());
    return;
  }
  room::AdmitDecision ad;
  ad.outcome = room::AdmitOutcome::joined;
  ad.participant = *pid;
  ad.role = room::Role::moderator;
  ad.room = room;
  place(c, ad);

  std::vector<std::string> members;
  if (store_) {
    if (auto g = store_->group(config_.tenant, room)) members = g->members;
  }
  if (members.empty()) {
    if (auto it = groups_.find(c.caller_id); it != groups_.end()) members = it->second;
  }
  const auto roster = conference_.roster(config_.tenant, room);
  for (const std::string& m : members) {
    if (m == c.caller_id) continue;
    const bool in = std::any_of(roster.begin(), roster.end(), [&](const auto& p) { return p.caller_id == m; });
    const bool ringing = std::any_of(dials_.begin(), dials_.end(), [&](const auto& kv) {
      return kv.second.room == room && kv.second.number == m;
    });
    if (in || ringing) continue;
    (void)start_dial(room, m, c.caller_id, system, config_.group_timeout_ms);
  }
}

}  // namespace libconf::service
