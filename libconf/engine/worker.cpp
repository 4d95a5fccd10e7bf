#include "libconf/engine/worker.hpp"

#include <algorithm>
#include <chrono>

namespace libconf::engine::detail {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::int64_t steady_us() noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void atomic_max(std::atomic<std::int64_t>& a, std::int64_t v) noexcept {
  std::int64_t cur = a.load(std::memory_order_relaxed);
  while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}
}  // namespace

Worker::Worker(std::size_t command_queue, std::size_t event_queue, std::size_t commands_per_tick)
    : budget_(commands_per_tick),
      commands_(command_queue),
      events_(event_queue),
      // A command retires at most four items (UpdateLegCmd: change, parts;
      // MoveIn: handoff, parts...); the host collects every tick and poll.
      retired_(command_queue * 4),
      tick_us_(std::make_unique<std::atomic<std::uint32_t>[]>(kTickWindow)) {}

Worker::~Worker() {
  while (rooms_) (void)unlink(rooms_);  // destroyed here, on the host thread
}

bool Worker::reserve(std::size_t commands, std::size_t events) noexcept {
  if (!commands_.try_reserve(commands)) return false;
  if (!events_.try_reserve(events)) {
    commands_.release(commands);
    return false;
  }
  return true;
}

void Worker::unreserve(std::size_t commands, std::size_t events) noexcept {
  commands_.release(commands);
  events_.release(events);
}

void Worker::post_reserved(Command& command) noexcept { (void)commands_.push_reserved(command); }

