// The IVR part of a call: prompts to the caller's leg, digits into its
// IvrSession, and the session's questions answered from the Conference.
#include <algorithm>
#include <array>

#include "libconf/room/pin.hpp"
#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"
#include "libconf/service/pin_verifier.hpp"

namespace libconf::service {

namespace {

QueueReason queue_reason(ivr::ExitReason reason) noexcept {
  switch (reason) {
    case ivr::ExitReason::requested: return QueueReason::requested;
    case ivr::ExitReason::no_input: return QueueReason::no_input;
    case ivr::ExitReason::invalid_input: return QueueReason::invalid_input;
    case ivr::ExitReason::wrong_pin: return QueueReason::wrong_pin;
    case ivr::ExitReason::room_unknown: return QueueReason::room_unknown;
    case ivr::ExitReason::locked_out: return QueueReason::locked_out;
  }
  return QueueReason::requested;
}

}  // namespace

void ConferenceService::start_ivr(Call& c, std::shared_ptr<const ivr::Menu> m, std::string_view preset_room) {
  c.state = CallState::ivr;
  c.ivr = std::make_unique<ivr::IvrSession>(std::move(m));
  // A route's room longer than an IVR entry cannot be typed either: the menu
  // then runs without it and asks for the room.
  if (!preset_room.empty()) (void)c.ivr->preset_room(preset_room);
  apply(c, c.ivr->start(now_ms_));
}

void ConferenceService::play_to(Call& c, std::string_view prompt_id, bool loop) {
  engine::PlayOptions o;
  o.to_leg = c.leg;
  o.loop = loop;
  auto id = engine_.play(c.lobby, prompts_.get(prompt_id), o);
  if (!id) {
    emit(c, event::PromptFailed{std::string(prompt_id), static_cast<errc>(id.error().value())});
    return;
  }
  playbacks_[*id] = c.id;
  if (loop) {
    c.moh = *id;
  } else {
    c.prompt = *id;
  }
}

void ConferenceService::stop_prompt(Call& c) {
  if (c.prompt) (void)engine_.stop_playback(c.prompt);  // not_found: it ended meanwhile
  c.prompt = 0;
}

// The decision stays on this thread (Conference::begin_admit / finish_admit);
// the Argon2id verification runs on the verifier's threads. The menu waits
// for the host's reply meanwhile (its waiting_host phase has no timeout).
void ConferenceService::check_pin(Call& c, const std::string& room, std::string_view pin) {
  auto start = conference_.begin_admit(room::AdmitRequest{c.tenant, room, c.caller_id, std::string(pin), c.name},
                                       now_ms_);
  if (!start) {
    admitted(c, room, start.error(), AdmitVia::ivr_pin);
    return;
  }
  if (start->decision) {
    admitted(c, room, *start->decision, AdmitVia::ivr_pin);
    return;
  }
  if (!start->check) {
    // The room verifies as many checks as it allows at once: this one waits its
    // turn in the Conference and comes back through take_ready_checks().
    pin_waits_[start->waiting_check] = PinWait{c.id, room};
    return;
  }
  pin_waits_[start->check->id] = PinWait{c.id, room};
  schedule_pin_check(std::move(*start->check));
}

void ConferenceService::schedule_pin_check(room::PinCheck check) {
  if (check.not_before_ms > now_ms_) {
    // The room's throttle gives this check a later slot: it waits here, not in the pool.
    deferred_.insert({check.not_before_ms, check.id});
    deferred_checks_.emplace(check.id, std::move(check));
    return;
  }
  submit_pin_check(std::move(check));
}

void ConferenceService::submit_pin_check(room::PinCheck check) {
  const std::uint64_t id = check.id;
  auto wait = pin_waits_.find(id);
  Call* c = wait == pin_waits_.end() ? nullptr : find(wait->second.call);
  if (!c) {
    // The caller hung up before its slot: nothing verified, the slot handed back.
    room::wipe_secret(check.pin);
    conference_.abandon_admit(id, std::nullopt, now_ms_);
    if (wait != pin_waits_.end()) pin_waits_.erase(wait);
    return;
  }
  if (verifier_->submit(std::move(check))) return;
  const std::string room = wait->second.room;
  pin_waits_.erase(wait);
  conference_.abandon_admit(id, std::nullopt, now_ms_);
  emit(*c, event::PinCheckRefused{room});
  room::AdmitDecision busy;
  busy.outcome = room::AdmitOutcome::locked_out;
  busy.retry_at_ms = now_ms_;
  admitted(*c, room, busy, AdmitVia::ivr_pin);
}

void ConferenceService::finish_pin_checks() {
  for (const detail::PinVerifier::Done& done : verifier_->take_done()) {
    auto wait = pin_waits_.find(done.id);
    if (wait == pin_waits_.end()) continue;
    const PinWait w = std::move(wait->second);
    pin_waits_.erase(wait);
    Call* c = find(w.call);
    if (!c || c->state != CallState::ivr || !c->ivr) {
      conference_.abandon_admit(done.id, done.match, now_ms_);  // a wrong PIN counts all the same
      continue;
    }
    admitted(*c, w.room, conference_.finish_admit(done.id, done.match, now_ms_), AdmitVia::ivr_pin);
  }
}

void ConferenceService::apply(Call& c, std::span<const ivr::Action> span) {
  // Copy: the span is only valid until the next call on the session.
  std::array<ivr::Action, ivr::IvrSession::kMaxActionsPerInput> actions{};
  const std::size_t n = std::min(span.size(), actions.size());
  std::copy_n(span.begin(), n, actions.begin());
  mark(c);
  for (std::size_t i = 0; i < n && c.state == CallState::ivr; ++i) {
    const ivr::Action& a = actions[i];
    if (const auto* p = std::get_if<ivr::PlayPrompt>(&a)) {
      play_to(c, p->id, false);
      emit(c, event::PromptStarted{std::string(p->id)});
    } else if (std::holds_alternative<ivr::StopPrompt>(a)) {
      stop_prompt(c);
    } else if (const auto* l = std::get_if<ivr::LookupRoom>(&a)) {
      const std::string room(l->room.view());
      auto v = conference_.room(c.tenant, room);
      const bool found = v && v->parent.empty();
      emit(c, event::RoomLookedUp{room, found});
      apply(c, c.ivr->on_host_reply(found ? ivr::HostReply::room_found() : ivr::HostReply::room_unknown(), now_ms_));
    } else if (const auto* k = std::get_if<ivr::CheckPin>(&a)) {
      check_pin(c, std::string(k->room.view()), k->pin.view());
    } else if (const auto* j = std::get_if<ivr::Join>(&a)) {
      if (c.pending) {
        const room::AdmitDecision d = *c.pending;
        c.pending.reset();
        place(c, d);
      } else {
        const std::string room(j->room.view());
        admitted(c, room, conference_.admit(room::AdmitRequest{c.tenant, room, c.caller_id, "", c.name}, now_ms_),
                 AdmitVia::ivr_join);
      }
    } else if (const auto* r = std::get_if<ivr::RouteToOperator>(&a)) {
      // A ticket means the Conference already queued this caller (room full or locked).
      if (c.ticket) {
        enqueue(c, c.ticket, c.queue_reason, c.queue_room);
      } else {
        enqueue(c, 0, queue_reason(r->reason), std::string(r->room.view()));
      }
    } else if (std::holds_alternative<ivr::RecordName>(a)) {
      // Records the caller's voice in its lobby; the menu goes on when '#',
      // the time limit or the end of the buffer stops it (finish_name_recording).
      start_name_recording(c);
    } else if (const auto* o = std::get_if<ivr::DialOut>(&a)) {
      // Invites are an in-room key or an API call, with an Actor to check.
      emit(c, event::DialRefused{"", std::string(o->number.view()), errc::permission_denied});
    } else if (const auto* h = std::get_if<ivr::Hangup>(&a)) {
      end_call(c, room::ExitReason::hangup, "menu: " + std::string(to_string(h->reason)), HangupCause::normal);
    }
  }
}

}  // namespace libconf::service
