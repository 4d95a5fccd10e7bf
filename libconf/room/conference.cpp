#include "libconf/room/conference.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace libconf::room {
namespace {

std::string lockout_key(const std::string& tenant, const std::string& what) {
  return tenant + '\n' + what;  // '\n' cannot occur in a tenant name
}

}  // namespace

std::string_view to_string(PinKind kind) noexcept {
  switch (kind) {
    case PinKind::participant: return "participant";
    case PinKind::moderator: return "moderator";
    case PinKind::listener: return "listener";
  }
  return "unknown";
}

std::string_view to_string(AdmitOutcome outcome) noexcept {
  switch (outcome) {
    case AdmitOutcome::joined: return "joined";
    case AdmitOutcome::wait_for_moderator: return "wait_for_moderator";
    case AdmitOutcome::overflow: return "overflow";
    case AdmitOutcome::wrong_pin: return "wrong_pin";
    case AdmitOutcome::locked_out: return "locked_out";
    case AdmitOutcome::route_to_operator: return "route_to_operator";
    case AdmitOutcome::denied: return "denied";
  }
  return "unknown";
}

Conference::Conference(ConferenceOptions options)
    : options_(options), caller_lockout_(options.caller_lockout), room_throttle_(options.room_throttle) {
  if (options_.max_overflow_rooms < 0 || options_.max_overflow_rooms > 99)
    throw Error(errc::invalid_argument, "ConferenceOptions.max_overflow_rooms = " +
                                            std::to_string(options_.max_overflow_rooms) +
                                            " is not in 0..99");
}

// ---- helpers -----------------------------------------------------------------

Conference::Tenant* Conference::tenant_of(const std::string& name) {
  auto it = tenants_.find(name);
  return it == tenants_.end() ? nullptr : &it->second;
}

const Conference::Tenant* Conference::tenant_of(const std::string& name) const {
  auto it = tenants_.find(name);
  return it == tenants_.end() ? nullptr : &it->second;
}

Conference::RoomState* Conference::room_of(const std::string& tenant, const std::string& room) {
  Tenant* t = tenant_of(tenant);
  if (!t) return nullptr;
  auto it = t->rooms.find(room);
  return it == t->rooms.end() ? nullptr : &it->second;
}

Result<void> Conference::authorize(const Actor& actor, Action action, std::int64_t now_ms) {
  if (!tenant_of(actor.tenant)) return errc::not_found;
  if (actor.id != kConsole) {
    // An actor on a call must be that participant, in that tenant, with that role.
    auto it = participants_.find(actor.id);
    if (it == participants_.end() || it->second.tenant != actor.tenant || it->second.role != actor.role)
      return errc::permission_denied;
  }
  if (!allowed(actor.role, action)) return deny(actor, action, "", now_ms);
  return {};
}

Result<void> Conference::authorize(const Actor& actor, Action action, const std::string& room, std::int64_t now_ms) {
  if (room.empty()) {
    if (auto ok = authorize(actor, action, now_ms); !ok) return ok;
    // An action on no particular room reaches the whole tenant: the superuser's alone.
    if (actor.role != Role::superuser) return deny(actor, action, "", now_ms);
    return {};
  }
  return authorize_room(actor, action, room, now_ms);
}

Result<void> Conference::deny(const Actor& actor, Action action, const std::string& room, std::int64_t now_ms) {
  events_.push_back(event::ActionDenied{now_ms, actor.tenant, action, actor.role, actor.id, room});
  return errc::permission_denied;
}

bool Conference::within_authority(const Actor& actor, const std::string& room) const {
  if (actor.role == Role::superuser) return true;
  std::string own;
  if (actor.id != kConsole) {
    auto it = participants_.find(actor.id);
    if (it == participants_.end()) return false;
    own = it->second.home_room;
  } else {
    own = actor.room;
  }
  if (own.empty()) return false;
  const Tenant* t = tenant_of(actor.tenant);
  if (!t) return false;
  // Walk up: a side room to its main room, an overflow room to the room it relieves.
  std::string r = room;
  for (int hops = 0; hops < 3 && !r.empty(); ++hops) {
    if (r == own) return true;
    auto it = t->rooms.find(r);
    if (it == t->rooms.end()) return false;
    r = !it->second.parent.empty() ? it->second.parent : it->second.overflow_of;
  }
  return false;
}

Result<void> Conference::authorize_room(const Actor& actor, Action action, const std::string& room,
                                        std::int64_t now_ms) {
  if (auto ok = authorize(actor, action, now_ms); !ok) return ok;
  if (!room_of(actor.tenant, room)) return errc::not_found;
  if (!within_authority(actor, room)) return deny(actor, action, room, now_ms);
  return {};
}

Result<Participant*> Conference::authorize_target(const Actor& actor, Action action, ParticipantId target,
                                                  std::int64_t now_ms) {
  if (auto ok = authorize(actor, action, now_ms); !ok) return ok.error();
  Participant* p = target_in(actor, target);
  if (!p) return errc::not_found;
  if (!within_authority(actor, p->room)) return deny(actor, action, p->room, now_ms).error();
  return p;
}

Participant* Conference::target_in(const Actor& actor, ParticipantId id) {
  auto it = participants_.find(id);
  if (it == participants_.end() || it->second.tenant != actor.tenant) return nullptr;
  return &it->second;
}

