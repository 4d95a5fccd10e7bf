#include "libconf/engine/engine.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "libconf/audio/format.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/engine/worker.hpp"

namespace libconf::engine {

using detail::Command;
using detail::Worker;

struct Engine::Impl {
  struct RoomInfo {
    std::size_t worker = 0;
    RoomConfig config;
  };
  struct LegInfo {
    RoomId room = kNoRoom;
    detail::CodecKey key;
    std::shared_ptr<detail::StatsCell> stats;
  };

  EngineConfig config;
  std::shared_ptr<Clock> clock;
  VirtualClock* virtual_clock = nullptr;
  std::vector<std::unique_ptr<Worker>> workers;
  mutable std::mutex mutex;  // directory only; never taken on a worker
  std::unordered_map<RoomId, RoomInfo> rooms;
  std::unordered_map<LegId, LegInfo> legs;
  std::atomic<std::uint32_t> next_room{1};
  std::atomic<std::uint32_t> next_leg{1};
  std::atomic<std::uint32_t> next_playback{1};
  std::unordered_map<PlaybackId, RoomId> playbacks;
  std::uint64_t tick_index = 0;
  std::vector<std::thread> threads;
  std::atomic<bool> running{false};
  OutputTap tap;

  Result<void> post(std::size_t worker, Command command) {
    if (!workers[worker]->post(command)) return errc::capacity_exceeded;
    return {};
  }
  Result<std::size_t> worker_of_leg(LegId leg) const {
    std::lock_guard lock(mutex);
    auto it = legs.find(leg);
    if (it == legs.end()) return errc::not_found;
    auto r = rooms.find(it->second.room);
    if (r == rooms.end()) return errc::not_found;
    return r->second.worker;
  }
  Result<std::unique_ptr<detail::JoinParts>> join_parts(const detail::CodecKey& key, int room_rate) const;
};

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

Result<std::unique_ptr<detail::JoinParts>> Engine::Impl::join_parts(const detail::CodecKey& key,
                                                                    int room_rate) const {
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
}

Engine::Engine(EngineConfig config) : impl_(std::make_unique<Impl>()) {
  if (!audio::is_supported_ptime(config.ptime_ms))
    throw Error(errc::unsupported_frame_size,
                "EngineConfig.ptime_ms " + std::to_string(config.ptime_ms) + " is not 10/20/40/60");
  std::size_t workers = config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
  if (workers > 256) throw Error(errc::invalid_argument, "EngineConfig.workers " + std::to_string(workers) + " > 256");
  impl_->clock = config.clock;
  if (!impl_->clock) {
    auto vc = std::make_shared<VirtualClock>();
    impl_->virtual_clock = vc.get();
    impl_->clock = vc;
  } else {
    impl_->virtual_clock = dynamic_cast<VirtualClock*>(impl_->clock.get());
  }
  for (std::size_t i = 0; i < workers; ++i)
    impl_->workers.push_back(std::make_unique<Worker>(config.command_queue, config.event_queue));
  impl_->config = std::move(config);
}

Engine::~Engine() {
  stop();
  for (auto& w : impl_->workers) w->collect_garbage();
}

RoomId Engine::create_room(const RoomConfig& config) {
  if (!audio::is_supported_sample_rate(config.sample_rate_hz))
    throw Error(errc::unsupported_sample_rate, "RoomConfig '" + config.name + "': sample_rate_hz " +
                                                   std::to_string(config.sample_rate_hz) +
                                                   " is not 8000/16000/24000/32000/48000");
  const RoomId id = impl_->next_room.fetch_add(1);
  auto room = std::make_unique<detail::Room>(id, config, impl_->config.ptime_ms);  // throws on bad capacity
  std::size_t best = 0;
  {
    std::lock_guard lock(impl_->mutex);
    std::vector<std::size_t> load(impl_->workers.size(), 0);
    for (auto& [rid, info] : impl_->rooms) ++load[info.worker];
    best = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    impl_->rooms[id] = Impl::RoomInfo{best, config};
  }
  if (!impl_->post(best, detail::AddRoomCmd{std::move(room)}))
    throw Error(errc::capacity_exceeded, "Engine: command queue of worker " + std::to_string(best) + " is full");
  return id;
}

Result<void> Engine::close_room(RoomId room) {
  std::size_t worker = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->rooms.find(room);
    if (it == impl_->rooms.end()) return errc::not_found;
    worker = it->second.worker;
    impl_->rooms.erase(it);
    std::erase_if(impl_->legs, [&](auto& kv) { return kv.second.room == room; });
  }
  return impl_->post(worker, detail::CloseRoomCmd{room});
}

