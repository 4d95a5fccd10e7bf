// Admission: the one handler of the room model's decision (a direct route,
// a menu's PIN check, a menu's join), the operator queue, placing a caller
// in its room, and sending a call out of the bridge (transfer).
#include <algorithm>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {

QueueReason queue_reason(errc reason) noexcept {
  switch (reason) {
    case errc::room_full: return QueueReason::room_full;
    case errc::room_locked: return QueueReason::room_locked;
    case errc::quota_exceeded: return QueueReason::quota_exceeded;
    default: return QueueReason::locked_out;
  }
}

}  // namespace

void ConferenceService::admitted(Call& c, const std::string& room, const Result<room::AdmitDecision>& d,
                                 AdmitVia via) {
  const bool pin = via == AdmitVia::ivr_pin;
  auto reply = [&](const ivr::HostReply& r) {
    if (c.state == CallState::ivr && c.ivr) apply(c, c.ivr->on_host_reply(r, now_ms_));
  };
  if (pin) emit(c, event::PinChecked{room, d ? std::optional(d->outcome) : std::nullopt});
  if (!d) {
    if (pin) {
      reply(ivr::HostReply::room_unknown());
    } else if (via == AdmitVia::direct) {
      end_call(c, room::ExitReason::error, "room '" + room + "' unknown", HangupCause::not_found);
    } else {
      enqueue(c, 0, QueueReason::room_unknown, room);
    }
    return;
  }
  switch (d->outcome) {
    case room::AdmitOutcome::joined:
    case room::AdmitOutcome::overflow:
    case room::AdmitOutcome::wait_for_moderator:
      if (pin) {
        c.pending = *d;  // placed when the menu's Join comes, after "joining"
        reply(ivr::HostReply::pin_ok(d->role));
      } else {
        place(c, *d);
      }
      return;
    case room::AdmitOutcome::wrong_pin:
      if (pin) {
        reply(ivr::HostReply::pin_wrong());
      } else {
        enqueue(c, 0, QueueReason::pin_required, room);
      }
      return;
    case room::AdmitOutcome::locked_out:
      if (pin) {
        reply(ivr::HostReply::locked_out());
      } else {
        enqueue(c, 0, QueueReason::locked_out, room);
      }
      return;
    case room::AdmitOutcome::route_to_operator:
      if (pin) {
        // Room full or locked: the menu's locked-out path ends at the operator,
        // where the Conference already queued this caller (the ticket).
        c.ticket = d->queue_ticket;
        c.queue_reason = queue_reason(d->reason);
        c.queue_room = room;
        reply(ivr::HostReply::locked_out());
      } else {
        enqueue(c, d->queue_ticket, queue_reason(d->reason), room);
      }
      return;
    case room::AdmitOutcome::denied:
      end_call(c, room::ExitReason::error, "access denied to room " + room, HangupCause::access_denied);
      return;
  }
}

void ConferenceService::enqueue(Call& c, std::uint64_t ticket, QueueReason reason, const std::string& room) {
  stop_prompt(c);
  c.ivr.reset();
  c.pending.reset();
  c.ticket = ticket;
  c.queue_reason = reason;
  c.queue_room = room;
  c.state = CallState::queued;
  queue_.push_back(c.id);
  answer(c);
  play_to(c, "music_on_hold", true);
  (void)cdr_.enter_queue(c.id, now_ms_);  // invalid_state: already counted as waiting
  c.in_queue_cdr = true;
  emit(c, event::Queued{room, reason});
  mark(c);
}

void ConferenceService::place(Call& c, const room::AdmitDecision& d) {
  stop_prompt(c);
  c.ivr.reset();
  c.participant = d.participant;
  by_participant_[d.participant] = c.id;
  c.role = d.role;
  c.state = CallState::in_room;
  c.keys.emplace(config_.keys, d.role);
  if (room::is_moderating(d.role) && !c.moderator_logged_in) {
    c.moderator_logged_in = cdr_.moderator_login(c.tenant, c.caller_id, now_ms_, origin(c)).has_value();
  }
  answer(c);
  emit(c, event::Admitted{d.room, d.outcome, d.role});
  mark(c);
  recall_name(c);
}

