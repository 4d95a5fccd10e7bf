#include "libconf/engine/room.hpp"

#include <algorithm>

namespace libconf::engine::detail {

namespace {
mix::MixerConfig mixer_config(const RoomConfig& c, int ptime_ms) {
  mix::MixerConfig m;
  m.sample_rate_hz = c.sample_rate_hz;
  m.ptime_ms = ptime_ms;
  m.max_legs = c.max_legs + Engine::kMaxPlaybacksPerRoom;  // players use mixer slots too
  m.top_n = c.top_n;
  m.talker_hysteresis_db = c.talker_hysteresis_db;
  m.max_edges = std::max<std::size_t>(16, c.max_legs);
  return m;
}

Event event(EventKind kind, RoomId room, LegId leg, std::int64_t now_us) {
  Event e;
  e.kind = kind;
  e.room = room;
  e.leg = leg;
  e.time_us = now_us;
  return e;
}
}  // namespace

Room::Room(RoomId id, const RoomConfig& config, int ptime_ms)
    : id_(id), config_(config), ptime_ms_(ptime_ms), mixer_(mixer_config(config, ptime_ms)) {
  slots_.resize(config.max_legs + Engine::kMaxPlaybacksPerRoom);
  // Two groups (shared, silent) for kMaxCodecKeys codec settings; a leg with
  // one more encodes for itself (the vector never grows on the worker).
  streams_.reserve(2 * kMaxCodecKeys);
}

std::int32_t Room::slot_of(LegId id) const noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].leg && slots_[i].leg->id() == id) return static_cast<std::int32_t>(i);
  return -1;
}

Leg* Room::find(LegId id) noexcept {
  const std::int32_t s = slot_of(id);
  return s < 0 ? nullptr : slots_[static_cast<std::size_t>(s)].leg.get();
}

std::int32_t Room::stream_index(std::uint32_t group, const CodecKey& key) const noexcept {
  for (std::size_t i = 0; i < streams_.size(); ++i)
    if (streams_[i]->group == group && streams_[i]->key == key) return static_cast<std::int32_t>(i);
  return -1;
}

void Room::resolve_streams(Slot& s, JoinParts* parts) noexcept {
  for (std::uint32_t g : {mix::kSharedGroup, mix::kSilentGroup}) {
    std::int32_t idx = stream_index(g, s.leg->codec_key());
    if (idx < 0 && parts && streams_.size() < streams_.capacity()) {
      for (auto& candidate : parts->streams) {
        if (candidate && candidate->group == g && candidate->key == s.leg->codec_key()) {
          streams_.push_back(std::move(candidate));
          idx = static_cast<std::int32_t>(streams_.size() - 1);
          break;
        }
      }
    }
    s.streams[g == mix::kSharedGroup ? 0 : 1] = idx;  // -1: the leg encodes for itself
  }
}

Result<void> Room::attach(std::unique_ptr<Leg>& leg, JoinParts& parts, std::int64_t now_us, EventSink& events,
                          bool moved, RoomId from_room) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  // The engine reserves capacity when add_leg/move_leg is called: refusing
  // here would be a bug in that reservation.
  if (legs_ >= config_.max_legs) return errc::capacity_exceeded;
  const Result<mix::LegId> slot = mixer_.add_leg();
  if (!slot) return slot.error();
  (void)mixer_.set_state(*slot, leg->mix_state());
  Slot& s = slots_[*slot];
  const LegId id = leg->id();
  s.leg = std::move(leg);
  resolve_streams(s, &parts);
  ++legs_;
  Event e = event(moved ? EventKind::leg_moved : EventKind::leg_joined, id_, id, now_us);
  e.other_room = from_room;
  events.emit(e);
  return {};
}