Result<LegId> Engine::add_leg(RoomId room, LegConfig config) {
  if (!config.transport) return errc::invalid_argument;
  RoomConfig room_config;
  std::size_t worker = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->rooms.find(room);
    if (it == impl_->rooms.end()) return errc::not_found;
    room_config = it->second.config;
    worker = it->second.worker;
  }
  const int room_rate = room_config.sample_rate_hz;
  config.codec_params.sample_rate_hz = natural_codec_rate(config.codec, config.codec_rate_hz, room_rate);
  config.codec_params.ptime_ms = impl_->config.ptime_ms;
  detail::CodecKey key{config.codec, config.codec_params};
  try {
    auto decoder = impl_->config.codecs.create(config.codec, config.codec_params);
    if (!decoder) return decoder.error();
    auto encoder = impl_->config.codecs.create(config.codec, config.codec_params);
    if (!encoder) return encoder.error();
    auto parts = impl_->join_parts(key, room_rate);
    if (!parts) return parts.error();
    const int rate = config.codec_params.sample_rate_hz;
    detail::RoomRateParts rate_parts{audio::Resampler(rate, room_rate), audio::Resampler(room_rate, rate)};
    const LegId id = impl_->next_leg.fetch_add(1);
    auto stats = std::make_shared<detail::StatsCell>();
    auto leg = std::make_unique<detail::Leg>(id, std::move(config), std::move(*decoder), std::move(*encoder),
                                             std::move(rate_parts), room_rate, impl_->config.ptime_ms, stats);
    {
      std::lock_guard lock(impl_->mutex);
      impl_->legs[id] = Impl::LegInfo{room, key, stats};
    }
    if (auto r = impl_->post(worker, detail::AddLegCmd{room, std::move(leg), std::move(*parts)}); !r) {
      std::lock_guard lock(impl_->mutex);
      impl_->legs.erase(id);
      return r.error();
    }
    return id;
  } catch (const Error& e) {
    return e.code();
  }
}

Result<void> Engine::remove_leg(LegId leg) {
  auto w = impl_->worker_of_leg(leg);
  if (!w) return w.error();
  {
    std::lock_guard lock(impl_->mutex);
    impl_->legs.erase(leg);
  }
  return impl_->post(*w, detail::RemoveLegCmd{leg});
}

Result<void> Engine::move_leg(LegId leg, RoomId to_room) {
  std::size_t from_worker = 0, to_worker = 0;
  RoomConfig to_config;
  detail::CodecKey key;
  {
    std::lock_guard lock(impl_->mutex);
    auto l = impl_->legs.find(leg);
    if (l == impl_->legs.end()) return errc::not_found;
    auto from = impl_->rooms.find(l->second.room);
    auto to = impl_->rooms.find(to_room);
    if (from == impl_->rooms.end() || to == impl_->rooms.end()) return errc::not_found;
    if (l->second.room == to_room) return errc::invalid_argument;
    from_worker = from->second.worker;
    to_worker = to->second.worker;
    to_config = to->second.config;
    key = l->second.key;
  }
  try {
    const int rate = key.params.sample_rate_hz;
    const int room_rate = to_config.sample_rate_hz;
    auto rate_parts = std::make_unique<detail::RoomRateParts>(
        detail::RoomRateParts{audio::Resampler(rate, room_rate), audio::Resampler(room_rate, rate)});
    auto parts = impl_->join_parts(key, room_rate);
    if (!parts) return parts.error();
    if (auto r = impl_->post(from_worker, detail::MoveOutCmd{leg, to_room, impl_->workers[to_worker].get(),
                                                             std::move(rate_parts), std::move(*parts)});
        !r)
      return r;
    std::lock_guard lock(impl_->mutex);
    auto l = impl_->legs.find(leg);
    if (l != impl_->legs.end()) l->second.room = to_room;
    return {};
  } catch (const Error& e) {
    return e.code();
  }
}

Result<void> Engine::set_mix_state(LegId leg, const mix::LegMixState& state) {
  auto w = impl_->worker_of_leg(leg);
  if (!w) return w.error();
  return impl_->post(*w, detail::SetMixCmd{leg, state});
}

Result<void> Engine::add_whisper(LegId from, LegId to, float gain_db) {
  auto w = impl_->worker_of_leg(from);
  if (!w) return w.error();
  return impl_->post(*w, detail::WhisperCmd{from, to, gain_db, true});
}

Result<void> Engine::remove_whisper(LegId from, LegId to) {
  auto w = impl_->worker_of_leg(from);
  if (!w) return w.error();
  return impl_->post(*w, detail::WhisperCmd{from, to, 0.0f, false});
}

Result<void> Engine::set_source_gain(LegId listener, LegId source, float gain_db) {
  auto w = impl_->worker_of_leg(listener);
  if (!w) return w.error();
  return impl_->post(*w, detail::SourceGainCmd{listener, source, gain_db});
}

