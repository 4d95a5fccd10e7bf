// The IVR part of a call: prompts to the caller's leg, digits into its
// IvrSession, and the session's questions answered from the Conference.
#include <algorithm>
#include <array>

#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

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

void ConferenceService::check_pin(Call& c, const std::string& room, std::string_view pin) {
  admitted(c, room,
           conference_.admit(room::AdmitRequest{c.tenant, room, c.caller_id, std::string(pin), c.name}, now_ms_),
           AdmitVia::ivr_pin);
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