int Conference::seats_taken(const RoomState& r) noexcept {
  return static_cast<int>(r.members.size()) + r.away_in_side_rooms;
}

bool Conference::moderator_in(const std::string& tenant, const RoomState& r) const {
  // A main room counts its moderators away in its side rooms: a 1:1 consultation
  // does not leave the room without a moderator.
  const std::string& name = r.config.name;
  for (const auto& [id, p] : participants_)
    if (p.tenant == tenant && is_moderating(p.role) &&
        (p.room == name || (r.parent.empty() && p.home_room == name)))
      return true;
  return false;
}

std::uint64_t Conference::enqueue(const std::string& tenant, const std::string& room,
                                  const std::string& caller_id, errc reason, std::int64_t now_ms) {
  const std::uint64_t ticket = next_ticket_++;
  queue_.push_back(QueueEntry{ticket, tenant, room, caller_id, reason, now_ms, 0});
  events_.push_back(event::RoutedToOperator{now_ms, tenant, room, caller_id, reason, ticket});
  return ticket;
}

void Conference::release_waiting(RoomState& r, std::int64_t now_ms) {
  for (ParticipantId id : r.members) {
    Participant& p = participants_.at(id);
    if (p.waiting) {
      p.waiting = false;
      events_.push_back(event::Released{now_ms, id, p.tenant, r.config.name});
    }
  }
}

void Conference::enter(Participant& p, RoomState& to, std::int64_t now_ms) {
  to.members.push_back(p.id);
  p.room = to.config.name;
  p.room_since_ms = now_ms;
  p.waiting = false;
  if (!to.parent.empty()) {
    if (RoomState* main = room_of(p.tenant, to.parent)) ++main->away_in_side_rooms;
    return;
  }
  p.home_room = to.config.name;
  if (is_moderating(p.role)) {
    to.ends_at_ms.reset();
    release_waiting(to, now_ms);
  } else if (to.config.wait_for_moderator && !moderator_in(p.tenant, to)) {
    p.waiting = true;
  }
}

void Conference::exit_room(Participant& p, std::int64_t now_ms) {
  (void)now_ms;
  RoomState* from = room_of(p.tenant, p.room);
  if (!from) return;
  std::erase(from->members, p.id);
  if (!from->parent.empty())
    if (RoomState* main = room_of(p.tenant, from->parent)) --main->away_in_side_rooms;
}

void Conference::check_ending(const std::string& tenant, const std::string& main_room,
                              std::int64_t now_ms) {
  RoomState* r = room_of(tenant, main_room);
  if (!r || !r->parent.empty() || !r->config.end_with_last_moderator || r->ends_at_ms) return;
  if (seats_taken(*r) == 0 || moderator_in(tenant, *r)) return;
  r->ends_at_ms = now_ms + r->config.end_grace_ms;
  endings_.insert({*r->ends_at_ms, tenant, main_room});
  events_.push_back(event::RoomEnding{now_ms, tenant, main_room, *r->ends_at_ms});
}

ParticipantId Conference::place(const std::string& tenant, RoomState& r, const std::string& caller_id,
                                const std::string& name, Role role, std::int64_t now_ms) {
  const ParticipantId id = next_id_++;
  Participant p;
  p.id = id;
  p.tenant = tenant;
  p.caller_id = caller_id;
  p.name = name.empty() ? caller_id : name;
  p.role = role;
  p.muted = role == Role::listener;
  p.joined_at_ms = now_ms;
  Participant& placed = participants_.emplace(id, std::move(p)).first->second;
  ++tenant_of(tenant)->participants;
  enter(placed, r, now_ms);
  events_.push_back(event::Joined{now_ms, id, tenant, r.config.name, caller_id, role, placed.waiting});
  return id;
}

void Conference::remove(ParticipantId id, ExitReason reason, const std::string& detail,
                        std::int64_t now_ms) {
  auto it = participants_.find(id);
  if (it == participants_.end()) return;
  Participant p = it->second;
  exit_room(it->second, now_ms);
  participants_.erase(it);
  if (Tenant* t = tenant_of(p.tenant)) --t->participants;
  events_.push_back(event::Left{now_ms, id, p.tenant, p.room, reason, detail});
  drop_room_if_done(p.tenant, p.room, now_ms);
  if (is_moderating(p.role)) check_ending(p.tenant, p.home_room, now_ms);
  drop_room_if_done(p.tenant, p.home_room, now_ms);
}

void Conference::drop_room_if_done(const std::string& tenant, const std::string& room,
                                   std::int64_t now_ms) {
  Tenant* t = tenant_of(tenant);
  if (!t) return;
  auto it = t->rooms.find(room);
  if (it == t->rooms.end() || seats_taken(it->second) > 0) return;
  if (!it->second.parent.empty()) {
    t->rooms.erase(it);
    events_.push_back(event::SideRoomClosed{now_ms, tenant, room});
  } else if (!it->second.overflow_of.empty()) {
    // Overflow rooms exist only while someone is in them.
    t->rooms.erase(it);
    --t->main_rooms;
    events_.push_back(event::RoomRemoved{now_ms, tenant, room});
  } else {
    it->second.ends_at_ms.reset();
  }
}

