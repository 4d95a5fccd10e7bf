#include "libconf/engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "libconf/audio/format.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/engine/worker.hpp"

namespace libconf::engine {

using detail::Command;
using detail::Worker;

namespace {

bool set_why(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  return false;
}

// RoomConfig limits (the mixer's slots and edges are sized from them).
constexpr std::size_t kMaxRoomLegs = 65000;
constexpr std::size_t kMaxTopN = 64;

Result<void> check_room_config(const RoomConfig& c, std::string* why) {
  const std::string room = "RoomConfig '" + c.name + "': ";
  if (!audio::is_supported_sample_rate(c.sample_rate_hz)) {
    set_why(why, room + "sample_rate_hz " + std::to_string(c.sample_rate_hz) + " is not 8000/16000/24000/32000/48000");
    return errc::unsupported_sample_rate;
  }
  if (c.max_legs < 1 || c.max_legs > kMaxRoomLegs) {
    set_why(why, room + "max_legs " + std::to_string(c.max_legs) + " is not in 1.." + std::to_string(kMaxRoomLegs));
    return errc::invalid_argument;
  }
  if (c.top_n < 1 || c.top_n > kMaxTopN) {
    set_why(why, room + "top_n " + std::to_string(c.top_n) + " is not in 1.." + std::to_string(kMaxTopN));
    return errc::invalid_argument;
  }
  if (!(c.talker_hysteresis_db >= 0.0f && c.talker_hysteresis_db <= 40.0f)) {
    set_why(why, room + "talker_hysteresis_db " + std::to_string(c.talker_hysteresis_db) + " is not in 0..40");
    return errc::invalid_argument;
  }
  return {};
}

}  // namespace

const char* to_string(MediaDirection d) noexcept {
  switch (d) {
    case MediaDirection::sendrecv: return "sendrecv";
    case MediaDirection::sendonly: return "sendonly";
    case MediaDirection::recvonly: return "recvonly";
    case MediaDirection::inactive: return "inactive";
  }
  return "unknown";
}

int natural_codec_rate(std::string_view codec, int requested, int room_rate) noexcept {
  if (requested != 0) return requested;
  auto is = [&](std::string_view name) {
    return codec.size() == name.size() &&
           std::equal(codec.begin(), codec.end(), name.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  };
  if (is("pcmu") || is("pcma")) return 8000;
  if (is("opus") && room_rate == 32000) return 48000;
  return room_rate;
}

// The directory: which worker and room everything is on, and what each room
// has promised (capacity). Every command is posted while holding mutex, so
// the order of commands is one order for all workers and the directory
// always matches what the queued commands will make of the rooms.
struct Engine::Impl {
  struct RoomInfo {
    std::size_t worker = 0;
    RoomConfig config;
    detail::Room* room = nullptr;  // a handle for commands; dereferenced only by its worker
    std::size_t legs = 0;          // legs in it once the queued commands apply (capacity)
  };
  struct LegInfo {
    RoomId room = kNoRoom;
    detail::CodecKey key;
    detail::LegMediaSettings settings;
    std::shared_ptr<detail::StatsCell> stats;
    // For prepare_update() (which reads only what never changes): the
    // transport is destroyed only after a command posted under mutex removed
    // this entry, so it lives while mutex is held and the entry exists.
    transport::MediaTransport* transport = nullptr;
  };
  struct Load {
    std::size_t legs = 0;
    std::size_t rooms = 0;
  };

  EngineConfig config;
  std::shared_ptr<Clock> clock;
  VirtualClock* virtual_clock = nullptr;
  std::vector<std::unique_ptr<Worker>> workers;
  mutable std::mutex mutex;         // directory and posting; never taken on a worker
  mutable std::mutex events_mutex;  // one consumer of the event queues at a time
  std::unordered_map<RoomId, RoomInfo> rooms;
  std::unordered_map<LegId, LegInfo> legs;
  std::unordered_map<PlaybackId, RoomId> playbacks;
  std::vector<Load> loads;
  std::uint32_t next_room = 1;
  std::uint32_t next_leg = 1;
  std::uint32_t next_playback = 1;
  std::uint64_t tick_index = 0;
  std::vector<std::thread> threads;
  std::atomic<bool> running{false};
  OutputTap tap;

  /// Posts one command reserving `events` event units (mutex held).
  Result<void> post(std::size_t worker, Command command, std::size_t events) {
    if (!workers[worker]->reserve(1, events)) return errc::capacity_exceeded;
    workers[worker]->post_reserved(command);
    return {};
  }
  RoomInfo* room_info(RoomId id) {
    auto it = rooms.find(id);
    return it == rooms.end() ? nullptr : &it->second;
  }
  /// The room a leg is in (mutex held); null when either is unknown.
  RoomInfo* room_of_leg(LegId leg, LegInfo** info = nullptr) {
    auto it = legs.find(leg);
    if (it == legs.end()) return nullptr;
    if (info) *info = &it->second;
    return room_info(it->second.room);
  }
  std::size_t least_loaded_worker() const {
    auto better = [](const Load& a, const Load& b) { return a.legs != b.legs ? a.legs < b.legs : a.rooms < b.rooms; };
    return static_cast<std::size_t>(std::min_element(loads.begin(), loads.end(), better) - loads.begin());
  }
  Result<std::unique_ptr<detail::JoinParts>> join_parts(const detail::CodecKey& key, int room_rate) const;
  Result<std::unique_ptr<detail::RoomRateParts>> rate_parts(int codec_rate, int room_rate) const;
  detail::CodecKey codec_key(const std::string& name, int rate_hz, codec::CodecParams params, int room_rate) const {
    params.sample_rate_hz = natural_codec_rate(name, rate_hz, room_rate);
    params.ptime_ms = config.ptime_ms;
    return detail::CodecKey{name, params};
  }
  void run_worker(Worker& worker);
};

Result<std::unique_ptr<detail::JoinParts>> Engine::Impl::join_parts(const detail::CodecKey& key,
                                                                    int room_rate) const {
  try {
    auto parts = std::make_unique<detail::JoinParts>();
    for (std::uint32_t group : {mix::kSharedGroup, mix::kSilentGroup}) {
      auto encoder = config.codecs.create(key.name, key.params);
      if (!encoder) return encoder.error();
      auto s = std::make_unique<detail::SharedStream>(detail::SharedStream{
          group, key, std::move(*encoder), audio::Resampler(room_rate, key.params.sample_rate_hz),
          std::vector<std::int16_t>(audio::samples_per_frame(key.params.sample_rate_hz, key.params.ptime_ms)),
          std::vector<std::uint8_t>(codec::kMaxEncodedFrameBytes), 0, ~0ull});
      parts->streams.push_back(std::move(s));
    }
    return parts;
  } catch (const Error& e) {
    return e.code_enum();
  }
}

Result<std::unique_ptr<detail::RoomRateParts>> Engine::Impl::rate_parts(int codec_rate, int room_rate) const {
  try {
    return std::make_unique<detail::RoomRateParts>(
        detail::RoomRateParts{audio::Resampler(codec_rate, room_rate), audio::Resampler(room_rate, codec_rate)});
  } catch (const Error& e) {
    return e.code_enum();
  }
}

Engine::Engine(EngineConfig config) : impl_(std::make_unique<Impl>()) {
  if (!audio::is_supported_ptime(config.ptime_ms))
    throw Error(errc::unsupported_frame_size,
                "EngineConfig.ptime_ms " + std::to_string(config.ptime_ms) + " is not 10/20/40/60");
  std::size_t workers = config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
  if (workers > 256) throw Error(errc::invalid_argument, "EngineConfig.workers " + std::to_string(workers) + " > 256");
  if (config.commands_per_tick < 1)
    throw Error(errc::invalid_argument, "EngineConfig.commands_per_tick must be at least 1");
  if (config.command_queue < 16 || config.event_queue < 16)
    throw Error(errc::invalid_argument, "EngineConfig.command_queue and event_queue must be at least 16");
  impl_->clock = config.clock;
  if (!impl_->clock) {
    auto vc = std::make_shared<VirtualClock>();
    impl_->virtual_clock = vc.get();
    impl_->clock = vc;
  } else {
    impl_->virtual_clock = dynamic_cast<VirtualClock*>(impl_->clock.get());
  }
  for (std::size_t i = 0; i < workers; ++i)
    impl_->workers.push_back(
        std::make_unique<Worker>(config.command_queue, config.event_queue, config.commands_per_tick));
  impl_->loads.resize(workers);
  impl_->config = std::move(config);
}

Engine::~Engine() {
  stop();
  for (auto& w : impl_->workers) {
    w->hand_over();
    w->collect_garbage();
  }
}

Result<RoomId> Engine::create_room(const RoomConfig& config, std::string* why) {
  if (auto ok = check_room_config(config, why); !ok) return ok.error();
  std::lock_guard lock(impl_->mutex);
  const RoomId id = impl_->next_room++;
  std::unique_ptr<detail::Room> room;
  try {
    room = std::make_unique<detail::Room>(id, config, impl_->config.ptime_ms);
  } catch (const Error& e) {
    set_why(why, "RoomConfig '" + config.name + "': " + e.what());
    return e.code_enum();
  }
  detail::Room* handle = room.get();
  const std::size_t worker = impl_->least_loaded_worker();
  if (auto r = impl_->post(worker, {detail::AddRoomCmd{std::move(room)}, 1}, 1); !r) {
    set_why(why, "the command queue of worker " + std::to_string(worker) + " is full");
    return r.error();
  }
  impl_->rooms[id] = Impl::RoomInfo{worker, config, handle, 0};
  ++impl_->loads[worker].rooms;
  return id;
}

Result<void> Engine::close_room(RoomId room) {
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_info(room);
  if (!info) return errc::not_found;
  // Outcome: room_closed, and one leg_left per leg it holds.
  const std::size_t events = 1 + info->legs;
  if (auto r = impl_->post(info->worker, {detail::CloseRoomCmd{info->room}, static_cast<std::uint32_t>(events)}, events);
      !r)
    return r;
  Impl::Load& load = impl_->loads[info->worker];
  load.legs -= info->legs;
  --load.rooms;
  impl_->rooms.erase(room);
  std::erase_if(impl_->legs, [&](auto& kv) { return kv.second.room == room; });
  return {};
}

Result<LegId> Engine::add_leg(RoomId room, LegConfig config, std::string* why) {
  if (!config.transport) {
    set_why(why, "LegConfig.transport is null");
    return errc::invalid_argument;
  }
  int room_rate = 0;
  {
    std::lock_guard lock(impl_->mutex);
    Impl::RoomInfo* info = impl_->room_info(room);
    if (!info) return errc::not_found;
    room_rate = info->config.sample_rate_hz;
  }
  // Everything that allocates, off the lock and off the media thread.
  const detail::CodecKey key = impl_->codec_key(config.codec, config.codec_rate_hz, config.codec_params, room_rate);
  const detail::LegMediaSettings settings{config.processing, config.jitter_min_delay_ms, config.jitter_max_delay_ms,
                                          impl_->config.ptime_ms};
  auto media = detail::build_leg_media(impl_->config.codecs, key, settings, why);
  if (!media) return media.error();
  auto rate = impl_->rate_parts(key.params.sample_rate_hz, room_rate);
  if (!rate) return rate.error();
  auto parts = impl_->join_parts(key, room_rate);
  if (!parts) return parts.error();
  auto stats = std::make_shared<detail::StatsCell>();
  transport::MediaTransport* transport = config.transport.get();

  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_info(room);
  if (!info) return errc::not_found;  // closed meanwhile
  if (info->legs >= info->config.max_legs) {
    set_why(why, "room '" + info->config.name + "' is full (max_legs " + std::to_string(info->config.max_legs) + ")");
    return errc::capacity_exceeded;
  }
  const LegId id = impl_->next_leg++;
  auto leg = std::make_unique<detail::Leg>(id, std::move(config.transport), std::move(*media), std::move(**rate), config,
                                           stats);
  if (auto r = impl_->post(info->worker, {detail::AddLegCmd{info->room, std::move(leg), std::move(*parts)}, 1}, 1); !r) {
    set_why(why, "the command queue of worker " + std::to_string(info->worker) + " is full");
    return r.error();
  }
  impl_->legs[id] = Impl::LegInfo{room, key, settings, std::move(stats), transport};
  ++info->legs;
  ++impl_->loads[info->worker].legs;
  return id;
}

Result<void> Engine::remove_leg(LegId leg) {
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_of_leg(leg);
  if (!info) return errc::not_found;
  if (auto r = impl_->post(info->worker, {detail::RemoveLegCmd{info->room, leg}, 1}, 1); !r) return r;
  impl_->legs.erase(leg);
  --info->legs;
  --impl_->loads[info->worker].legs;
  return {};
}

Result<void> Engine::move_leg(LegId leg, RoomId to_room) {
  std::lock_guard lock(impl_->mutex);
  Impl::LegInfo* leg_info = nullptr;
  Impl::RoomInfo* from = impl_->room_of_leg(leg, &leg_info);
  Impl::RoomInfo* to = impl_->room_info(to_room);
  if (!from || !to) return errc::not_found;
  if (from == to) return errc::invalid_argument;
  if (to->legs >= to->config.max_legs) return errc::capacity_exceeded;  // refused now; the leg stays
  auto rate = impl_->rate_parts(leg_info->key.params.sample_rate_hz, to->config.sample_rate_hz);
  if (!rate) return rate.error();
  auto parts = impl_->join_parts(leg_info->key, to->config.sample_rate_hz);
  if (!parts) return parts.error();
  // Both halves or neither: reserve on both workers before posting either.
  Worker& out_worker = *impl_->workers[from->worker];
  Worker& in_worker = *impl_->workers[to->worker];
  if (!out_worker.reserve(1, 1)) return errc::capacity_exceeded;
  if (!in_worker.reserve(1, 1)) {
    out_worker.unreserve(1, 1);
    return errc::capacity_exceeded;
  }
  auto handoff = std::make_unique<detail::Handoff>();
  Command out{detail::MoveOutCmd{from->room, leg, handoff.get(), std::move(*rate)}, 1};
  Command in{detail::MoveInCmd{to->room, leg_info->room, leg, std::move(handoff), std::move(*parts)}, 1};
  out_worker.post_reserved(out);
  in_worker.post_reserved(in);
  --from->legs;
  ++to->legs;
  --impl_->loads[from->worker].legs;
  ++impl_->loads[to->worker].legs;
  leg_info->room = to_room;
  return {};
}

Result<void> Engine::update_leg(LegId leg, const LegUpdate& update, std::string* why) {
  // Held throughout: the leg's room, codec and transport stay what they are
  // while the change is built (see LegInfo::transport).
  std::lock_guard lock(impl_->mutex);
  Impl::LegInfo* leg_info = nullptr;
  Impl::RoomInfo* info = impl_->room_of_leg(leg, &leg_info);
  if (!info) return errc::not_found;
  auto change = std::make_unique<detail::LegChange>();
  std::unique_ptr<detail::JoinParts> parts;
  std::optional<detail::CodecKey> new_key;
  const int room_rate = info->config.sample_rate_hz;
  if (update.codec) {
    new_key = impl_->codec_key(update.codec->name, update.codec->codec_rate_hz, update.codec->params, room_rate);
    auto media = detail::build_leg_media(impl_->config.codecs, *new_key, leg_info->settings, why);
    if (!media) return media.error();
    auto rate = impl_->rate_parts(new_key->params.sample_rate_hz, room_rate);
    if (!rate) return rate.error();
    auto joined = impl_->join_parts(*new_key, room_rate);
    if (!joined) return joined.error();
    change->media = std::move(*media);
    change->rate_parts = std::move(*rate);
    parts = std::move(*joined);
  }
  if (update.transport && !update.transport->empty()) {
    auto prepared = leg_info->transport->prepare_update(*update.transport, why);
    if (!prepared) return prepared.error();
    change->transport = std::move(*prepared);
  }
  change->direction = update.direction;
  if (auto r = impl_->post(info->worker, {detail::UpdateLegCmd{info->room, leg, std::move(change), std::move(parts)}, 1}, 1);
      !r) {
    set_why(why, "the command queue of worker " + std::to_string(info->worker) + " is full");
    return r;
  }
  if (new_key) leg_info->key = *new_key;
  return {};
}

Result<void> Engine::set_mix_state(LegId leg, const mix::LegMixState& state) {
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_of_leg(leg);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::SetMixCmd{info->room, leg, state}, 1}, 1);
}

