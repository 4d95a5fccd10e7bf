#include "libconf/mix/mixer.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"

namespace libconf::mix {

namespace {
float gain_of(float db) noexcept { return static_cast<float>(audio::db_to_gain(db)); }
}  // namespace

Mixer::Mixer(const MixerConfig& config) : config_(config) {
  if (!audio::is_supported_sample_rate(config.sample_rate_hz))
    throw Error(errc::unsupported_sample_rate,
                "Mixer: sample_rate_hz " + std::to_string(config.sample_rate_hz) + " is not 8000/16000/24000/32000/48000");
  if (!audio::is_supported_ptime(config.ptime_ms))
    throw Error(errc::unsupported_frame_size, "Mixer: ptime_ms " + std::to_string(config.ptime_ms) + " is not 10/20/40/60");
  if (config.max_legs == 0 || config.max_legs > 100000)
    throw Error(errc::invalid_argument, "Mixer: max_legs " + std::to_string(config.max_legs) + " is outside 1..100000");
  if (config.top_n == 0 || config.top_n > 64)
    throw Error(errc::invalid_argument, "Mixer: top_n " + std::to_string(config.top_n) + " is outside 1..64");
  if (config.max_edges > 65535)
    throw Error(errc::invalid_argument, "Mixer: max_edges " + std::to_string(config.max_edges) + " is above 65535");
  frame_ = audio::samples_per_frame(config.sample_rate_hz, config.ptime_ms);
  legs_.resize(config.max_legs);
  for (auto& leg : legs_) leg.limiter = Limiter(config.limiter, config.sample_rate_hz, frame_);
  inputs_.assign(config.max_legs * frame_, 0);
  outputs_.assign(config.max_legs * frame_, 0);
  contrib_.assign(config.top_n * frame_, 0.0f);
  total_.assign(frame_, 0.0f);
  scratch_.assign(frame_, 0.0f);
  shared_out_.assign(frame_, 0);
  silence_.assign(frame_, 0);
  selected_.assign(config.top_n, kInvalidLeg);
  edges_.resize(config.max_edges);
  shared_limiter_ = Limiter(config.limiter, config.sample_rate_hz, frame_);
}

Result<LegId> Mixer::add_leg() noexcept {
  for (LegId id = 0; id < legs_.size(); ++id) {
    Leg& leg = legs_[id];
    if (leg.active) continue;
    leg = Leg{};
    leg.active = true;
    leg.limiter.reset();
    std::fill_n(inputs_.begin() + static_cast<std::ptrdiff_t>(id * frame_), frame_, std::int16_t{0});
    ++leg_count_;
    return id;
  }
  return errc::capacity_exceeded;
}

bool Mixer::contains(LegId leg) const noexcept { return leg < legs_.size() && legs_[leg].active; }

Result<void> Mixer::remove_leg(LegId id) noexcept {
  if (!contains(id)) return errc::not_found;
  for (std::size_t i = edge_count_; i-- > 0;)
    if (edges_[i].from == id || edges_[i].to == id) remove_edge_at(i);
  Leg& leg = legs_[id];
  if (leg.selected_slot >= 0) {
    const auto end = selected_.begin() + static_cast<std::ptrdiff_t>(selected_count_);
    std::remove(selected_.begin(), end, id);
    --selected_count_;
  }
  Limiter limiter = leg.limiter;
  leg = Leg{};
  leg.limiter = limiter;
  --leg_count_;
  return {};
}

Result<void> Mixer::set_state(LegId id, const LegMixState& state) noexcept {
  if (!contains(id)) return errc::not_found;
  if (!std::isfinite(state.talk_gain_db) || !std::isfinite(state.listen_gain_db) ||
      std::fabs(state.talk_gain_db) > 60.0f || std::fabs(state.listen_gain_db) > 60.0f)
    return errc::invalid_argument;
  Leg& leg = legs_[id];
  leg.state = state;
  leg.talk_gain = gain_of(state.talk_gain_db);
  leg.listen_gain = gain_of(state.listen_gain_db);
  return {};
}

Result<void> Mixer::add_edge(const Edge& edge) noexcept {
  if (!contains(edge.from) || !contains(edge.to)) return errc::not_found;
  if (edge.from == edge.to) return errc::invalid_argument;
  for (std::size_t i = 0; i < edge_count_; ++i) {
    Edge& e = edges_[i];
    if (e.from == edge.from && e.to == edge.to && e.whisper == edge.whisper) {
      e.gain = edge.gain;
      return {};
    }
  }
  if (edge_count_ == edges_.size()) return errc::capacity_exceeded;
  edges_[edge_count_++] = edge;
  ++legs_[edge.to].private_edges;
  return {};
}

void Mixer::remove_edge_at(std::size_t index) noexcept {
  --legs_[edges_[index].to].private_edges;
  edges_[index] = edges_[--edge_count_];
}

Result<void> Mixer::add_whisper(LegId from, LegId to, float gain_db) noexcept {
  if (!std::isfinite(gain_db) || std::fabs(gain_db) > 60.0f) return errc::invalid_argument;
  return add_edge(Edge{from, to, gain_of(gain_db), true});
}

Result<void> Mixer::remove_whisper(LegId from, LegId to) noexcept {
  for (std::size_t i = 0; i < edge_count_; ++i)
    if (edges_[i].whisper && edges_[i].from == from && edges_[i].to == to) {
      remove_edge_at(i);
      return {};
    }
  return errc::not_found;
}

Result<void> Mixer::set_source_gain(LegId listener, LegId source, float gain_db) noexcept {
  if (!std::isfinite(gain_db) || gain_db > 60.0f) return errc::invalid_argument;
  if (gain_db == 0.0f) {
    for (std::size_t i = 0; i < edge_count_; ++i)
      if (!edges_[i].whisper && edges_[i].from == source && edges_[i].to == listener) remove_edge_at(i);
    return contains(listener) && contains(source) ? Result<void>{} : Result<void>{errc::not_found};
  }
  // Stored as the correction to add on top of the normal contribution.
  return add_edge(Edge{source, listener, gain_of(gain_db) - 1.0f, false});
}

std::span<std::int16_t> Mixer::input(LegId leg) noexcept {
  return {inputs_.data() + static_cast<std::size_t>(leg) * frame_, frame_};
}

void Mixer::set_voice(LegId id, bool talking, float level_dbfs) noexcept {
  if (!contains(id)) return;
  legs_[id].talking = talking;
  legs_[id].level_dbfs = level_dbfs;
}

std::span<const std::int16_t> Mixer::shared_output() noexcept {
  if (!shared_rendered_) {
    shared_limiter_.process(total_, shared_out_);
    shared_rendered_ = true;
  }
  return {shared_out_.data(), frame_};
}

std::span<const std::int16_t> Mixer::output(LegId leg) const noexcept {
  const std::uint32_t group = legs_[leg].group;
  if (group == kSharedGroup) return {shared_out_.data(), frame_};  // rendered by mix(): a leg hears it
  if (group == kSilentGroup) return {silence_.data(), frame_};
  return {outputs_.data() + static_cast<std::size_t>(leg) * frame_, frame_};
}

bool Mixer::eligible(const Leg& leg) const noexcept {
  return leg.active && leg.talking && !leg.state.muted && !leg.state.listen_only;
}

void Mixer::select_talkers() noexcept {
  // Keep the selected talkers that still talk; compact the list.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < selected_count_; ++i) {
    const LegId id = selected_[i];
    if (eligible(legs_[id])) {
      selected_[kept++] = id;
    } else {
      legs_[id].selected_slot = -1;
    }
  }
  selected_count_ = kept;
  // Fill free slots with the loudest new talkers, then let a clearly louder
  // newcomer displace the quietest one. At most top_n rounds of an O(N) scan.
  for (std::size_t round = 0; round < config_.top_n; ++round) {
    LegId best = kInvalidLeg;
    float best_level = -1e9f;
    for (LegId id = 0; id < legs_.size(); ++id) {
      const Leg& leg = legs_[id];
      if (leg.selected_slot >= 0 || !eligible(leg)) continue;
      if (leg.level_dbfs > best_level) {
        best_level = leg.level_dbfs;
        best = id;
      }
    }
    if (best == kInvalidLeg) break;
    if (selected_count_ < config_.top_n) {
      legs_[best].selected_slot = 0;  // real slot assigned below
      selected_[selected_count_++] = best;
      continue;
    }
    std::size_t quietest = 0;
    for (std::size_t i = 1; i < selected_count_; ++i)
      if (legs_[selected_[i]].level_dbfs < legs_[selected_[quietest]].level_dbfs) quietest = i;
    if (best_level <= legs_[selected_[quietest]].level_dbfs + config_.talker_hysteresis_db) break;
    legs_[selected_[quietest]].selected_slot = -1;
    legs_[best].selected_slot = 0;
    selected_[quietest] = best;
  }
  for (std::size_t i = 0; i < selected_count_; ++i) legs_[selected_[i]].selected_slot = static_cast<int>(i);
}