void Worker::emit(const Event& event) noexcept {
  Event copy = event;
  if (!is_critical(event.kind)) {
    if (!events_.try_push(copy)) dropped_events_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // A critical event was paid for when its command was posted: playback_done
  // by its PlayCmd's extra unit, every other one by the command being applied.
  bool reserved = event.kind == EventKind::playback_done;
  if (!reserved && apply_units_ > 0) {
    --apply_units_;
    reserved = true;
  }
  const bool pushed = reserved ? events_.push_reserved(copy) : events_.try_push(copy);
  if (!pushed) critical_dropped_.fetch_add(1, std::memory_order_relaxed);
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
  // Sized for what a full command queue retires; should it still be full
  // (the host stopped collecting), the item is destroyed here and counted.
  if (!retired_.try_push(item)) {
    item = std::monostate{};
    retired_on_worker_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Worker::collect_garbage() {
  Retired item;
  while (retired_.try_pop(item)) item = std::monostate{};
}

void Worker::link(std::unique_ptr<Room> room) noexcept {
  Room* r = room.release();
  r->next = rooms_;
  if (rooms_) rooms_->prev = r;
  rooms_ = r;
  room_count_.fetch_add(1, std::memory_order_relaxed);
}

std::unique_ptr<Room> Worker::unlink(Room* r) noexcept {
  if (r->prev) r->prev->next = r->next;
  else rooms_ = r->next;
  if (r->next) r->next->prev = r->prev;
  r->prev = r->next = nullptr;
  room_count_.fetch_sub(1, std::memory_order_relaxed);
  return std::unique_ptr<Room>(r);
}

void Worker::apply_add_room(AddRoomCmd& c, std::int64_t now_us) noexcept {
  Event e;
  e.kind = EventKind::room_created;
  e.room = c.room->id();
  e.time_us = now_us;
  link(std::move(c.room));
  emit(e);
}

void Worker::apply_close_room(CloseRoomCmd& c, std::int64_t now_us) noexcept {
  Room& r = *c.room;
  const RoomId id = r.id();
  const std::size_t legs = r.leg_count();
  r.detach_all(now_us, *this, [&](std::unique_ptr<Leg> leg) { retire(std::move(leg)); });
  leg_count_.fetch_sub(legs, std::memory_order_relaxed);
  for (PromptPtr& p : r.finished_prompts()) retire(std::move(p));
  r.clear_finished_prompts();
  if (r.recording()) retire(r.take_recorder());
  retire(unlink(&r));
  Event e;
  e.kind = EventKind::room_closed;
  e.room = id;
  e.time_us = now_us;
  emit(e);
}

void Worker::apply_add_leg(AddLegCmd& c, std::int64_t now_us) noexcept {
  const LegId id = c.leg->id();
  if (auto res = c.room->attach(c.leg, *c.parts, now_us, *this, false, kNoRoom); !res)
    fail(static_cast<errc>(res.error().value()), c.room->id(), id, now_us);
  else
    leg_count_.fetch_add(1, std::memory_order_relaxed);
  if (c.leg) retire(std::move(c.leg));
  retire(std::move(c.parts));
}

void Worker::apply_remove_leg(RemoveLegCmd& c, std::int64_t now_us) noexcept {
  std::unique_ptr<Leg> leg = c.room->detach(c.leg, now_us, *this, false);
  if (!leg) return fail(errc::not_found, c.room->id(), c.leg, now_us);
  leg_count_.fetch_sub(1, std::memory_order_relaxed);
  retire(std::move(leg));
}

void Worker::apply_move_out(MoveOutCmd& c, std::int64_t now_us) noexcept {
  std::unique_ptr<Leg> leg = c.room->detach(c.leg, now_us, *this, true);
  if (!leg) {
    fail(errc::not_found, c.room->id(), c.leg, now_us);
    c.handoff->state.store(Handoff::failed, std::memory_order_release);
  } else {
    leg_count_.fetch_sub(1, std::memory_order_relaxed);
    leg->swap_room_parts(*c.rate_parts);  // rate_parts now holds the old ones
    leg->hand_over();
    c.handoff->leg = std::move(leg);
    c.handoff->state.store(Handoff::ready, std::memory_order_release);  // the target may take it from here on
  }
  retire(std::move(c.rate_parts));
}

bool Worker::apply_move_in(MoveInCmd& c, std::int64_t now_us) noexcept {
  const int state = c.handoff->state.load(std::memory_order_acquire);
  if (state == Handoff::pending) return false;
  if (state == Handoff::ready) {
    if (auto res = c.room->attach(c.handoff->leg, *c.parts, now_us, *this, true, c.from); !res)
      fail(static_cast<errc>(res.error().value()), c.room->id(), c.leg, now_us);
    else
      leg_count_.fetch_add(1, std::memory_order_relaxed);
  } else {
    fail(errc::not_found, c.room->id(), c.leg, now_us);
  }
  retire(std::move(c.handoff));  // with the leg in it, should attach have refused it
  retire(std::move(c.parts));
  return true;
}

void Worker::apply_set_mix(SetMixCmd& c, std::int64_t now_us) noexcept {
  if (auto res = c.room->set_mix_state(c.leg, c.state, now_us, *this); !res)
    fail(static_cast<errc>(res.error().value()), c.room->id(), c.leg, now_us);
}

void Worker::apply_whisper(WhisperCmd& c, std::int64_t now_us) noexcept {
  if (auto res = c.room->whisper(c.from, c.to, c.gain_db, c.on); !res)
    return fail(static_cast<errc>(res.error().value()), c.room->id(), c.from, now_us);
  Event e;
  e.kind = c.on ? EventKind::whisper_started : EventKind::whisper_stopped;
  e.room = c.room->id();
  e.leg = c.from;
  e.other_leg = c.to;
  e.time_us = now_us;
  emit(e);
}

void Worker::apply_source_gain(SourceGainCmd& c, std::int64_t now_us) noexcept {
  if (auto res = c.room->source_gain(c.listener, c.source, c.gain_db); !res)
    return fail(static_cast<errc>(res.error().value()), c.room->id(), c.listener, now_us);
  Event e;
  e.kind = EventKind::source_gain_changed;
  e.room = c.room->id();
  e.leg = c.listener;
  e.other_leg = c.source;
  e.value = static_cast<std::int32_t>(c.gain_db * 100.0f);
  e.time_us = now_us;
  emit(e);
}

void Worker::apply_update_leg(UpdateLegCmd& c, std::int64_t now_us) noexcept {
  if (auto res = c.room->update_leg(c.leg, *c.change, c.parts.get(), now_us, *this); !res)
    fail(static_cast<errc>(res.error().value()), c.room->id(), c.leg, now_us);
  retire(std::move(c.change));  // now holding the replaced parts
  if (c.parts) retire(std::move(c.parts));
}

void Worker::apply_play(PlayCmd& c, std::int64_t now_us) noexcept {
  if (auto res = c.room->start_player(c.id, c.prompt, c.options, now_us, *this); !res) {
    Event e;
    e.kind = EventKind::playback_done;
    e.room = c.room->id();
    e.leg = c.options.to_leg;
    e.other_leg = c.id;
    e.value = 2;
    e.error = static_cast<errc>(res.error().value());
    e.time_us = now_us;
    emit(e);
  }
  retire(std::move(c.prompt));  // the player holds its own reference
}

void Worker::apply_stop_play(StopPlayCmd& c, std::int64_t now_us) noexcept {
  if (!c.room->stop_player(c.id, 1, now_us, *this)) fail(errc::not_found, c.room->id(), kNoLeg, now_us);
}

void Worker::apply_record(RecordCmd& c, std::int64_t now_us) noexcept {
  Room& r = *c.room;
  Event e;
  e.room = r.id();
  e.time_us = now_us;
  if (c.recorder) {
    if (r.recording()) {
      retire(std::move(c.recorder));
      return fail(errc::already_exists, r.id(), kNoLeg, now_us);
    }
    r.set_recorder(std::move(c.recorder));
    e.kind = EventKind::recording_started;
  } else {
    if (!r.recording()) return fail(errc::not_found, r.id(), kNoLeg, now_us);
    retire(r.take_recorder());
    e.kind = EventKind::recording_stopped;
  }
  emit(e);
}

void Worker::apply(Command& command, std::int64_t now_us) noexcept {
  apply_units_ = command.events;
  std::visit(Overloaded{
                 [](std::monostate&) {},
                 [&](AddRoomCmd& c) { apply_add_room(c, now_us); },
                 [&](CloseRoomCmd& c) { apply_close_room(c, now_us); },
                 [&](AddLegCmd& c) { apply_add_leg(c, now_us); },
                 [&](RemoveLegCmd& c) { apply_remove_leg(c, now_us); },
                 [&](MoveOutCmd& c) { apply_move_out(c, now_us); },
                 [&](MoveInCmd& c) { (void)apply_move_in(c, now_us); },
                 [&](SetMixCmd& c) { apply_set_mix(c, now_us); },
                 [&](WhisperCmd& c) { apply_whisper(c, now_us); },
                 [&](SourceGainCmd& c) { apply_source_gain(c, now_us); },
                 [&](UpdateLegCmd& c) { apply_update_leg(c, now_us); },
                 [&](PlayCmd& c) { apply_play(c, now_us); },
                 [&](StopPlayCmd& c) { apply_stop_play(c, now_us); },
                 [&](RecordCmd& c) { apply_record(c, now_us); },
             },
             command.body);
  events_.release(apply_units_);  // reserved for outcomes that did not happen
  apply_units_ = 0;
  command = Command{};
  commands_applied_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::apply_commands(std::int64_t now_us) noexcept {
  // Commands apply in order. A move-in whose leg is still in its old room
  // (the other worker has not reached the move-out yet) waits, and holds
  // every later command back with it: what the host asked after the move
  // then finds the leg where it expects it.
  std::size_t applied = 0;
  if (has_waiting_) {
    if (std::get<MoveInCmd>(waiting_.body).handoff->state.load(std::memory_order_acquire) == Handoff::pending) return;
    apply(waiting_, now_us);
    has_waiting_ = false;
    ++applied;
  }
  Command command;
  while (applied < budget_ && commands_.try_pop(command)) {
    ++applied;
    if (auto* in = std::get_if<MoveInCmd>(&command.body);
        in && in->handoff->state.load(std::memory_order_acquire) == Handoff::pending) {
      waiting_ = std::move(command);
      has_waiting_ = true;
      return;
    }
    apply(command, now_us);
  }
  if (applied == budget_ && commands_.used() > 0) deferred_ticks_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::record_tick(std::int64_t duration_us, std::int64_t lateness_us, int ptime_ms) noexcept {
  const std::uint64_t n = ticks_.fetch_add(1, std::memory_order_relaxed);
  tick_us_[n % kTickWindow].store(static_cast<std::uint32_t>(std::clamp<std::int64_t>(duration_us, 0, 0xffffffff)),
                                  std::memory_order_relaxed);
  const std::int64_t ptime_us = std::int64_t{ptime_ms} * 1000;
  if (duration_us > ptime_us) overruns_.fetch_add(1, std::memory_order_relaxed);
  if (lateness_us > ptime_us / 4) late_ticks_.fetch_add(1, std::memory_order_relaxed);
  atomic_max(max_late_us_, lateness_us);
}

void Worker::tick(std::uint64_t tick_index, std::int64_t now_us, std::int64_t lateness_us, int ptime_ms,
                  const Engine::OutputTap* tap) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);  // one thread at a time: the worker's, or the host's that calls Engine::tick()
  audio::detail::ScopedSequence sequence(this);  // rooms and legs belong to this worker, whichever thread runs it
  const std::int64_t start = steady_us();
  apply_commands(now_us);
  for (Room* r = rooms_; r; r = r->next) {
    r->tick(tick_index, now_us, *this, tap);
    for (PromptPtr& p : r->finished_prompts()) retire(std::move(p));
    r->clear_finished_prompts();
  }
  record_tick(steady_us() - start, lateness_us, ptime_ms);
}

WorkerHealth Worker::health(int ptime_ms) const {
  WorkerHealth h;
  h.rooms = room_count_.load(std::memory_order_relaxed);
  h.legs = leg_count_.load(std::memory_order_relaxed);
  h.ticks = ticks_.load(std::memory_order_relaxed);
  h.late_ticks = late_ticks_.load(std::memory_order_relaxed);
  h.overruns = overruns_.load(std::memory_order_relaxed);
  h.skipped_ticks = skipped_ticks_.load(std::memory_order_relaxed);
  h.max_late_us = max_late_us_.load(std::memory_order_relaxed);
  h.events_dropped = dropped_events_.load(std::memory_order_relaxed);
  h.critical_events_dropped = critical_dropped_.load(std::memory_order_relaxed);
  h.budget_deferred_ticks = deferred_ticks_.load(std::memory_order_relaxed);
  h.retired_on_worker = retired_on_worker_.load(std::memory_order_relaxed);
  h.commands_applied = commands_applied_.load(std::memory_order_relaxed);
  h.commands_queued = commands_.used();
  h.events_queued = events_.used();
  const std::size_t window = static_cast<std::size_t>(std::min<std::uint64_t>(h.ticks, kTickWindow));
  if (window > 0) {
    std::vector<std::uint32_t> d(window);
    for (std::size_t i = 0; i < window; ++i) d[i] = tick_us_[i].load(std::memory_order_relaxed);
    std::sort(d.begin(), d.end());
    h.tick_p50_us = d[(window - 1) / 2];
    h.tick_p99_us = d[(window - 1) * 99 / 100];
    h.tick_max_us = d.back();
    double sum = 0;
    for (std::uint32_t v : d) sum += v;
    h.load = sum / static_cast<double>(window) / (ptime_ms * 1000.0);
  }
  return h;
}

}  // namespace libconf::engine::detail