Result<void> Engine::add_whisper(LegId from, LegId to, float gain_db) {
  if (!std::isfinite(gain_db)) return errc::invalid_argument;
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_of_leg(from);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::WhisperCmd{info->room, from, to, gain_db, true}, 1}, 1);
}

Result<void> Engine::remove_whisper(LegId from, LegId to) {
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_of_leg(from);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::WhisperCmd{info->room, from, to, 0.0f, false}, 1}, 1);
}

Result<void> Engine::set_source_gain(LegId listener, LegId source, float gain_db) {
  if (!std::isfinite(gain_db)) return errc::invalid_argument;
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_of_leg(listener);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::SourceGainCmd{info->room, listener, source, gain_db}, 1}, 1);
}

Result<PlaybackId> Engine::play(RoomId room, PromptPtr prompt, PlayOptions options) {
  if (!prompt || prompt->samples.empty()) return errc::invalid_argument;
  if (!std::isfinite(options.gain_db) || std::fabs(options.gain_db) > 60.0f) return errc::invalid_argument;
  int rate = 0;
  {
    std::lock_guard lock(impl_->mutex);
    Impl::RoomInfo* info = impl_->room_info(room);
    if (!info) return errc::not_found;
    rate = info->config.sample_rate_hz;
  }
  try {
    if (prompt->sample_rate_hz != rate)
      prompt = std::make_shared<const Prompt>(
          Prompt{audio::resample_buffer(prompt->samples, prompt->sample_rate_hz, rate), rate});
  } catch (const Error& e) {
    return e.code();
  }
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_info(room);
  if (!info) return errc::not_found;
  if (options.to_leg != kNoLeg) {
    auto l = impl_->legs.find(options.to_leg);
    if (l == impl_->legs.end() || l->second.room != room) return errc::not_found;
  }
  const PlaybackId id = impl_->next_playback++;
  // Two event units: the outcome (playback_started, or playback_done with
  // the error) and the playback_done that ends a started playback.
  if (auto r = impl_->post(info->worker, {detail::PlayCmd{info->room, id, std::move(prompt), options}, 1}, 2); !r)
    return r.error();
  impl_->playbacks[id] = room;
  return id;
}

