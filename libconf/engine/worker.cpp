#include "libconf/engine/worker.hpp"

#include <algorithm>

namespace libconf::engine::detail {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
}  // namespace

Worker::Worker(std::size_t command_queue, std::size_t event_queue)
    : commands_(command_queue), events_(event_queue), retired_(command_queue * 2) {
  rooms_.reserve(1024);
}

void Worker::emit(const Event& event) noexcept {
  Event copy = event;
  if (!events_.try_push(copy)) dropped_events_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::fail(errc error, RoomId room, LegId leg, std::int64_t now_us) noexcept {
  Event e;
  e.kind = EventKind::command_failed;
  e.error = error;
  e.room = room;
  e.leg = leg;
  e.time_us = now_us;
  emit(e);
}

void Worker::retire(Retired item) noexcept {
  // The retire queue is twice the command queue: every command retires at
  // most two items before the host collects. Should it still be full, the
  // item is destroyed here (rare; costs a free on the media thread).
  if (!retired_.try_push(item)) item = std::monostate{};
}

void Worker::collect_garbage() {
  Retired item;
  while (retired_.try_pop(item)) item = std::monostate{};
}

Room* Worker::room(RoomId id) noexcept {
  for (auto& r : rooms_)
    if (r->id() == id) return r.get();
  return nullptr;
}

Room* Worker::room_of_leg(LegId leg) noexcept {
  for (auto& r : rooms_)
    if (r->find(leg)) return r.get();
  return nullptr;
}

void Worker::apply(Command& command, std::int64_t now_us) noexcept {
  std::visit(
      Overloaded{
          [](std::monostate&) {},
          [&](AddRoomCmd& c) {
            Event e;
            e.kind = EventKind::room_created;
            e.room = c.room->id();
            e.time_us = now_us;
            rooms_.push_back(std::move(c.room));
            emit(e);
          },
          [&](CloseRoomCmd& c) {
            auto it = std::find_if(rooms_.begin(), rooms_.end(), [&](auto& r) { return r->id() == c.room; });
            if (it == rooms_.end()) return fail(errc::not_found, c.room, kNoLeg, now_us);
            for (auto& leg : (*it)->detach_all(now_us, *this)) retire(std::move(leg));
            for (PromptPtr& p : (*it)->finished_prompts()) retire(std::move(p));
            if ((*it)->recording()) retire((*it)->take_recorder());
            retire(std::move(*it));
            rooms_.erase(it);
            Event e;
            e.kind = EventKind::room_closed;
            e.room = c.room;
            e.time_us = now_us;
            emit(e);
          },
          [&](AddLegCmd& c) {
            Room* r = room(c.room);
            const LegId id = c.leg->id();
            if (!r) {
              fail(errc::not_found, c.room, id, now_us);
              retire(std::move(c.leg));
            } else if (auto res = r->attach(std::move(c.leg), *c.parts, now_us, *this, false, kNoRoom); !res) {
              fail(static_cast<errc>(res.error().value()), c.room, id, now_us);
            }
            if (c.leg) retire(std::move(c.leg));
            retire(std::move(c.parts));
          },
          [&](RemoveLegCmd& c) {
            Room* r = room_of_leg(c.leg);
            if (!r) return fail(errc::not_found, kNoRoom, c.leg, now_us);
            retire(r->detach(c.leg, now_us, *this, false));
          },
          [&](MoveOutCmd& c) {
            Room* r = room_of_leg(c.leg);
            if (!r) {
              fail(errc::not_found, kNoRoom, c.leg, now_us);
              retire(std::move(c.rate_parts));
              retire(std::move(c.parts));
              return;
            }
            std::unique_ptr<Leg> leg = r->detach(c.leg, now_us, *this, true);
            leg->swap_room_parts(*c.rate_parts);  // rate_parts now holds the old ones
            retire(std::move(c.rate_parts));
            Command in = MoveInCmd{c.to, r->id(), std::move(leg), std::move(c.parts)};
            if (c.target == this) {
              apply(in, now_us);
            } else if (!c.target->post(in)) {
              fail(errc::capacity_exceeded, c.to, c.leg, now_us);
              auto& mi = std::get<MoveInCmd>(in);
              retire(std::move(mi.leg));
              retire(std::move(mi.parts));
            }
          },
          [&](MoveInCmd& c) {
            Room* r = room(c.room);
            const LegId id = c.leg->id();
            if (!r) {
              fail(errc::not_found, c.room, id, now_us);
            } else if (auto res = r->attach(std::move(c.leg), *c.parts, now_us, *this, true, c.from); !res) {
              fail(static_cast<errc>(res.error().value()), c.room, id, now_us);
            }
            if (c.leg) retire(std::move(c.leg));
            retire(std::move(c.parts));
          },
          [&](SetMixCmd& c) {
            Room* r = room_of_leg(c.leg);
            if (!r) return fail(errc::not_found, kNoRoom, c.leg, now_us);
            if (auto res = r->set_mix_state(c.leg, c.state, now_us, *this); !res)
              fail(static_cast<errc>(res.error().value()), r->id(), c.leg, now_us);
          },
          [&](WhisperCmd& c) {
            Room* r = room_of_leg(c.from);
            auto res = r ? r->whisper(c.from, c.to, c.gain_db, c.on) : Result<void>{errc::not_found};
            if (!res) return fail(static_cast<errc>(res.error().value()), r ? r->id() : kNoRoom, c.from, now_us);
            Event e;
            e.kind = c.on ? EventKind::whisper_started : EventKind::whisper_stopped;
            e.room = r->id();
            e.leg = c.from;
            e.other_leg = c.to;
            e.time_us = now_us;
            emit(e);
          },
          [&](SourceGainCmd& c) {
            Room* r = room_of_leg(c.listener);
            auto res = r ? r->source_gain(c.listener, c.source, c.gain_db) : Result<void>{errc::not_found};
            if (!res) return fail(static_cast<errc>(res.error().value()), r ? r->id() : kNoRoom, c.listener, now_us);
            Event e;
            e.kind = EventKind::source_gain_changed;
            e.room = r->id();
            e.leg = c.listener;
            e.other_leg = c.source;
            e.value = static_cast<std::int32_t>(c.gain_db * 100.0f);
            e.time_us = now_us;
            emit(e);
          },
          [&](PlayCmd& c) {
            Room* r = room(c.room);
            auto res = r ? r->start_player(c.id, c.prompt, c.options, now_us, *this) : Result<void>{errc::not_found};
            if (!res) {
              Event e;
              e.kind = EventKind::playback_done;
              e.room = c.room;
              e.leg = c.options.to_leg;
              e.other_leg = c.id;
              e.value = 2;
              e.error = static_cast<errc>(res.error().value());
              e.time_us = now_us;
              emit(e);
            }
            retire(std::move(c.prompt));  // the player holds its own reference
          },
          [&](StopPlayCmd& c) {
            for (auto& r : rooms_)
              if (r->stop_player(c.id, 1, now_us, *this)) return;
            fail(errc::not_found, kNoRoom, kNoLeg, now_us);
          },
          [&](RecordCmd& c) {
            Room* r = room(c.room);
            if (!r) {
              retire(std::move(c.recorder));
              return fail(errc::not_found, c.room, kNoLeg, now_us);
            }
            Event e;
            e.room = c.room;
            e.time_us = now_us;
            if (c.recorder) {
              if (r->recording()) {
                retire(std::move(c.recorder));
                return fail(errc::already_exists, c.room, kNoLeg, now_us);
              }
              r->set_recorder(std::move(c.recorder));
              e.kind = EventKind::recording_started;
            } else {
              if (!r->recording()) return fail(errc::not_found, c.room, kNoLeg, now_us);
              retire(r->take_recorder());
              e.kind = EventKind::recording_stopped;
            }
            emit(e);
          },
      },
      command);
}

void Worker::tick(std::uint64_t tick_index, std::int64_t now_us, const Engine::OutputTap* tap) noexcept {
  Command command;
  while (commands_.try_pop(command)) {
    apply(command, now_us);
    command = std::monostate{};
  }
  for (auto& r : rooms_) {
    r->tick(tick_index, now_us, *this, tap);
    for (PromptPtr& p : r->finished_prompts()) retire(std::move(p));
    r->clear_finished_prompts();
  }
}

}  // namespace libconf::engine::detail