// A name a moderator gave this number before (in the store): the caller gets
// it back, unless it has a name of its own by the time the store answers.
void ConferenceService::recall_name(Call& c) {
  if (!outbox_) return;
  auto found = std::make_shared<std::string>();
  store_read(
      "caller name",
      [tenant = c.tenant, caller = c.caller_id, found](store::Store& st) -> Result<void> {
        auto r = st.caller_name(tenant, caller);
        if (r) *found = r->name;
        return r || r.error() == make_error_code(errc::not_found) ? Result<void>{} : Result<void>{r.error()};
      },
      [this, id = c.id, before = c.name, found](const Result<void>&) {
        Call* call = find(id);
        if (!call || found->empty() || !call->participant || call->name != before) return;
        const room::Actor system{call->tenant, room::Role::superuser, room::kConsole};
        if (!conference_.set_name(system, call->participant, *found, now_ms_)) return;
        call->name = *found;
        emit(*call, event::NameSet{call->room, *found});
      });
}

Result<CallId> ConferenceService::take_from_queue(const room::Actor& actor, const std::string& room,
                                                  room::Role role) {
  if (auto ok = conference_.authorize(actor, room::Action::take_from_queue, room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  auto it = std::find_if(queue_.begin(), queue_.end(), [&](CallId id) {
    const Call* c = find(id);
    return c && c->tenant == actor.tenant;
  });
  if (it == queue_.end()) return errc::not_found;
  Call* c = find(*it);
  auto pid = conference_.admit_direct(actor, room, c->caller_id, role, now_ms_);
  if (!pid) {
    forward_conference_events();
    emit(*c, event::TakeFailed{room, static_cast<errc>(pid.error().value())});
    return pid.error();
  }
  if (c->ticket) (void)conference_.take_from_queue(actor, now_ms_, c->ticket);  // its queue entry goes
  queue_.erase(it);
  if (c->moh) (void)engine_.stop_playback(c->moh);
  c->moh = 0;
  c->ticket = 0;
  room::AdmitDecision d;
  d.outcome = room::AdmitOutcome::joined;
  d.participant = *pid;
  d.role = role;
  d.room = room;
  emit(*c, event::TakenFromQueue{room, c->queue_reason});
  place(*c, d);
  const CallId id = c->id;
  forward_conference_events();
  sync();
  return id;
}

std::vector<CallId> ConferenceService::queue(const std::string& tenant) const {
  std::vector<CallId> out;
  for (CallId id : queue_)
    if (const Call* c = find(id); c && c->tenant == tenant) out.push_back(id);
  return out;
}

Result<void> ConferenceService::transfer(const room::Actor& actor, CallId id, const std::string& number) {
  Call* c = find(id);
  if (!c || c->tenant != actor.tenant) return errc::not_found;
  if (auto ok = conference_.authorize(actor, room::Action::transfer, c->room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  if (const errc e = number_refusal(number); e != errc::ok) {
    emit(*c, event::DialRefused{c->room, number.substr(0, ivr::kMaxDidLength), e});
    return e;
  }
  if (!host_.control) return errc::invalid_state;
  c->transfer_target = number;
  host_.control->transfer(CallRef{c->id, c->external_id}, number);
  emit(*c, event::TransferRequested{c->room, number});
  return {};
}

Result<void> ConferenceService::transfer_result(CallId id, bool ok) {
  Call* c = find(id);
  if (!c) return errc::not_found;
  if (ok) {
    end_call(*c, room::ExitReason::transferred, "transferred", std::nullopt);
  } else {
    emit(*c, event::TransferFailed{c->room, c->transfer_target});
  }
  forward_conference_events();
  sync();
  return {};
}

}  // namespace libconf::service
