// Dial-out (invites), the callee's progress, answered callees, and group
// auto-assembly ("*100").
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {

constexpr std::size_t kMaxReasonBytes = 128;  // of a host's failure text kept in events

bool valid_number(std::string_view n) noexcept {
  if (n.empty() || n.size() > ivr::kMaxDidLength) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char ch = n[i];
    if (!((ch >= '0' && ch <= '9') || ch == '*' || ch == '#' || (ch == '+' && i == 0))) return false;
  }
  return true;
}

bool is_digit(char ch) noexcept { return ch >= '0' && ch <= '9'; }

// Dial-out patterns: '*' matches any run of digits, '?' one digit; every
// other character (also '+', '*' and '#' in the number) only itself. So
// "+4930???" never lets "+4930*#1" through to a trunk's service codes.
bool glob(std::string_view p, std::string_view s) noexcept {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '?' && is_digit(s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] != '?' && p[pi] != '*' && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos && mark < s.size() && is_digit(s[mark])) {
      pi = star + 1;  // the star swallows one more digit
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

// A host's failure text, bounded and printable for events and logs.
DialFailure bounded(DialFailure f) {
  if (f.reason.size() > kMaxReasonBytes) f.reason.resize(kMaxReasonBytes);
  if (!room::is_valid_text(f.reason)) f.reason = "(unprintable reason)";
  return f;
}

}  // namespace

errc ConferenceService::number_refusal(std::string_view number) const {
  if (!valid_number(number)) return errc::invalid_argument;
  const bool allowed = std::any_of(config_.dial_out_allowed.begin(), config_.dial_out_allowed.end(),
                                   [&](const std::string& p) { return glob(p, number); });
  return allowed ? errc::ok : errc::permission_denied;
}

Result<DialId> ConferenceService::start_dial(const std::string& tenant, const std::string& room,
                                             const std::string& number, const std::string& caller_id,
                                             const room::Actor& actor, std::int64_t timeout_ms) {
  const std::string shown = number.substr(0, ivr::kMaxDidLength);
  if (const errc e = number_refusal(number); e != errc::ok) {
    emit(kNoCall, tenant, event::DialRefused{room, shown, e});
    return e;
  }
  if (!host_.dialer) {
    emit(kNoCall, tenant, event::DialRefused{room, shown, errc::invalid_state});
    return errc::invalid_state;
  }
  auto id = host_.dialer->dial(DialRequest{tenant, room, number, caller_id, timeout_ms});
  if (!id) {
    emit(kNoCall, tenant,
         event::DialFailed{0, room, number, DialFailure{DialFailureCause::error, 0, id.error().message()}});
    return id.error();
  }
  dials_[*id] = Dial{tenant, room, number, actor, now_ms_ + timeout_ms};
  dial_deadlines_.insert({now_ms_ + timeout_ms, *id});
  emit(kNoCall, tenant, event::DialStarted{*id, room, number, caller_id});
  return *id;
}

