// The IVR part of a call: prompts to the caller's leg, digits into its
// IvrSession, and the session's questions answered from the Conference.
#include <algorithm>
#include <array>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

void ConferenceService::start_ivr(Call& c, std::shared_ptr<const ivr::Menu> m, std::string_view preset_room) {
  c.state = CallState::ivr;
  c.ivr = std::make_unique<ivr::IvrSession>(std::move(m));
  if (!preset_room.empty()) (void)c.ivr->preset_room(preset_room);
  auto actions = c.ivr->start(now_ms_);
  apply(c, actions);
}

void ConferenceService::play_to(Call& c, std::string_view prompt_id, bool loop) {
  engine::PlayOptions o;
  o.to_leg = c.leg;
  o.loop = loop;
  auto id = engine_.play(c.lobby, prompts_.get(prompt_id), o);
  if (!id) {
    emit("prompt_failed", c.id, "", std::string(prompt_id) + ": " + id.error().message());
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
  if (c.prompt) (void)engine_.stop_playback(c.prompt);
  c.prompt = 0;
}

void ConferenceService::apply(Call& c, std::span<const ivr::Action> span) {
  // Copy: the span is only valid until the next call on the session.
  std::array<ivr::Action, ivr::IvrSession::kMaxActionsPerInput> actions{};
  const std::size_t n = std::min(span.size(), actions.size());
  std::copy_n(span.begin(), n, actions.begin());
  for (std::size_t i = 0; i < n && c.state == CallState::ivr; ++i) {
    const ivr::Action& a = actions[i];
    if (const auto* p = std::get_if<ivr::PlayPrompt>(&a)) {
      play_to(c, p->id, false);
      emit("ivr_prompt", c.id, "", std::string(p->id));
    } else if (std::holds_alternative<ivr::StopPrompt>(a)) {
      stop_prompt(c);
    } else if (const auto* l = std::get_if<ivr::LookupRoom>(&a)) {
      auto v = conference_.room(config_.tenant, std::string(l->room.view()));
      const bool found = v && v->parent.empty();
      emit("ivr_lookup", c.id, std::string(l->room.view()), found ? "found" : "unknown");
      apply(c, c.ivr->on_host_reply(found ? ivr::HostReply::room_found() : ivr::HostReply::room_unknown(), now_ms_));
    } else if (const auto* k = std::get_if<ivr::CheckPin>(&a)) {
      const std::string room(k->room.view());
      auto d = conference_.admit(room::AdmitRequest{config_.tenant, room, c.caller_id, std::string(k->pin.view()), c.name},
                                 now_ms_);
      ivr::HostReply reply = ivr::HostReply::room_unknown();
      if (d) {
        switch (d->outcome) {
          case room::AdmitOutcome::joined:
          case room::AdmitOutcome::overflow:
          case room::AdmitOutcome::wait_for_moderator:
            c.pending = *d;
            reply = ivr::HostReply::pin_ok(d->role);
            break;
          case room::AdmitOutcome::wrong_pin: reply = ivr::HostReply::pin_wrong(); break;
          case room::AdmitOutcome::locked_out: reply = ivr::HostReply::locked_out(); break;
          case room::AdmitOutcome::route_to_operator:
            // Room full or locked: the menu's locked-out path ends at the operator,
            // where the Conference already queued this caller.
            c.ticket = d->queue_ticket;
            c.queue_reason = make_error_code(d->reason).message();
            reply = ivr::HostReply::locked_out();
            break;
          case room::AdmitOutcome::denied:
            end_call(c, room::ExitReason::error, "access denied to room " + room);
            return;
        }
        emit("ivr_pin", c.id, room, std::string(to_string(d->outcome)));
      } else {
        emit("ivr_pin", c.id, room, "room unknown");
      }
      apply(c, c.ivr->on_host_reply(reply, now_ms_));
    } else if (const auto* j = std::get_if<ivr::Join>(&a)) {
      if (c.pending) {
        const room::AdmitDecision d = *c.pending;
        c.pending.reset();
        place(c, d);
      } else {
        auto d = conference_.admit(room::AdmitRequest{config_.tenant, std::string(j->room.view()), c.caller_id, "", c.name},
                                   now_ms_);
        if (d && (d->outcome == room::AdmitOutcome::joined || d->outcome == room::AdmitOutcome::overflow ||
                  d->outcome == room::AdmitOutcome::wait_for_moderator))
          place(c, *d);
        else if (d && d->outcome == room::AdmitOutcome::route_to_operator)
          enqueue(c, d->queue_ticket, make_error_code(d->reason).message());
        else
          enqueue(c, 0, d ? std::string(to_string(d->outcome)) : "room unknown");
      }
    } else if (const auto* r = std::get_if<ivr::RouteToOperator>(&a)) {
      const std::string why = c.ticket ? c.queue_reason : std::string(to_string(r->reason));
      enqueue(c, c.ticket, why);
    } else if (std::holds_alternative<ivr::RecordName>(a)) {
      // Records the caller's voice in its lobby; the menu goes on when '#',
      // the time limit or the end of the buffer stops it (finish_name_recording).
      start_name_recording(c);
    } else if (const auto* o = std::get_if<ivr::DialOut>(&a)) {
      emit("dial_refused", c.id, "", "dial-out from the menu is not offered: " + std::string(o->number.view()));
    } else if (const auto* h = std::get_if<ivr::Hangup>(&a)) {
      end_call(c, room::ExitReason::hangup, "menu: " + std::string(to_string(h->reason)));
    }
  }
}

}  // namespace libconf::service
