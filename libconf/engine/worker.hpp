#pragma once
// A worker: the rooms it owns and the queues that reach them. tick() runs on
// the worker's thread (or the host's, with a virtual clock).

#include <memory>
#include <variant>
#include <vector>

#include "libconf/engine/detail/bounded_queue.hpp"
#include "libconf/engine/room.hpp"

namespace libconf::engine::detail {

class Worker;

struct AddRoomCmd { std::unique_ptr<Room> room; };
struct CloseRoomCmd { RoomId room = kNoRoom; };
struct AddLegCmd { RoomId room = kNoRoom; std::unique_ptr<Leg> leg; std::unique_ptr<JoinParts> parts; };
struct RemoveLegCmd { LegId leg = kNoLeg; };
struct MoveOutCmd {
  LegId leg = kNoLeg;
  RoomId to = kNoRoom;
  Worker* target = nullptr;
  std::unique_ptr<RoomRateParts> rate_parts;
  std::unique_ptr<JoinParts> parts;
};
struct MoveInCmd {
  RoomId room = kNoRoom;
  RoomId from = kNoRoom;
  std::unique_ptr<Leg> leg;
  std::unique_ptr<JoinParts> parts;
};
struct SetMixCmd { LegId leg = kNoLeg; mix::LegMixState state; };
struct WhisperCmd { LegId from = kNoLeg; LegId to = kNoLeg; float gain_db = 0; bool on = true; };
struct SourceGainCmd { LegId listener = kNoLeg; LegId source = kNoLeg; float gain_db = 0; };
struct PlayCmd { RoomId room = kNoRoom; PlaybackId id = 0; PromptPtr prompt; PlayOptions options; };
struct StopPlayCmd { PlaybackId id = 0; };
struct RecordCmd { RoomId room = kNoRoom; std::shared_ptr<RoomRecorder> recorder; };

using Command = std::variant<std::monostate, AddRoomCmd, CloseRoomCmd, AddLegCmd, RemoveLegCmd, MoveOutCmd, MoveInCmd,
                             SetMixCmd, WhisperCmd, SourceGainCmd, PlayCmd, StopPlayCmd, RecordCmd>;

/// Things the worker hands back to the host thread to destroy (so freeing
/// memory and closing sockets never happen on a media thread).
using Retired = std::variant<std::monostate, std::unique_ptr<Leg>, std::unique_ptr<Room>, std::unique_ptr<JoinParts>,
                             std::unique_ptr<RoomRateParts>, PromptPtr, std::shared_ptr<RoomRecorder>>;

class Worker final : public EventSink {
 public:
  Worker(std::size_t command_queue, std::size_t event_queue);

  bool post(Command& command) noexcept { return commands_.try_push(command); }
  bool pop_event(Event& e) noexcept { return events_.try_pop(e); }
  /// Destroys everything retired so far. Host thread only.
  void collect_garbage();
  /// One tick: apply queued commands, then run every room.
  void tick(std::uint64_t tick_index, std::int64_t now_us, const Engine::OutputTap* tap) noexcept;
  std::uint64_t dropped_events() const noexcept { return dropped_events_.load(std::memory_order_relaxed); }

  void emit(const Event& event) noexcept override;

 private:
  void apply(Command& command, std::int64_t now_us) noexcept;
  void fail(errc error, RoomId room, LegId leg, std::int64_t now_us) noexcept;
  void retire(Retired item) noexcept;
  Room* room(RoomId id) noexcept;
  Room* room_of_leg(LegId leg) noexcept;

  BoundedQueue<Command> commands_;
  BoundedQueue<Event> events_;
  BoundedQueue<Retired> retired_;
  std::vector<std::unique_ptr<Room>> rooms_;
  std::atomic<std::uint64_t> dropped_events_{0};
};

}  // namespace libconf::engine::detail