void Conference::end_session(const std::string& tenant, const std::string& main_room,
                             std::int64_t now_ms) {
  Tenant* t = tenant_of(tenant);
  if (!t || !t->rooms.count(main_room)) return;
  std::vector<ParticipantId> ids;
  for (const auto& [id, p] : participants_)
    if (p.tenant == tenant && p.home_room == main_room) ids.push_back(id);
  events_.push_back(event::RoomEnded{now_ms, tenant, main_room});
  if (RoomState* r = room_of(tenant, main_room)) r->ends_at_ms.reset();
  for (ParticipantId id : ids) remove(id, ExitReason::room_ended, "", now_ms);
}

RoomView Conference::view(const std::string& tenant, const RoomState& r) const {
  RoomView v;
  v.tenant = tenant;
  v.name = r.config.name;
  v.topic = r.config.topic;
  v.parent = r.parent;
  v.overflow_of = r.overflow_of;
  v.locked = r.locked;
  v.max_members = r.config.max_members;
  v.seats_taken = seats_taken(r);
  v.members = r.members;
  v.moderator_present = moderator_in(tenant, r);
  v.ends_at_ms = r.ends_at_ms;
  return v;
}

Conference::RoomState* Conference::overflow_target(const std::string& tenant, RoomState& base,
                                                   std::int64_t now_ms) {
  Tenant* t = tenant_of(tenant);
  for (int n = 2; n <= options_.max_overflow_rooms + 1; ++n) {
    const std::string name = base.config.name + "-" + std::to_string(n);
    if (!is_valid_name(name)) return nullptr;
    auto it = t->rooms.find(name);
    if (it != t->rooms.end()) {
      RoomState& r = it->second;
      if (r.overflow_of == base.config.name && !r.locked && seats_taken(r) < r.config.max_members)
        return &r;
      continue;  // full, locked, or a configured room that happens to have this name
    }
    if (t->main_rooms >= t->quota.max_rooms) return nullptr;
    RoomState r;
    r.config = base.config;
    r.config.name = name;
    // No moderator is ever routed here by the model, so nobody may wait for one.
    r.config.wait_for_moderator = false;
    r.config.end_with_last_moderator = false;
    r.overflow_of = base.config.name;
    ++t->main_rooms;
    RoomState& created = t->rooms.emplace(name, std::move(r)).first->second;
    events_.push_back(event::RoomCreated{now_ms, tenant, name, base.config.name});
    events_.push_back(event::OverflowOpened{now_ms, tenant, base.config.name, name});
    return &created;
  }
  return nullptr;
}

// ---- tenants and rooms ---------------------------------------------------------

Result<void> Conference::create_tenant(const std::string& tenant, TenantQuota quota, std::int64_t now_ms) {
  validate_name("tenant name", tenant);
  validate(quota);
  if (tenants_.count(tenant)) return errc::already_exists;
  tenants_[tenant].quota = quota;
  events_.push_back(event::TenantCreated{now_ms, tenant});
  return {};
}

Result<void> Conference::set_quota(const std::string& tenant, TenantQuota quota, std::int64_t now_ms) {
  validate(quota);
  Tenant* t = tenant_of(tenant);
  if (!t) return errc::not_found;
  t->quota = quota;
  events_.push_back(event::QuotaChanged{now_ms, tenant, quota.max_participants, quota.max_rooms});
  return {};
}

Result<void> Conference::create_room(const Actor& actor, RoomConfig config, std::int64_t now_ms) {
  validate(config);
  if (auto ok = authorize(actor, Action::create_room, now_ms); !ok) return ok;
  Tenant* t = tenant_of(actor.tenant);
  if (t->rooms.count(config.name)) return errc::already_exists;
  if (t->main_rooms >= t->quota.max_rooms) return errc::quota_exceeded;
  const std::string name = config.name;
  RoomState r;
  r.config = std::move(config);
  t->rooms.emplace(name, std::move(r));
  ++t->main_rooms;
  events_.push_back(event::RoomCreated{now_ms, actor.tenant, name, ""});
  return {};
}

Result<void> Conference::remove_room(const Actor& actor, const std::string& room, std::int64_t now_ms) {
  if (auto ok = authorize(actor, Action::create_room, now_ms); !ok) return ok;
  Tenant* t = tenant_of(actor.tenant);
  auto it = t->rooms.find(room);
  if (it == t->rooms.end() || !it->second.parent.empty()) return errc::not_found;
  if (seats_taken(it->second) > 0) return errc::invalid_state;
  t->rooms.erase(it);
  --t->main_rooms;
  events_.push_back(event::RoomRemoved{now_ms, actor.tenant, room});
  return {};
}