void Mixer::mix() noexcept {
  select_talkers();
  const std::size_t n = frame_;
  std::fill(total_.begin(), total_.end(), 0.0f);
  for (std::size_t s = 0; s < selected_count_; ++s) {
    const LegId id = selected_[s];
    const float g = legs_[id].talk_gain;
    const std::int16_t* in = inputs_.data() + static_cast<std::size_t>(id) * n;
    float* c = contrib_.data() + s * n;
    float* t = total_.data();
    for (std::size_t i = 0; i < n; ++i) {
      c[i] = static_cast<float>(in[i]) * g;
      t[i] += c[i];
    }
  }
  bool shared_used = false;
  shared_rendered_ = false;
  for (LegId id = 0; id < legs_.size(); ++id) {
    Leg& leg = legs_[id];
    if (!leg.active) continue;
    if (leg.state.deaf) {
      leg.group = kSilentGroup;
    } else if (leg.selected_slot >= 0 || leg.private_edges > 0 || leg.listen_gain != 1.0f) {
      leg.group = kFirstUniqueGroup + id;
      render_unique(id);
    } else {
      leg.group = kSharedGroup;
      shared_used = true;
    }
  }
  // The shared mix is rendered only when someone hears it (a room of talkers
  // only, the common 2-party case, skips it).
  if (shared_used) (void)shared_output();
}