std::unique_ptr<Leg> Room::detach(LegId id, std::int64_t now_us, EventSink& events, bool moved) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  const std::int32_t s = slot_of(id);
  if (s < 0) return nullptr;
  Slot& slot = slots_[static_cast<std::size_t>(s)];
  for (Player& p : players_)
    if (p.active && p.options.to_leg == id) end_player(p, 2, now_us, events);
  slot.leg->stop_talking(now_us, id_, events);
  --legs_;
  (void)mixer_.remove_leg(static_cast<mix::LegId>(s));
  Event e = event(EventKind::leg_left, id_, id, now_us);
  e.value = moved ? 1 : 0;
  events.emit(e);
  std::unique_ptr<Leg> leg = std::move(slot.leg);
  slot = Slot{};
  return leg;
}

void Room::end_all_players(std::int64_t now_us, EventSink& events) noexcept {
  for (Player& p : players_)
    if (p.active) end_player(p, 2, now_us, events);
}

Result<void> Room::set_mix_state(LegId id, const mix::LegMixState& state, std::int64_t now_us,
                                 EventSink& events) noexcept {
  const std::int32_t s = slot_of(id);
  if (s < 0) return errc::not_found;
  if (auto r = mixer_.set_state(static_cast<mix::LegId>(s), state); !r) return r;
  Leg& leg = *slots_[static_cast<std::size_t>(s)].leg;
  leg.set_mix_state(state);
  if (state.muted || state.listen_only) leg.stop_talking(now_us, id_, events);
  Event e = event(EventKind::mix_state_changed, id_, id, now_us);
  e.value = (state.muted ? kFlagMuted : 0) | (state.deaf ? kFlagDeaf : 0) | (state.listen_only ? kFlagListenOnly : 0);
  events.emit(e);
  return {};
}

Result<void> Room::update_leg(LegId id, LegChange& change, JoinParts* parts, std::int64_t now_us,
                              EventSink& events) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  const std::int32_t i = slot_of(id);
  if (i < 0) return errc::not_found;
  Slot& s = slots_[static_cast<std::size_t>(i)];
  s.leg->apply(change, now_us, id_, events);
  if (change.media) resolve_streams(s, parts);
  Event e = event(EventKind::leg_updated, id_, id, now_us);
  e.value = static_cast<std::int32_t>(s.leg->direction());
  events.emit(e);
  return {};
}

Result<void> Room::whisper(LegId from, LegId to, float gain_db, bool on) noexcept {
  const std::int32_t a = slot_of(from), b = slot_of(to);
  if (a < 0 || b < 0) return errc::not_found;
  const auto fa = static_cast<mix::LegId>(a), fb = static_cast<mix::LegId>(b);
  return on ? mixer_.add_whisper(fa, fb, gain_db) : mixer_.remove_whisper(fa, fb);
}

Result<void> Room::source_gain(LegId listener, LegId source, float gain_db) noexcept {
  const std::int32_t a = slot_of(listener), b = slot_of(source);
  if (a < 0 || b < 0) return errc::not_found;
  return mixer_.set_source_gain(static_cast<mix::LegId>(a), static_cast<mix::LegId>(b), gain_db);
}

Result<void> Room::start_player(PlaybackId id, PromptPtr prompt, const PlayOptions& options, std::int64_t now_us,
                                EventSink& events) noexcept {
  Player* free = nullptr;
  for (Player& p : players_)
    if (!p.active) {
      free = &p;
      break;
    }
  if (!free) return errc::capacity_exceeded;
  std::int32_t target = -1;
  if (options.to_leg != kNoLeg) {
    target = slot_of(options.to_leg);
    if (target < 0) return errc::not_found;
  }
  const Result<mix::LegId> slot = mixer_.add_leg();
  if (!slot) return slot.error();
  mix::LegMixState st;
  st.deaf = true;  // a player hears nothing and sends nothing
  st.talk_gain_db = options.gain_db;
  st.listen_only = options.to_leg != kNoLeg;
  (void)mixer_.set_state(*slot, st);
  if (target >= 0) {
    if (auto r = mixer_.add_whisper(*slot, static_cast<mix::LegId>(target), options.gain_db); !r) {
      (void)mixer_.remove_leg(*slot);
      return r;
    }
  }
  *free = Player{true, id, std::move(prompt), 0, options, *slot};
  Event e = event(EventKind::playback_started, id_, options.to_leg, now_us);
  e.other_leg = id;
  events.emit(e);
  return {};
}