Result<void> Conference::set_pin(const Actor& actor, const std::string& room, PinKind kind,
                                 const std::string& pin, std::int64_t now_ms) {
  if (!pin.empty()) validate_pin(pin);
  if (auto ok = authorize(actor, Action::create_room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r || !r->parent.empty()) return errc::not_found;
  // One PIN, one role: a moderator PIN equal to the participant PIN would make
  // every participant a moderator (and the listener PIN likewise).
  if (!pin.empty()) {
    const std::pair<PinKind, const std::string*> others[] = {{PinKind::participant, &r->config.participant_pin_hash},
                                                             {PinKind::moderator, &r->config.moderator_pin_hash},
                                                             {PinKind::listener, &r->config.listener_pin_hash}};
    for (const auto& [other, hash] : others)
      if (other != kind && !hash->empty() && verify_pin(*hash, pin)) return errc::already_exists;
  }
  std::string hash = pin.empty() ? std::string{} : hash_pin(pin, options_.pin_hash);
  switch (kind) {
    case PinKind::participant: r->config.participant_pin_hash = std::move(hash); break;
    case PinKind::moderator: r->config.moderator_pin_hash = std::move(hash); break;
    case PinKind::listener: r->config.listener_pin_hash = std::move(hash); break;
  }
  events_.push_back(event::RoomConfigured{now_ms, actor.tenant, room, actor.id});
  return {};
}

Result<void> Conference::set_pin_hash(const Actor& actor, const std::string& room, PinKind kind, std::string hash,
                                      std::int64_t now_ms) {
  if (!hash.empty() && hash.rfind("$argon2", 0) != 0)
    throw Error(errc::invalid_argument, "room '" + room + "': a PIN hash is not a crypto_pwhash_str string");
  if (auto ok = authorize_room(actor, Action::create_room, room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r->parent.empty()) return errc::not_found;
  switch (kind) {
    case PinKind::participant: r->config.participant_pin_hash = std::move(hash); break;
    case PinKind::moderator: r->config.moderator_pin_hash = std::move(hash); break;
    case PinKind::listener: r->config.listener_pin_hash = std::move(hash); break;
  }
  events_.push_back(event::RoomConfigured{now_ms, actor.tenant, room, actor.id});
  return {};
}

Result<void> Conference::set_acl(const Actor& actor, const std::string& room, Acl acl, std::int64_t now_ms) {
  validate_acl(acl);
  if (auto ok = authorize(actor, Action::create_room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r || !r->parent.empty()) return errc::not_found;
  r->config.acl = std::move(acl);
  events_.push_back(event::RoomConfigured{now_ms, actor.tenant, room, actor.id});
  return {};
}

// ---- admission -------------------------------------------------------------------

PinMatch verify_pin_check(const PinCheck& check) noexcept {
  // Every present hash is verified, whatever matched: flat timing.
  const bool moderator = !check.moderator_hash.empty() && verify_pin(check.moderator_hash, check.pin);
  const bool participant = !check.participant_hash.empty() && verify_pin(check.participant_hash, check.pin);
  const bool listener = !check.listener_hash.empty() && verify_pin(check.listener_hash, check.pin);
  if (moderator) return PinMatch::moderator;
  if (participant) return PinMatch::participant;
  if (listener) return PinMatch::listener;
  return PinMatch::none;
}

Result<AdmitDecision> Conference::admit(const AdmitRequest& req, std::int64_t now_ms) {
  auto start = begin_admit(req, now_ms);
  if (!start) return start.error();
  if (start->decision) return *start->decision;
  if (!start->check || start->check->not_before_ms > now_ms) {
    // A synchronous caller cannot wait for its turn or slot: it is told when to retry.
    const std::int64_t retry = start->check ? start->check->not_before_ms : now_ms;
    abandon_admit(start->check ? start->check->id : start->waiting_check, std::nullopt, now_ms);
    AdmitDecision d;
    d.outcome = AdmitOutcome::locked_out;
    d.retry_at_ms = retry;
    events_.push_back(event::LockedOut{now_ms, req.tenant, req.room, req.caller_id, true, retry});
    return d;
  }
  PinCheck& check = *start->check;
  const PinMatch match = verify_pin_check(check);
  wipe_secret(check.pin);
  return finish_admit(check.id, match, now_ms);
}

Result<AdmitStart> Conference::begin_admit(const AdmitRequest& req, std::int64_t now_ms) {
  Tenant* t = tenant_of(req.tenant);
  if (!t) return errc::not_found;
  auto rit = t->rooms.find(req.room);
  if (rit == t->rooms.end() || !rit->second.parent.empty()) return errc::not_found;  // no dialling into a séparée
  RoomState& r = rit->second;
  AdmitStart start;
  AdmitDecision d;

  if (!r.config.acl.permits(req.caller_id)) {
    events_.push_back(event::AccessDenied{now_ms, req.tenant, req.room, req.caller_id});
    d.outcome = AdmitOutcome::denied;
    start.decision = d;
    return start;
  }
  const std::string caller_key = lockout_key(req.tenant, req.caller_id);
  const std::string room_key = lockout_key(req.tenant, req.room);
  if (auto caller_lock = caller_lockout_.locked_until(caller_key, now_ms)) {
    d.outcome = AdmitOutcome::locked_out;
    d.retry_at_ms = *caller_lock;
    events_.push_back(event::LockedOut{now_ms, req.tenant, req.room, req.caller_id, false, d.retry_at_ms});
    start.decision = d;
    return start;
  }

  // The PIN decides the role. No PIN admits a participant only where the room has
  // no participant PIN; digits that match no PIN are always a failure, and a
  // malformed PIN (not 4..16 digits) is one without hashing anything.
  if (req.pin.empty() || !is_well_formed_pin(req.pin)) {
    if (req.pin.empty() && r.config.participant_pin_hash.empty()) {
      auto decided = decide(req, Role::participant, now_ms);
      if (!decided) return decided.error();
      start.decision = *decided;
    } else {
      // No guess at the room's PINs (nothing to verify): the caller's count only.
      start.decision = record_wrong_pin(req, now_ms);
    }
    return start;
  }
  // A PIN to verify. The room's throttle says when: guessing is slowed, never
  // refused to those who wait their turn.
  auto& line = waiting_checks_[room_key];
  const auto reservation = line.empty() ? room_throttle_.reserve(room_key, now_ms)
                                        : PinThrottle::Reservation{PinThrottle::Reservation::Kind::busy, {}, 0};
  if (reservation.kind == PinThrottle::Reservation::Kind::too_far ||
      (reservation.kind == PinThrottle::Reservation::Kind::busy && line.size() >= kMaxWaitingChecksPerRoom)) {
    d.outcome = AdmitOutcome::locked_out;
    d.retry_at_ms = reservation.kind == PinThrottle::Reservation::Kind::too_far ? reservation.retry_at_ms : now_ms;
    events_.push_back(event::LockedOut{now_ms, req.tenant, req.room, req.caller_id, true, d.retry_at_ms});
    start.decision = d;
    if (line.empty()) waiting_checks_.erase(room_key);
    return start;
  }
  const std::uint64_t id = next_check_++;
  PendingCheck& p = pending_checks_.emplace(id, PendingCheck{req, room_key, {}, false}).first->second;
  if (reservation.kind == PinThrottle::Reservation::Kind::busy) {
    p.waiting = true;  // keeps the PIN until its turn (promote)
    line.push_back(id);
    start.waiting_check = id;
    return start;
  }
  waiting_checks_.erase(room_key);
  start.check = make_check(id, p, reservation.slot);
  if (start.check->not_before_ms > now_ms)
    events_.push_back(event::PinThrottled{now_ms, req.tenant, req.room, req.caller_id, start.check->not_before_ms});
  return start;
}

std::optional<PinCheck> Conference::make_check(std::uint64_t id, PendingCheck& p, const PinThrottle::Slot& slot) {
  PinCheck check;
  check.id = id;
  check.pin = p.request.pin;
  wipe_secret(p.request.pin);
  p.slot = slot;
  p.waiting = false;
  check.not_before_ms = slot.at_ms;
  // The hashes as the room has them now ("" for a room removed meanwhile: finish_admit says not_found).
  if (const RoomState* r = room_of(p.request.tenant, p.request.room)) {
    check.moderator_hash = r->config.moderator_pin_hash;
    check.participant_hash = r->config.participant_pin_hash;
    check.listener_hash = r->config.listener_pin_hash;
  }
  return check;
}

void Conference::promote(const std::string& room_key, std::int64_t now_ms) {
  auto line = waiting_checks_.find(room_key);
  while (line != waiting_checks_.end() && !line->second.empty()) {
    const auto r = room_throttle_.reserve(room_key, now_ms, true);
    if (r.kind != PinThrottle::Reservation::Kind::granted) break;
    const std::uint64_t id = line->second.front();
    line->second.pop_front();
    PendingCheck& p = pending_checks_.at(id);
    ready_checks_.push_back(*make_check(id, p, r.slot));
    if (r.slot.at_ms > now_ms)
      events_.push_back(event::PinThrottled{now_ms, p.request.tenant, p.request.room, p.request.caller_id, r.slot.at_ms});
  }
  if (line != waiting_checks_.end() && line->second.empty()) waiting_checks_.erase(line);
}

std::vector<PinCheck> Conference::take_ready_checks() { return std::exchange(ready_checks_, {}); }

AdmitDecision Conference::record_wrong_pin(const AdmitRequest& req, std::int64_t now_ms) {
  const std::string caller_key = lockout_key(req.tenant, req.caller_id);
  auto cf = caller_lockout_.record_failure(caller_key, now_ms);
  const int failures = cf.locked_until_ms ? caller_lockout_.policy().max_failures : cf.failures;
  events_.push_back(event::PinRejected{now_ms, req.tenant, req.room, req.caller_id, failures});
  AdmitDecision d;
  if (cf.locked_until_ms) {
    events_.push_back(event::LockedOut{now_ms, req.tenant, req.room, req.caller_id, false, *cf.locked_until_ms});
    d.outcome = AdmitOutcome::locked_out;
    d.retry_at_ms = *cf.locked_until_ms;
  } else {
    d.outcome = AdmitOutcome::wrong_pin;
  }
  return d;
}

Result<AdmitDecision> Conference::finish_admit(std::uint64_t check_id, PinMatch match, std::int64_t now_ms) {
  auto it = pending_checks_.find(check_id);
  if (it == pending_checks_.end() || it->second.waiting) return errc::not_found;
  const PendingCheck p = std::move(it->second);
  pending_checks_.erase(it);
  if (!room_of(p.request.tenant, p.request.room)) {
    room_throttle_.release(p.room_key, p.slot);  // nothing was guessed at: the room is gone
    promote(p.room_key, now_ms);
    return errc::not_found;
  }
  room_throttle_.record_result(p.room_key, match == PinMatch::none, now_ms);
  promote(p.room_key, now_ms);
  if (match == PinMatch::none) return record_wrong_pin(p.request, now_ms);
  caller_lockout_.record_success(lockout_key(p.request.tenant, p.request.caller_id));
  const Role role = match == PinMatch::moderator     ? Role::moderator
                    : match == PinMatch::participant ? Role::participant
                                                     : Role::listener;
  return decide(p.request, role, now_ms);
}

void Conference::abandon_admit(std::uint64_t check_id, std::optional<PinMatch> verified, std::int64_t now_ms) {
  auto it = pending_checks_.find(check_id);
  if (it == pending_checks_.end()) return;
  PendingCheck p = std::move(it->second);
  pending_checks_.erase(it);
  if (p.waiting) {
    // Gave up while waiting its turn: it held no slot.
    wipe_secret(p.request.pin);
    if (auto line = waiting_checks_.find(p.room_key); line != waiting_checks_.end()) {
      std::erase(line->second, check_id);
      if (line->second.empty()) waiting_checks_.erase(line);
    }
    return;
  }
  if (!verified) {
    room_throttle_.release(p.room_key, p.slot);  // never verified: the slot is handed back
  } else {
    // A guess that was verified counts, whether or not anybody waits for it.
    room_throttle_.record_result(p.room_key, *verified == PinMatch::none, now_ms);
    if (*verified == PinMatch::none) {
      (void)record_wrong_pin(p.request, now_ms);
    } else {
      caller_lockout_.record_success(lockout_key(p.request.tenant, p.request.caller_id));
    }
  }
  promote(p.room_key, now_ms);
}

Result<AdmitDecision> Conference::decide(const AdmitRequest& req, Role role, std::int64_t now_ms) {
  Tenant* t = tenant_of(req.tenant);
  if (!t) return errc::not_found;
  auto rit = t->rooms.find(req.room);
  if (rit == t->rooms.end() || !rit->second.parent.empty()) return errc::not_found;
  RoomState& r = rit->second;
  AdmitDecision d;
  d.role = role;
  auto to_operator = [&](errc reason) {
    d.outcome = AdmitOutcome::route_to_operator;
    d.reason = reason;
    d.queue_ticket = enqueue(req.tenant, req.room, req.caller_id, reason, now_ms);
    return d;
  };
  if (r.locked && !is_moderating(role)) return to_operator(errc::room_locked);
  if (t->participants >= t->quota.max_participants) return to_operator(errc::quota_exceeded);

  RoomState* target = &r;
  d.outcome = AdmitOutcome::joined;
  // Moderators always get in: a room without its moderator is of no use.
  if (!is_moderating(role) && seats_taken(r) >= r.config.max_members) {
    if (r.config.when_full != FullPolicy::overflow) return to_operator(errc::room_full);
    target = overflow_target(req.tenant, r, now_ms);
    if (!target) return to_operator(errc::room_full);
    d.outcome = AdmitOutcome::overflow;
  }
  d.participant = place(req.tenant, *target, req.caller_id, req.name, role, now_ms);
  d.room = target->config.name;
  if (participants_.at(d.participant).waiting) d.outcome = AdmitOutcome::wait_for_moderator;
  return d;
}

Result<ParticipantId> Conference::admit_direct(const Actor& actor, const std::string& room,
                                               const std::string& caller_id, Role role,
                                               std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::invite, room, now_ms); !ok) return ok.error();
  if (rank(role) > rank(actor.role)) return deny(actor, Action::invite, room, now_ms).error();
  Tenant* t = tenant_of(actor.tenant);
  RoomState* r = room_of(actor.tenant, room);
  if (!r->parent.empty()) return errc::not_found;
  if (t->participants >= t->quota.max_participants) return errc::quota_exceeded;
  if (actor.role != Role::superuser) {
    if (r->locked) return errc::room_locked;
    if (seats_taken(*r) >= r->config.max_members) return errc::room_full;
  }
  return place(actor.tenant, *r, caller_id, "", role, now_ms);
}

Result<void> Conference::leave(ParticipantId id, ExitReason reason, std::int64_t now_ms) {
  if (!participants_.count(id)) return errc::not_found;
  remove(id, reason, "", now_ms);
  tick(now_ms);
  return {};
}

// ---- moderation ------------------------------------------------------------------

Result<void> Conference::set_muted(const Actor& actor, ParticipantId target, bool muted, std::int64_t now_ms) {
  const bool self = actor.id != kConsole && actor.id == target;
  const Action action = self ? Action::mute_self : (muted ? Action::mute_other : Action::unmute_other);
  auto found = authorize_target(actor, action, target, now_ms);
  if (!found) return found.error();
  Participant* p = *found;
  if (!self && rank(p->role) > rank(actor.role)) return errc::permission_denied;
  if (!muted && !allowed(p->role, Action::speak)) return errc::invalid_state;
  p->muted = muted;
  events_.push_back(event::MuteChanged{now_ms, target, muted, actor.id});
  return {};
}

Result<void> Conference::mute_all(const Actor& actor, const std::string& room, std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::mute_all, room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  int count = 0;
  for (ParticipantId id : r->members) {
    Participant& p = participants_.at(id);
    if (!is_moderating(p.role) && !p.muted) {
      p.muted = true;
      ++count;
      events_.push_back(event::MuteChanged{now_ms, id, true, actor.id});
    }
  }
  events_.push_back(event::MutedAll{now_ms, actor.tenant, room, count, actor.id});
  return {};
}

Result<void> Conference::set_deaf(const Actor& actor, ParticipantId target, bool deaf, std::int64_t now_ms) {
  auto found = authorize_target(actor, Action::deafen_other, target, now_ms);
  if (!found) return found.error();
  Participant* p = *found;
  if (rank(p->role) > rank(actor.role)) return errc::permission_denied;
  p->deaf = deaf;
  events_.push_back(event::DeafChanged{now_ms, target, deaf, actor.id});
  return {};
}

Result<void> Conference::kick(const Actor& actor, ParticipantId target, const std::string& reason,
                              std::int64_t now_ms) {
  validate_text("kick reason", reason);
  auto found = authorize_target(actor, Action::kick, target, now_ms);
  if (!found) return found.error();
  Participant* p = *found;
  if (rank(p->role) > rank(actor.role)) return errc::permission_denied;
  remove(target, ExitReason::kicked, reason, now_ms);
  tick(now_ms);
  return {};
}

Result<void> Conference::move(const Actor& actor, ParticipantId target, const std::string& room,
                              std::int64_t now_ms) {
  // The target and the destination must both lie within the actor's authority:
  // nobody moves a caller into a room it does not moderate (its PIN is skipped).
  auto found = authorize_target(actor, Action::move, target, now_ms);
  if (!found) return found.error();
  Participant* p = *found;
  if (auto ok = authorize_room(actor, Action::move, room, now_ms); !ok) return ok;
  RoomState* to = room_of(actor.tenant, room);
  if (!to->parent.empty()) return errc::not_found;
  if (rank(p->role) > rank(actor.role)) return errc::permission_denied;
  if (p->room == room) return errc::invalid_state;
  const bool frees_own_seat = p->home_room == room;  // back from a side room of `room`
  if (!frees_own_seat && actor.role != Role::superuser && seats_taken(*to) >= to->config.max_members)
    return errc::room_full;
  const std::string from = p->room;
  const std::string old_home = p->home_room;
  exit_room(*p, now_ms);
  enter(*p, *to, now_ms);
  events_.push_back(event::Moved{now_ms, target, actor.tenant, from, room, actor.id});
  drop_room_if_done(actor.tenant, from, now_ms);
  if (is_moderating(p->role) && old_home != room) check_ending(actor.tenant, old_home, now_ms);
  drop_room_if_done(actor.tenant, old_home, now_ms);
  tick(now_ms);
  return {};
}

Result<std::string> Conference::create_side_room(const Actor& actor, const std::string& main_room,
                                                 const std::vector<ParticipantId>& members,
                                                 std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::create_side_room, main_room, now_ms); !ok) return ok.error();
  RoomState* main = room_of(actor.tenant, main_room);
  if (!main->parent.empty()) return errc::not_found;
  const std::set<ParticipantId> unique(members.begin(), members.end());
  if (unique.size() < 2 || unique.size() != members.size()) return errc::invalid_argument;
  for (ParticipantId id : members)
    if (std::find(main->members.begin(), main->members.end(), id) == main->members.end())
      return errc::not_found;
  const std::string name = main_room + "/side-" + std::to_string(main->next_side_room++);
  RoomState side;
  side.config.name = name;
  side.config.topic = main->config.topic;
  side.config.max_members = kMaxRoomMembers;
  side.parent = main_room;
  RoomState& s = tenant_of(actor.tenant)->rooms.emplace(name, std::move(side)).first->second;
  events_.push_back(event::SideRoomOpened{now_ms, actor.tenant, main_room, name, members, actor.id});
  for (ParticipantId id : members) {
    Participant& p = participants_.at(id);
    exit_room(p, now_ms);
    enter(p, s, now_ms);
    events_.push_back(event::Moved{now_ms, id, actor.tenant, main_room, name, actor.id});
  }
  return name;
}