Result<void> Engine::stop_playback(PlaybackId playback) {
  std::lock_guard lock(impl_->mutex);
  auto p = impl_->playbacks.find(playback);
  if (p == impl_->playbacks.end()) return errc::not_found;
  Impl::RoomInfo* info = impl_->room_info(p->second);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::StopPlayCmd{info->room, playback}, 1}, 1);
}

Result<void> Engine::start_recording(RoomId room, std::shared_ptr<RoomRecorder> recorder) {
  if (!recorder) return errc::invalid_argument;
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_info(room);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::RecordCmd{info->room, std::move(recorder)}, 1}, 1);
}

Result<void> Engine::stop_recording(RoomId room) {
  std::lock_guard lock(impl_->mutex);
  Impl::RoomInfo* info = impl_->room_info(room);
  if (!info) return errc::not_found;
  return impl_->post(info->worker, {detail::RecordCmd{info->room, nullptr}, 1}, 1);
}

Result<void> Engine::tick() {
  if (!impl_->virtual_clock || impl_->running) return errc::invalid_state;
  const std::int64_t now = impl_->clock->now_us();
  const OutputTap* tap = impl_->tap ? &impl_->tap : nullptr;
  for (auto& w : impl_->workers) w->tick(impl_->tick_index, now, 0, impl_->config.ptime_ms, tap);
  ++impl_->tick_index;
  impl_->virtual_clock->advance_us(static_cast<std::int64_t>(impl_->config.ptime_ms) * 1000);
  for (auto& w : impl_->workers) w->collect_garbage();
  return {};
}