Result<PlaybackId> Engine::play(RoomId room, PromptPtr prompt, PlayOptions options) {
  if (!prompt || prompt->samples.empty()) return errc::invalid_argument;
  std::size_t worker = 0;
  int rate = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->rooms.find(room);
    if (it == impl_->rooms.end()) return errc::not_found;
    worker = it->second.worker;
    rate = it->second.config.sample_rate_hz;
    if (options.to_leg != kNoLeg) {
      auto l = impl_->legs.find(options.to_leg);
      if (l == impl_->legs.end() || l->second.room != room) return errc::not_found;
    }
  }
  if (!std::isfinite(options.gain_db) || std::fabs(options.gain_db) > 60.0f) return errc::invalid_argument;
  try {
    if (prompt->sample_rate_hz != rate)
      prompt = std::make_shared<const Prompt>(
          Prompt{audio::resample_buffer(prompt->samples, prompt->sample_rate_hz, rate), rate});
  } catch (const Error& e) {
    return e.code();
  }
  const PlaybackId id = impl_->next_playback.fetch_add(1);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->playbacks[id] = room;
  }
  if (auto r = impl_->post(worker, detail::PlayCmd{room, id, std::move(prompt), options}); !r) {
    std::lock_guard lock(impl_->mutex);
    impl_->playbacks.erase(id);
    return r.error();
  }
  return id;
}

Result<void> Engine::stop_playback(PlaybackId playback) {
  std::size_t worker = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto p = impl_->playbacks.find(playback);
    if (p == impl_->playbacks.end()) return errc::not_found;
    auto r = impl_->rooms.find(p->second);
    if (r == impl_->rooms.end()) return errc::not_found;
    worker = r->second.worker;
  }
  return impl_->post(worker, detail::StopPlayCmd{playback});
}

Result<void> Engine::start_recording(RoomId room, std::shared_ptr<RoomRecorder> recorder) {
  if (!recorder) return errc::invalid_argument;
  std::size_t worker = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->rooms.find(room);
    if (it == impl_->rooms.end()) return errc::not_found;
    worker = it->second.worker;
  }
  return impl_->post(worker, detail::RecordCmd{room, std::move(recorder)});
}

Result<void> Engine::stop_recording(RoomId room) {
  std::size_t worker = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->rooms.find(room);
    if (it == impl_->rooms.end()) return errc::not_found;
    worker = it->second.worker;
  }
  return impl_->post(worker, detail::RecordCmd{room, nullptr});
}

void Engine::tick() {
  if (!impl_->virtual_clock)
    throw Error(errc::invalid_state, "Engine::tick() needs a VirtualClock; with a real clock use start()");
  if (impl_->running) throw Error(errc::invalid_state, "Engine::tick() while start()ed");
  const std::int64_t now = impl_->clock->now_us();
  const OutputTap* tap = impl_->tap ? &impl_->tap : nullptr;
  for (auto& w : impl_->workers) w->tick(impl_->tick_index, now, tap);
  ++impl_->tick_index;
  impl_->virtual_clock->advance_us(static_cast<std::int64_t>(impl_->config.ptime_ms) * 1000);
  for (auto& w : impl_->workers) w->collect_garbage();
}

void Engine::start() {
  if (impl_->running.exchange(true)) return;
  const std::int64_t ptime_us = static_cast<std::int64_t>(impl_->config.ptime_ms) * 1000;
  for (auto& w : impl_->workers) {
    Worker* worker = w.get();
    impl_->threads.emplace_back([this, worker, ptime_us] {
      const Clock& clock = *impl_->clock;
      const OutputTap* tap = impl_->tap ? &impl_->tap : nullptr;
      std::int64_t next = clock.now_us();
      std::uint64_t index = 0;
      while (impl_->running.load(std::memory_order_acquire)) {
        worker->tick(index++, next, tap);
        next += ptime_us;
        const std::int64_t wait = next - clock.now_us();
        if (wait > 0) std::this_thread::sleep_for(std::chrono::microseconds(wait));
        else if (wait < -10 * ptime_us) next = clock.now_us();  // overloaded: resync instead of bursting
      }
    });
  }
}

void Engine::stop() {
  if (!impl_->running.exchange(false)) return;
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

std::size_t Engine::poll_events(std::span<Event> out) {
  std::size_t n = 0;
  for (auto& w : impl_->workers) {
    while (n < out.size() && w->pop_event(out[n])) ++n;
    w->collect_garbage();
  }
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
void Engine::set_output_tap(OutputTap tap) { impl_->tap = std::move(tap); }

}  // namespace libconf::engine