Result<void> Conference::bring_back(const Actor& actor, const std::string& side_room, std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::bring_back, side_room, now_ms); !ok) return ok;
  RoomState* side = room_of(actor.tenant, side_room);
  if (side->parent.empty()) return errc::not_found;
  RoomState* main = room_of(actor.tenant, side->parent);
  const std::vector<ParticipantId> ids = side->members;
  const std::string main_name = side->parent;
  for (ParticipantId id : ids) {
    Participant& p = participants_.at(id);
    exit_room(p, now_ms);
    enter(p, *main, now_ms);
    events_.push_back(event::Moved{now_ms, id, actor.tenant, side_room, main_name, actor.id});
  }
  drop_room_if_done(actor.tenant, side_room, now_ms);
  return {};
}

Result<void> Conference::check_listen_in(const Actor& actor, const std::string& room, std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::listen_in, room, now_ms); !ok) return ok;
  events_.push_back(event::ListenInGranted{now_ms, actor.tenant, room, actor.id});
  return {};
}

Result<void> Conference::check_whisper(const Actor& actor, ParticipantId target, std::int64_t now_ms) {
  if (target == actor.id) return errc::not_found;
  if (auto found = authorize_target(actor, Action::whisper, target, now_ms); !found) return found.error();
  events_.push_back(event::WhisperGranted{now_ms, target, actor.id});
  return {};
}

