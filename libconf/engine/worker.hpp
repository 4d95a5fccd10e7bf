#pragma once
// A worker: the rooms it owns and the queues that reach them. tick() runs on
// the worker's thread (or the host's, with a virtual clock); post(),
// pop_event(), collect_garbage() and health() on host threads.

#include <array>
#include <atomic>
#include <memory>
#include <variant>
#include <vector>

#include "libconf/audio/thread_checker.hpp"
#include "libconf/engine/detail/bounded_queue.hpp"
#include "libconf/engine/detail/reserved_queue.hpp"
#include "libconf/engine/room.hpp"

namespace libconf::engine::detail {

/// A leg travelling between rooms: the source worker detaches it into the
/// handoff (state ready) or gives up (failed); the target worker attaches it.
struct Handoff {
  enum State : int { pending, ready, failed };
  std::atomic<int> state{pending};
  std::unique_ptr<Leg> leg;
};

// Commands carry the Room they act on: the engine's directory knows it, and
// a room is destroyed only after every command queued before its CloseRoomCmd.
struct AddRoomCmd { std::unique_ptr<Room> room; };
struct CloseRoomCmd { Room* room = nullptr; };
struct AddLegCmd { Room* room = nullptr; std::unique_ptr<Leg> leg; std::unique_ptr<JoinParts> parts; };
struct RemoveLegCmd { Room* room = nullptr; LegId leg = kNoLeg; };
struct MoveOutCmd {
  Room* room = nullptr;
  LegId leg = kNoLeg;
  Handoff* handoff = nullptr;  // owned by the matching MoveInCmd
  std::unique_ptr<RoomRateParts> rate_parts;
};
struct MoveInCmd {
  Room* room = nullptr;
  RoomId from = kNoRoom;
  LegId leg = kNoLeg;
  std::unique_ptr<Handoff> handoff;
  std::unique_ptr<JoinParts> parts;
};
struct SetMixCmd { Room* room = nullptr; LegId leg = kNoLeg; mix::LegMixState state; };
struct WhisperCmd { Room* room = nullptr; LegId from = kNoLeg; LegId to = kNoLeg; float gain_db = 0; bool on = true; };
struct SourceGainCmd { Room* room = nullptr; LegId listener = kNoLeg; LegId source = kNoLeg; float gain_db = 0; };
struct UpdateLegCmd {
  Room* room = nullptr;
  LegId leg = kNoLeg;
  std::unique_ptr<LegChange> change;
  std::unique_ptr<JoinParts> parts;  // streams for a new codec (or null)
};
struct PlayCmd { Room* room = nullptr; PlaybackId id = kNoPlayback; PromptPtr prompt; PlayOptions options; };
struct StopPlayCmd { Room* room = nullptr; PlaybackId id = kNoPlayback; };
struct RecordCmd { Room* room = nullptr; std::shared_ptr<RoomRecorder> recorder; };

struct Command {
  std::variant<std::monostate, AddRoomCmd, CloseRoomCmd, AddLegCmd, RemoveLegCmd, MoveOutCmd, MoveInCmd, SetMixCmd,
               WhisperCmd, SourceGainCmd, UpdateLegCmd, PlayCmd, StopPlayCmd, RecordCmd>
      body;
  /// Event-queue units the poster reserved for this command's outcome events
  /// (a PlayCmd reserves one more, held by its player for playback_done).
  std::uint32_t events = 0;
};

/// Things the worker hands back to the host thread to destroy (so freeing
/// memory and closing sockets never happen on a media thread).
using Retired = std::variant<std::monostate, std::unique_ptr<Leg>, std::unique_ptr<Room>, std::unique_ptr<JoinParts>,
                             std::unique_ptr<RoomRateParts>, std::unique_ptr<LegChange>, std::unique_ptr<Handoff>,
                             PromptPtr, std::shared_ptr<RoomRecorder>>;

class Worker final : public EventSink {
 public:
  /// commands_per_tick: the command budget (see EngineConfig).
  Worker(std::size_t command_queue, std::size_t event_queue, std::size_t commands_per_tick);
  ~Worker();