void Mixer::render_unique(LegId id) noexcept {
  const std::size_t n = frame_;
  Leg& leg = legs_[id];
  float* out = scratch_.data();
  std::copy(total_.begin(), total_.end(), out);
  if (leg.selected_slot >= 0) {
    const float* own = contrib_.data() + static_cast<std::size_t>(leg.selected_slot) * n;
    for (std::size_t i = 0; i < n; ++i) out[i] -= own[i];
  }
  for (std::size_t e = 0; e < edge_count_; ++e) {
    const Edge& edge = edges_[e];
    if (edge.to != id) continue;
    const Leg& from = legs_[edge.from];
    if (edge.whisper) {
      // A whisperer already summed into the room is heard once, not twice.
      if (from.selected_slot >= 0 || from.state.muted) continue;
      const float g = from.talk_gain * edge.gain;
      const std::int16_t* in = inputs_.data() + static_cast<std::size_t>(edge.from) * n;
      for (std::size_t i = 0; i < n; ++i) out[i] += static_cast<float>(in[i]) * g;
    } else if (from.selected_slot >= 0) {
      const float* c = contrib_.data() + static_cast<std::size_t>(from.selected_slot) * n;
      for (std::size_t i = 0; i < n; ++i) out[i] += c[i] * edge.gain;
    }
  }
  if (leg.listen_gain != 1.0f)
    for (std::size_t i = 0; i < n; ++i) out[i] *= leg.listen_gain;
  leg.limiter.process({out, n}, {outputs_.data() + static_cast<std::size_t>(id) * n, n});
}

}  // namespace libconf::mix