void Engine::Impl::run_worker(Worker& worker) {
  const std::int64_t ptime_us = std::int64_t{config.ptime_ms} * 1000;
  const OutputTap* output = tap ? &tap : nullptr;
  std::int64_t deadline = clock->now_us();
  for (std::uint64_t index = 0; running.load(std::memory_order_acquire); ++index) {
    std::int64_t late = clock->now_us() - deadline;
    if (late > 10 * ptime_us) {
      // Overloaded or suspended: skip to the present instead of bursting
      // every missed tick (the peers' jitter buffers conceal the gap).
      const std::int64_t skipped = late / ptime_us;
      worker.count_skipped(static_cast<std::uint64_t>(skipped));
      deadline += skipped * ptime_us;
      late -= skipped * ptime_us;
    }
    // The tick runs at its deadline's media time: packets and the jitter
    // buffers see exactly one ptime between ticks.
    worker.tick(index, deadline, late, config.ptime_ms, output);
    deadline += ptime_us;
    clock->sleep_until_us(deadline);
  }
}

Result<void> Engine::start() {
  if (impl_->virtual_clock) return errc::invalid_state;
  if (impl_->running.exchange(true)) return {};
  for (auto& w : impl_->workers) {
    w->hand_over();
    impl_->threads.emplace_back([this, worker = w.get()] { impl_->run_worker(*worker); });
  }
  return {};
}