Result<void> Conference::set_locked(const Actor& actor, const std::string& room, bool locked, std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::lock_room, room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r->parent.empty()) return errc::not_found;
  r->locked = locked;
  events_.push_back(event::LockChanged{now_ms, actor.tenant, room, locked, actor.id});
  return {};
}

Result<void> Conference::set_max_members(const Actor& actor, const std::string& room, int max_members,
                                         std::int64_t now_ms) {
  if (max_members < 1 || max_members > kMaxRoomMembers)
    throw Error(errc::invalid_argument, "max_members = " + std::to_string(max_members) + " is not in 1.." +
                                            std::to_string(kMaxRoomMembers));
  if (auto ok = authorize_room(actor, Action::set_max_size, room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r->parent.empty()) return errc::not_found;
  r->config.max_members = max_members;
  events_.push_back(event::MaxMembersChanged{now_ms, actor.tenant, room, max_members, actor.id});
  return {};
}

Result<void> Conference::set_name(const Actor& actor, ParticipantId target, const std::string& name,
                                  std::int64_t now_ms) {
  validate_text("participant name", name);
  const bool self = actor.id != kConsole && actor.id == target;
  auto found = authorize_target(actor, self ? Action::set_own_name : Action::set_name, target, now_ms);
  if (!found) return found.error();
  Participant* p = *found;
  if (!self && rank(p->role) > rank(actor.role)) return errc::permission_denied;
  p->name = name;
  events_.push_back(event::NameChanged{now_ms, target, name, actor.id});
  return {};
}

Result<void> Conference::end_room(const Actor& actor, const std::string& room, std::int64_t now_ms) {
  if (auto ok = authorize_room(actor, Action::end_room, room, now_ms); !ok) return ok;
  RoomState* r = room_of(actor.tenant, room);
  if (!r->parent.empty()) return errc::not_found;
  end_session(actor.tenant, room, now_ms);
  return {};
}

// ---- operator queue -----------------------------------------------------------

Result<QueueEntry> Conference::take_from_queue(const Actor& actor, std::int64_t now_ms, std::uint64_t ticket) {
  if (auto ok = authorize(actor, Action::take_from_queue, now_ms); !ok) return ok.error();
  auto it = std::find_if(queue_.begin(), queue_.end(), [&](const QueueEntry& e) {
    return e.tenant == actor.tenant && (ticket == 0 || e.ticket == ticket);
  });
  if (it == queue_.end()) return errc::not_found;
  QueueEntry e = *it;
  queue_.erase(it);
  e.waited_ms = now_ms - e.enqueued_at_ms;
  events_.push_back(event::QueueLeft{now_ms, e.tenant, e.ticket, e.waited_ms, true});
  return e;
}

Result<void> Conference::abandon_queue(std::uint64_t ticket, std::int64_t now_ms) {
  auto it = std::find_if(queue_.begin(), queue_.end(), [&](const QueueEntry& e) { return e.ticket == ticket; });
  if (it == queue_.end()) return errc::not_found;
  events_.push_back(event::QueueLeft{now_ms, it->tenant, ticket, now_ms - it->enqueued_at_ms, false});
  queue_.erase(it);
  return {};
}

std::vector<QueueEntry> Conference::queue(const std::string& tenant) const {
  std::vector<QueueEntry> out;
  for (const auto& e : queue_)
    if (e.tenant == tenant) out.push_back(e);
  return out;
}

void Conference::tick(std::int64_t now_ms) {
  // Only the endings that are due: an entry whose room has meanwhile been
  // spared (a moderator returned) or removed no longer matches and is dropped.
  while (!endings_.empty() && std::get<0>(*endings_.begin()) <= now_ms) {
    const auto [at, tn, rn] = *endings_.begin();
    endings_.erase(endings_.begin());
    if (RoomState* r = room_of(tn, rn); r && r->ends_at_ms == at) end_session(tn, rn, now_ms);
  }
}

// ---- queries --------------------------------------------------------------------

Result<Participant> Conference::participant(ParticipantId id) const {
  auto it = participants_.find(id);
  if (it == participants_.end()) return errc::not_found;
  return it->second;
}

Result<Actor> Conference::actor_of(ParticipantId id) const {
  auto it = participants_.find(id);
  if (it == participants_.end()) return errc::not_found;
  return Actor{it->second.tenant, it->second.role, id, it->second.home_room};
}

Result<RoomView> Conference::room(const std::string& tenant, const std::string& name) const {
  const Tenant* t = tenant_of(tenant);
  if (!t) return errc::not_found;
  auto it = t->rooms.find(name);
  if (it == t->rooms.end()) return errc::not_found;
  return view(tenant, it->second);
}

Result<RoomConfig> Conference::room_config(const std::string& tenant, const std::string& name) const {
  const Tenant* t = tenant_of(tenant);
  if (!t) return errc::not_found;
  auto it = t->rooms.find(name);
  if (it == t->rooms.end()) return errc::not_found;
  return it->second.config;
}

std::vector<RoomView> Conference::rooms(const std::string& tenant) const {
  std::vector<RoomView> out;
  if (const Tenant* t = tenant_of(tenant))
    for (const auto& [name, r] : t->rooms) out.push_back(view(tenant, r));
  return out;
}

std::vector<Participant> Conference::roster(const std::string& tenant, const std::string& room) const {
  std::vector<Participant> out;
  const Tenant* t = tenant_of(tenant);
  if (!t) return out;
  auto it = t->rooms.find(room);
  if (it == t->rooms.end()) return out;
  for (ParticipantId id : it->second.members) out.push_back(participants_.at(id));
  return out;
}

int Conference::participant_count(const std::string& tenant) const {
  const Tenant* t = tenant_of(tenant);
  return t ? t->participants : 0;
}

std::vector<Event> Conference::drain_events() { return std::exchange(events_, {}); }

}  // namespace libconf::room
