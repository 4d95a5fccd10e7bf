#pragma once
// A room on its worker (private to the engine): the legs, the mixer, and the
// encoders shared by every listener of an output group. Single-threaded: owned
// by its worker (checked in debug builds), never moved to another.

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "libconf/engine/leg.hpp"
#include "libconf/mix/mixer.hpp"

namespace libconf::engine::detail {

/// One encoded stream shared by all legs of a group with the same codec.
struct SharedStream {
  std::uint32_t group = mix::kSharedGroup;
  CodecKey key;
  std::unique_ptr<codec::Codec> encoder;
  audio::Resampler from_room;
  std::vector<std::int16_t> pcm;                  // codec-rate frame
  std::vector<std::uint8_t> bytes;                // encoded frame
  std::size_t size = 0;
  std::uint64_t encoded_tick = ~0ull;             // tick of the bytes held
};

/// Everything a leg joining this room needs that allocates: built off-thread.
struct JoinParts {
  std::vector<std::unique_ptr<SharedStream>> streams;  // candidates for groups the room lacks
};

/// A prompt playing into the room (or to one leg of it).
struct Player {
  bool active = false;
  PlaybackId id = 0;
  PromptPtr prompt;          // already at the room's rate
  std::size_t position = 0;  // next sample
  PlayOptions options;
  mix::LegId slot = mix::kInvalidLeg;
};

class Room {
 public:
  /// Codec settings (name, rate, bitrate...) with a shared encoder per room.
  static constexpr std::size_t kMaxCodecKeys = 16;

  Room(RoomId id, const RoomConfig& config, int ptime_ms);

  RoomId id() const noexcept { return id_; }
  int sample_rate_hz() const noexcept { return config_.sample_rate_hz; }
  /// Legs in the room (players not counted).
  std::size_t leg_count() const noexcept { return legs_; }

  /// Adds a leg (join or move-in), taking it from leg only on success.
  /// Streams it needs and the room lacks are taken from parts. Errors:
  /// capacity_exceeded.
  Result<void> attach(std::unique_ptr<Leg>& leg, JoinParts& parts, std::int64_t now_us, EventSink& events,
                      bool moved, RoomId from_room) noexcept;
  /// Removes a leg (leave or move-out): final talking_stopped, leg_left.
  std::unique_ptr<Leg> detach(LegId id, std::int64_t now_us, EventSink& events, bool moved) noexcept;
  Leg* find(LegId id) noexcept;
  Result<void> set_mix_state(LegId id, const mix::LegMixState& state, std::int64_t now_us, EventSink& events) noexcept;
  Result<void> whisper(LegId from, LegId to, float gain_db, bool on) noexcept;
  Result<void> source_gain(LegId listener, LegId source, float gain_db) noexcept;
  /// update_leg at the tick boundary: the leg swaps in what change holds;
  /// streams its new codec needs and the room lacks are taken from parts.
  /// Errors: not_found.
  Result<void> update_leg(LegId id, LegChange& change, JoinParts* parts, std::int64_t now_us,
                          EventSink& events) noexcept;
  /// Room closing: ends every player, then detaches every leg into take(leg)
  /// (no allocation).
  template <class Take>
  void detach_all(std::int64_t now_us, EventSink& events, Take&& take) noexcept {
    end_all_players(now_us, events);
    for (auto& s : slots_)
      if (s.leg) take(detach(s.leg->id(), now_us, events, false));
  }

  /// Starts a prompt (already at the room's rate). Errors: capacity_exceeded,
  /// not_found (target leg).
  Result<void> start_player(PlaybackId id, PromptPtr prompt, const PlayOptions& options, std::int64_t now_us,
                            EventSink& events) noexcept;
  /// Stops a prompt; false when this room does not play it.
  bool stop_player(PlaybackId id, int reason, std::int64_t now_us, EventSink& events) noexcept;
  void set_recorder(std::shared_ptr<RoomRecorder> recorder) noexcept { recorder_ = std::move(recorder); }
  std::shared_ptr<RoomRecorder> take_recorder() noexcept { return std::move(recorder_); }
  bool recording() const noexcept { return recorder_ != nullptr; }
  /// Prompts whose playback ended; the worker retires them (never freed here).
  std::span<PromptPtr> finished_prompts() noexcept { return {finished_.data(), finished_count_}; }
  void clear_finished_prompts() noexcept { finished_count_ = 0; }

  /// One media tick.
  void tick(std::uint64_t tick_index, std::int64_t now_us, EventSink& events,
            const Engine::OutputTap* tap) noexcept;

 private:
  struct Slot {
    std::unique_ptr<Leg> leg;
    std::int32_t streams[2] = {-1, -1};  // shared / silent stream index
  };
  std::int32_t slot_of(LegId id) const noexcept;
  std::int32_t stream_index(std::uint32_t group, const CodecKey& key) const noexcept;

  void end_player(Player& p, int reason, std::int64_t now_us, EventSink& events) noexcept;
  void end_all_players(std::int64_t now_us, EventSink& events) noexcept;
  void resolve_streams(Slot& slot, JoinParts* parts) noexcept;
  void play_prompts() noexcept;
  void send_to_legs(std::uint64_t tick_index, const Engine::OutputTap* tap) noexcept;

  RoomId id_;
  RoomConfig config_;
  int ptime_ms_;
  mix::Mixer mixer_;
  std::size_t legs_ = 0;
  std::array<Player, Engine::kMaxPlaybacksPerRoom> players_{};
  std::array<PromptPtr, Engine::kMaxPlaybacksPerRoom * 2> finished_{};
  std::size_t finished_count_ = 0;
  std::shared_ptr<RoomRecorder> recorder_;
  std::vector<Slot> slots_;  // indexed by mixer leg id
  std::vector<std::unique_ptr<SharedStream>> streams_;
  [[no_unique_address]] audio::detail::OwnerChecker owner_;

 public:
  // The worker's intrusive list of rooms: adding or closing a room never allocates.
  Room* prev = nullptr;
  Room* next = nullptr;
};

}  // namespace libconf::engine::detail