  // Host side. post() reserves the command's events first; false (nothing
  // posted, nothing reserved) when either queue is full.
  bool reserve(std::size_t commands, std::size_t events) noexcept;
  void unreserve(std::size_t commands, std::size_t events) noexcept;
  /// Pushes a command into space reserve() took (cannot fail).
  void post_reserved(Command& command) noexcept;
  /// One consumer at a time (the engine serialises poll_events).
  bool pop_event(Event& e) noexcept { return events_.try_pop(e); }
  /// Destroys everything retired so far. Host thread only.
  void collect_garbage();
  /// The worker's health counters; host thread.
  WorkerHealth health(int ptime_ms) const;

  /// One tick: apply queued commands (at most the budget), then run every
  /// room. lateness_us: how late the tick started against its deadline (0
  /// with a virtual clock).
  void tick(std::uint64_t tick_index, std::int64_t now_us, std::int64_t lateness_us, int ptime_ms,
            const Engine::OutputTap* tap) noexcept;
  /// The thread that runs tick() changes (start/stop): the next tick binds it.
  void hand_over() noexcept { owner_.detach(); }
  /// Counts ticks dropped when the real-time loop resynchronised.
  void count_skipped(std::uint64_t ticks) noexcept { skipped_ticks_.fetch_add(ticks, std::memory_order_relaxed); }

  void emit(const Event& event) noexcept override;

  /// Tick durations kept for health(): the last minute at 20 ms.
  static constexpr std::size_t kTickWindow = 3000;

 private:
  void apply_commands(std::int64_t now_us) noexcept;
  void apply(Command& command, std::int64_t now_us) noexcept;
  void apply_add_room(AddRoomCmd& c, std::int64_t now_us) noexcept;
  void apply_close_room(CloseRoomCmd& c, std::int64_t now_us) noexcept;
  void apply_add_leg(AddLegCmd& c, std::int64_t now_us) noexcept;
  void apply_remove_leg(RemoveLegCmd& c, std::int64_t now_us) noexcept;
  void apply_move_out(MoveOutCmd& c, std::int64_t now_us) noexcept;
  /// False when the leg has not left its old room yet (the command waits).
  bool apply_move_in(MoveInCmd& c, std::int64_t now_us) noexcept;
  void apply_set_mix(SetMixCmd& c, std::int64_t now_us) noexcept;
  void apply_whisper(WhisperCmd& c, std::int64_t now_us) noexcept;
  void apply_source_gain(SourceGainCmd& c, std::int64_t now_us) noexcept;
  void apply_update_leg(UpdateLegCmd& c, std::int64_t now_us) noexcept;
  void apply_play(PlayCmd& c, std::int64_t now_us) noexcept;
  void apply_stop_play(StopPlayCmd& c, std::int64_t now_us) noexcept;
  void apply_record(RecordCmd& c, std::int64_t now_us) noexcept;
  void fail(errc error, RoomId room, LegId leg, std::int64_t now_us) noexcept;
  void retire(Retired item) noexcept;
  void link(std::unique_ptr<Room> room) noexcept;
  std::unique_ptr<Room> unlink(Room* room) noexcept;
  void record_tick(std::int64_t duration_us, std::int64_t lateness_us, int ptime_ms) noexcept;

  std::size_t budget_;
  ReservedQueue<Command> commands_;
  ReservedQueue<Event> events_;
  BoundedQueue<Retired> retired_;
  Room* rooms_ = nullptr;  // intrusive list, owned (see unlink)
  /// A MoveInCmd whose leg has not left its old room yet: it and every later
  /// command wait (commands keep their order).
  Command waiting_;
  bool has_waiting_ = false;
  std::size_t apply_units_ = 0;  // event units left to the command being applied

  // Health, written by the worker (relaxed), read by the host.
  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<std::uint64_t> late_ticks_{0};
  std::atomic<std::uint64_t> overruns_{0};
  std::atomic<std::uint64_t> skipped_ticks_{0};
  std::atomic<std::int64_t> max_late_us_{0};
  std::atomic<std::uint64_t> dropped_events_{0};
  std::atomic<std::uint64_t> critical_dropped_{0};
  std::atomic<std::uint64_t> deferred_ticks_{0};
  std::atomic<std::uint64_t> retired_on_worker_{0};
  std::atomic<std::uint64_t> commands_applied_{0};
  std::atomic<std::size_t> room_count_{0};
  std::atomic<std::size_t> leg_count_{0};
  std::unique_ptr<std::atomic<std::uint32_t>[]> tick_us_;  // ring of kTickWindow durations
  [[no_unique_address]] audio::detail::OwnerChecker owner_;
};

}  // namespace libconf::engine::detail
