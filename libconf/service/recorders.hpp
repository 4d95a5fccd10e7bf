#pragma once
// Internal: the RoomRecorders the service hands to engine::Engine. Every
// buffer is allocated in the constructor, on the service's thread; the
// engine worker only copies into it (on_frame/on_track are real-time safe:
// no allocation, no lock, no I/O). The service reads the samples back on
// its own thread, only after the engine reported the recorder detached
// (recording_stopped or room_closed) — or, for the name recorder, through
// the release/acquire-published sample count (samples below it are never
// written again).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "libconf/engine/engine.hpp"

namespace libconf::service::detail {

/// Copies one leg's cleaned input into a buffer of fixed capacity: a
/// caller's recorded name. Stops copying when the buffer is full.
class TrackRecorder final : public engine::RoomRecorder {
 public:
  TrackRecorder(engine::LegId leg, std::size_t capacity_samples) : leg_(leg), samples_(capacity_samples) {}

  void on_frame(engine::RoomId, std::int64_t, std::span<const std::int16_t>) noexcept override {}
  void on_track(engine::RoomId, engine::LegId leg, std::int64_t,
                std::span<const std::int16_t> input) noexcept override {
    if (leg != leg_) return;
    const std::size_t at = size_.load(std::memory_order_relaxed);
    const std::size_t n = std::min(input.size(), samples_.size() - at);
    std::copy_n(input.begin(), n, samples_.begin() + static_cast<std::ptrdiff_t>(at));
    size_.store(at + n, std::memory_order_release);
  }

  /// The samples recorded so far (any thread; they are never rewritten).
  std::span<const std::int16_t> recorded() const noexcept {
    return {samples_.data(), size_.load(std::memory_order_acquire)};
  }
  bool full() const noexcept { return size_.load(std::memory_order_acquire) >= samples_.size(); }

 private:
  const engine::LegId leg_;
  std::vector<std::int16_t> samples_;
  std::atomic<std::size_t> size_{0};
};

/// The mix and up to max_tracks legs of a room, aligned frame by frame on
/// one timeline. Frame k of every track is written at k * frame samples
/// (the buffers start zeroed, so a leg absent during a frame stays silent).
class RoomTapeRecorder final : public engine::RoomRecorder {
 public:
  struct Track {
    engine::LegId leg = engine::kNoLeg;
    std::vector<std::int16_t> samples;
  };

  RoomTapeRecorder(std::size_t capacity_samples, std::size_t max_tracks)
      : mix_(capacity_samples), tracks_(max_tracks) {
    for (Track& t : tracks_) t.samples.assign(capacity_samples, 0);
  }

  void on_frame(engine::RoomId, std::int64_t, std::span<const std::int16_t> mix) noexcept override {
    frame_ = mix.size();
    const std::size_t at = frames_ * frame_;
    if (full_.load(std::memory_order_relaxed) || at + frame_ > mix_.size()) {
      writing_ = false;
      full_.store(true, std::memory_order_release);
      return;
    }
    writing_ = true;
    std::copy(mix.begin(), mix.end(), mix_.begin() + static_cast<std::ptrdiff_t>(at));
    ++frames_;
  }

  void on_track(engine::RoomId, engine::LegId leg, std::int64_t,
                std::span<const std::int16_t> input) noexcept override {
    if (!writing_ || input.size() != frame_) return;
    Track* slot = nullptr;
    for (Track& t : tracks_) {
      if (t.leg == leg) {
        slot = &t;
        break;
      }
      if (t.leg == engine::kNoLeg) {
        t.leg = leg;
        slot = &t;
        break;
      }
    }
    if (!slot) {
      untracked_.store(true, std::memory_order_relaxed);
      return;
    }
    const std::size_t at = (frames_ - 1) * frame_;
    std::copy(input.begin(), input.end(), slot->samples.begin() + static_cast<std::ptrdiff_t>(at));
  }

  /// Set on the worker when the buffers are full; polled by the service.
  bool full() const noexcept { return full_.load(std::memory_order_acquire); }

  // Read only after the engine detached the recorder (see the file comment).
  std::size_t recorded_samples() const noexcept { return frames_ * frame_; }
  std::span<const std::int16_t> mix() const noexcept { return {mix_.data(), recorded_samples()}; }
  std::span<const Track> tracks() const noexcept { return tracks_; }
  bool some_legs_untracked() const noexcept { return untracked_.load(std::memory_order_relaxed); }

 private:
  std::vector<std::int16_t> mix_;
  std::vector<Track> tracks_;
  std::size_t frame_ = 0;
  std::size_t frames_ = 0;
  bool writing_ = false;
  std::atomic<bool> full_{false};
  std::atomic<bool> untracked_{false};
};

}  // namespace libconf::service::detail