Result<DialId> ConferenceService::invite(const room::Actor& actor, const std::string& room, const std::string& number,
                                         const std::string& presented_caller_id) {
  if (auto ok = conference_.authorize(actor, room::Action::invite, room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  auto v = conference_.room(actor.tenant, room);
  if (!v) return errc::not_found;
  const std::string main = v->parent.empty() ? room : v->parent;
  return start_dial(actor.tenant, main, number, presented_caller_id, actor, config_.invite_timeout_ms);
}

void ConferenceService::dial_progress(DialId dial, DialProgress progress) {
  auto it = dials_.find(dial);
  if (it == dials_.end()) return;
  emit(kNoCall, it->second.tenant, event::DialProgressed{dial, it->second.room, it->second.number, progress});
}

Result<CallId> ConferenceService::dial_answered(DialId dial, engine::LegConfig leg, const std::string& external_id) {
  auto it = dials_.find(dial);
  if (it == dials_.end()) return errc::not_found;
  if (!room::is_valid_text(external_id)) return errc::invalid_argument;
  const Dial d = it->second;
  dials_.erase(it);
  dial_deadlines_.erase({d.deadline_ms, dial});
  auto pid = conference_.admit_direct(d.actor, d.room, d.number, room::Role::participant, now_ms_);
  if (!pid) {
    forward_conference_events();
    emit(kNoCall, d.tenant, event::DialRejected{dial, d.room, d.number, static_cast<errc>(pid.error().value())});
    return pid.error();
  }
  auto made = new_call(d.tenant, d.number, "", leg);
  if (!made) {
    (void)conference_.leave(*pid, room::ExitReason::error, now_ms_);  // placed just now: it exists
    forward_conference_events();
    return made.error();
  }
  Call& c = made->get();
  c.external_id = external_id;
  c.answered = true;  // the callee answered the host's call
  (void)cdr_.arrive(c.id, c.tenant, c.caller_id, "", room::BillingMode::caller_pays, now_ms_, origin(c));  // a fresh id
  emit(c, event::DialAnswered{dial, d.room, d.number});
  room::AdmitDecision ad;
  ad.outcome = room::AdmitOutcome::joined;
  ad.participant = *pid;
  ad.role = room::Role::participant;
  ad.room = d.room;
  place(c, ad);
  const CallId id = c.id;
  forward_conference_events();
  sync();
  return id;
}

void ConferenceService::dial_failed(DialId dial, const DialFailure& failure) {
  auto it = dials_.find(dial);
  if (it == dials_.end()) return;
  emit(kNoCall, it->second.tenant, event::DialFailed{dial, it->second.room, it->second.number, bounded(failure)});
  dial_deadlines_.erase({it->second.deadline_ms, dial});
  dials_.erase(it);
}

void ConferenceService::cancel_dials_to(const std::string& tenant, const std::string& room) {
  for (auto it = dials_.begin(); it != dials_.end();) {
    if (it->second.tenant != tenant || it->second.room != room) {
      ++it;
      continue;
    }
    if (host_.dialer) host_.dialer->cancel(it->first);
    emit(kNoCall, tenant,
         event::DialFailed{it->first, room, it->second.number,
                           DialFailure{DialFailureCause::cancelled, 0, "the room ended"}});
    dial_deadlines_.erase({it->second.deadline_ms, it->first});
    it = dials_.erase(it);
  }
}

void ConferenceService::set_group(const std::string& tenant, const std::string& owner_number,
                                  std::vector<std::string> members) {
  groups_[RoomRef{tenant, owner_number}] = std::move(members);
}

void ConferenceService::group_call(Call& c) {
  const std::string room = room_name_for(c.caller_id);
  if (!room::is_valid_name(room)) {
    end_call(c, room::ExitReason::error, "caller ID gives no room name", HangupCause::not_found);
    return;
  }
  const room::Actor system{c.tenant, room::Role::superuser, room::kConsole};
  if (!conference_.room(c.tenant, room)) {
    room::RoomConfig rc;
    rc.name = room;
    rc.topic = "group of " + c.caller_id;
    rc.end_with_last_moderator = true;
    if (auto r = conference_.create_room(system, rc, now_ms_); !r) {
      end_call(c, room::ExitReason::error, "cannot create room " + room + ": " + r.error().message(),
               HangupCause::unavailable);
      return;
    }
    emit(c, event::GroupRoomCreated{room, c.caller_id});
  }
  auto pid = conference_.admit_direct(system, room, c.caller_id, room::Role::moderator, now_ms_);
  if (!pid) {
    end_call(c, room::ExitReason::error, "cannot join group room: " + pid.error().message(),
             HangupCause::unavailable);
    return;
  }
  room::AdmitDecision ad;
  ad.outcome = room::AdmitOutcome::joined;
  ad.participant = *pid;
  ad.role = room::Role::moderator;
  ad.room = room;
  place(c, ad);

  // The members: the store's group of that name (read on the store's thread),
  // else the in-memory group of the caller's number.
  auto fallback = [this, tenant = c.tenant, owner = c.caller_id]() {
    auto it = groups_.find(RoomRef{tenant, owner});
    return it == groups_.end() ? std::vector<std::string>{} : it->second;
  };
  if (!outbox_) {
    dial_group(c.tenant, room, c.caller_id, fallback());
    return;
  }
  auto found = std::make_shared<std::vector<std::string>>();
  store_read(
      "group " + room,
      [tenant = c.tenant, room, found](store::Store& st) -> Result<void> {
        auto g = st.group(tenant, room);
        if (g) *found = std::move(g->members);
        return g || g.error() == make_error_code(errc::not_found) ? Result<void>{} : Result<void>{g.error()};
      },
      [this, call = c.id, tenant = c.tenant, room, owner = c.caller_id, found, fallback](const Result<void>&) {
        if (!find(call)) return;  // the owner hung up meanwhile: nobody to assemble for
        dial_group(tenant, room, owner, found->empty() ? fallback() : *found);
      });
}

void ConferenceService::dial_group(const std::string& tenant, const std::string& room, const std::string& owner,
                                   const std::vector<std::string>& members) {
  const room::Actor system{tenant, room::Role::superuser, room::kConsole};
  const auto roster = conference_.roster(tenant, room);
  for (const std::string& m : members) {
    if (m == owner) continue;
    const bool in = std::any_of(roster.begin(), roster.end(), [&](const auto& p) { return p.caller_id == m; });
    const bool ringing = std::any_of(dials_.begin(), dials_.end(), [&](const auto& kv) {
      return kv.second.tenant == tenant && kv.second.room == room && kv.second.number == m;
    });
    if (in || ringing) continue;
    // A refused member (not on the allow list, malformed) is reported as dial_refused.
    (void)start_dial(tenant, room, m, owner, system, config_.group_timeout_ms);
  }
}

}  // namespace libconf::service
