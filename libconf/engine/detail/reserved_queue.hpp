#pragma once
// A BoundedQueue whose space can be reserved ahead of the push. A producer
// that reserved n units can push n values later and those pushes cannot fail:
// the engine uses it so that a command is refused when it is posted (the
// caller gets capacity_exceeded at once) instead of being lost later, and so
// that the events a host waits for (command outcomes, playback_done) always
// have room when the worker emits them.
//
// used_ counts values in the queue plus reserved units not yet pushed; it is
// never above limit(). Consumers must be serialised (one at a time) and give
// a unit back only after try_pop() returned: then a producer holding a unit
// always finds its cell free (see push_reserved).
// Lock-free, allocation-free after construction.

#include <atomic>
#include <cstddef>

#include "libconf/engine/detail/bounded_queue.hpp"

namespace libconf::engine::detail {

template <class T>
class ReservedQueue {
 public:
  explicit ReservedQueue(std::size_t capacity) : queue_(capacity), limit_(capacity) {}

  std::size_t limit() const noexcept { return limit_; }
  /// Values queued plus units reserved (approximate while others move it).
  std::size_t used() const noexcept { return used_.load(std::memory_order_relaxed); }

  /// Reserves n units; false (nothing reserved) when they do not fit.
  bool try_reserve(std::size_t n) noexcept {
    std::size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used + n > limit_) return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
  }
  /// Gives back n reserved units that will not be pushed.
  void release(std::size_t n) noexcept { used_.fetch_sub(n, std::memory_order_relaxed); }

  /// Pushes into a unit reserved earlier. Cannot fail while the reservation
  /// rules hold: with at most limit() units in use and consumers that free a
  /// unit only after their pop completed, the cell a push lands on was
  /// emptied (limit() ≤ the queue's capacity). False would be a bug; the
  /// unit is then given back.
  bool push_reserved(T& value) noexcept {
    if (queue_.try_push(value)) return true;
    release(1);
    return false;
  }
  /// Reserves one unit and pushes; false when full.
  bool try_push(T& value) noexcept {
    if (!try_reserve(1)) return false;
    return push_reserved(value);
  }
  /// One consumer at a time. Frees the popped value's unit.
  bool try_pop(T& out) noexcept {
    if (!queue_.try_pop(out)) return false;
    release(1);
    return true;
  }

 private:
  BoundedQueue<T> queue_;
  std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace libconf::engine::detail