void Engine::stop() {
  if (!impl_->running.exchange(false)) return;
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  for (auto& w : impl_->workers) w->hand_over();
}

EngineHealth Engine::health() const {
  EngineHealth h;
  h.ptime_ms = impl_->config.ptime_ms;
  for (const auto& w : impl_->workers) h.workers.push_back(w->health(impl_->config.ptime_ms));
  return h;
}

std::size_t Engine::poll_events(std::span<Event> out) {
  std::size_t n = 0;
  {
    std::lock_guard consumer(impl_->events_mutex);
    for (auto& w : impl_->workers)
      while (n < out.size() && w->pop_event(out[n])) ++n;
  }
  for (auto& w : impl_->workers) w->collect_garbage();
  bool any_done = false;
  for (std::size_t i = 0; i < n; ++i) any_done = any_done || out[i].kind == EventKind::playback_done;
  if (any_done) {
    std::lock_guard lock(impl_->mutex);
    for (std::size_t i = 0; i < n; ++i)
      if (out[i].kind == EventKind::playback_done) impl_->playbacks.erase(out[i].other_leg);
  }
  return n;
}

Result<LegStats> Engine::leg_stats(LegId leg) const {
  std::shared_ptr<detail::StatsCell> cell;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->legs.find(leg);
    if (it == impl_->legs.end()) return errc::not_found;
    cell = it->second.stats;
  }
  return cell->read();
}

RoomId Engine::room_of(LegId leg) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->legs.find(leg);
  return it == impl_->legs.end() ? kNoRoom : it->second.room;
}

std::size_t Engine::worker_count() const noexcept { return impl_->workers.size(); }
const Clock& Engine::clock() const noexcept { return *impl_->clock; }
int Engine::ptime_ms() const noexcept { return impl_->config.ptime_ms; }

Result<void> Engine::set_output_tap(OutputTap tap) {
  if (impl_->running) return errc::invalid_state;
  impl_->tap = std::move(tap);
  return {};
}

}  // namespace libconf::engine