void Room::end_player(Player& p, int reason, std::int64_t now_us, EventSink& events) noexcept {
  (void)mixer_.remove_leg(p.slot);
  if (finished_count_ < finished_.size()) finished_[finished_count_++] = std::move(p.prompt);
  Event e = event(EventKind::playback_done, id_, p.options.to_leg, now_us);
  e.other_leg = p.id;
  e.value = reason;
  events.emit(e);
  p = Player{};
}

bool Room::stop_player(PlaybackId id, int reason, std::int64_t now_us, EventSink& events) noexcept {
  for (Player& p : players_)
    if (p.active && p.id == id) {
      end_player(p, reason, now_us, events);
      return true;
    }
  return false;
}

void Room::play_prompts() noexcept {
  const std::size_t frame = mixer_.frame_samples();
  for (Player& p : players_) {
    if (!p.active) continue;
    std::span<std::int16_t> in = mixer_.input(p.slot);
    const auto& samples = p.prompt->samples;
    for (std::size_t i = 0; i < frame; ++i) {
      if (p.position >= samples.size() && p.options.loop) p.position = 0;
      in[i] = p.position < samples.size() ? samples[p.position++] : std::int16_t{0};
    }
    // A room-wide prompt always wins a talker slot; one for a leg is a whisper.
    mixer_.set_voice(p.slot, p.options.to_leg == kNoLeg, 100.0f);
  }
}

void Room::send_to_legs(std::uint64_t tick_index, const Engine::OutputTap* tap) noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (!s.leg) continue;
    const auto id = static_cast<mix::LegId>(i);
    const std::uint32_t group = mixer_.output_group(id);
    const std::span<const std::int16_t> heard = mixer_.output(id);
    if (tap && *tap) (*tap)(id_, s.leg->id(), heard);
    const std::int32_t stream_idx = !config_.share_encoded_output ? -1
                                    : group == mix::kSharedGroup  ? s.streams[0]
                                    : group == mix::kSilentGroup  ? s.streams[1]
                                                                  : -1;
    if (!s.leg->sends()) {
      s.leg->send_nothing();  // on hold: the peer gets no audio, its RTP clock runs on
    } else if (stream_idx < 0) {
      s.leg->send_unique(heard);
    } else {
      SharedStream& st = *streams_[static_cast<std::size_t>(stream_idx)];
      if (st.encoded_tick != tick_index) {
        st.encoded_tick = tick_index;
        st.size = 0;
        if (st.from_room.process(heard, st.pcm)) {
          const Result<std::size_t> n = st.encoder->encode(st.pcm, st.bytes);
          if (n) st.size = *n;
        }
      }
      if (st.size > 0) s.leg->send_shared({st.bytes.data(), st.size});
    }
    s.leg->publish_stats(group);
  }
}

void Room::tick(std::uint64_t tick_index, std::int64_t now_us, EventSink& events,
                const Engine::OutputTap* tap) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  if (mixer_.leg_count() == 0) return;  // an empty room costs nothing
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (!s.leg) continue;
    const auto id = static_cast<mix::LegId>(i);
    s.leg->receive(now_us, id_, mixer_.input(id), events);
    mixer_.set_voice(id, s.leg->talking(), s.leg->level_dbfs());
  }
  play_prompts();
  mixer_.mix();
  if (recorder_) {
    recorder_->on_frame(id_, now_us, mixer_.shared_output());
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].leg) recorder_->on_track(id_, slots_[i].leg->id(), now_us, mixer_.input(static_cast<mix::LegId>(i)));
  }
  for (Player& p : players_)
    if (p.active && !p.options.loop && p.position >= p.prompt->samples.size()) end_player(p, 0, now_us, events);
  send_to_legs(tick_index, tap);
}

}  // namespace libconf::engine::detail
