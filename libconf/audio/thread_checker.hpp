#pragma once
// Private (not installed): a check that a single-threaded object is used from
// its owner only, in the manner of WebRTC's SequenceChecker.
//
//   class Room {
//     void tick() noexcept { LIBCONF_DCHECK_OWNER(owner_); ... }
//     audio::detail::OwnerChecker owner_;
//   };
//
// The owner is a *sequence*: the thread's ScopedSequence token when one is
// active (an engine worker marks each tick with its own token, so a room
// stays owned by its worker whichever thread runs the tick), otherwise the
// thread itself. A checker binds to the first owner that checks it; detach()
// hands the object over (a leg moving to another worker). A check from any
// other owner prints the object and aborts.
//
// Cost: with LIBCONF_THREAD_CHECKS 0 (release builds, NDEBUG) every class
// here is empty and every check compiles to nothing. LIBCONF_THREAD_CHECKS=1
// turns the checks on in any build (CMake does so for Debug and the
// sanitizer builds).

#include <atomic>
#include <cstdio>
#include <cstdlib>

#ifndef LIBCONF_THREAD_CHECKS
#ifdef NDEBUG
#define LIBCONF_THREAD_CHECKS 0
#else
#define LIBCONF_THREAD_CHECKS 1
#endif
#endif

namespace libconf::audio::detail {

#if LIBCONF_THREAD_CHECKS

/// The caller's current owner token: its innermost ScopedSequence, or the thread.
inline const void*& current_sequence() noexcept {
  thread_local const void* sequence = nullptr;
  return sequence;
}
inline const void* current_owner() noexcept {
  thread_local const char thread_token = 0;
  const void* s = current_sequence();
  return s ? s : &thread_token;
}

/// Marks the calling thread as running `token`'s sequence until destroyed.
class ScopedSequence {
 public:
  explicit ScopedSequence(const void* token) noexcept : previous_(current_sequence()) { current_sequence() = token; }
  ~ScopedSequence() { current_sequence() = previous_; }
  ScopedSequence(const ScopedSequence&) = delete;
  ScopedSequence& operator=(const ScopedSequence&) = delete;

 private:
  const void* previous_;
};

class OwnerChecker {
 public:
  /// True when called by the bound owner (binding to the caller if unbound).
  bool is_owner() const noexcept {
    const void* me = current_owner();
    const void* expected = nullptr;
    if (owner_.compare_exchange_strong(expected, me, std::memory_order_relaxed)) return true;
    return expected == me;
  }
  /// The next check binds to its caller.
  void detach() noexcept { owner_.store(nullptr, std::memory_order_relaxed); }

 private:
  mutable std::atomic<const void*> owner_{nullptr};
};

[[noreturn]] inline void owner_check_failed(const char* what, const char* file, int line) noexcept {
  std::fprintf(stderr, "%s:%d: %s used outside its owning thread/sequence\n", file, line, what);
  std::abort();
}

#define LIBCONF_DCHECK_OWNER(checker) \
  ((checker).is_owner() ? void(0) : ::libconf::audio::detail::owner_check_failed(#checker, __FILE__, __LINE__))

#else

class ScopedSequence {
 public:
  explicit ScopedSequence(const void*) noexcept {}
};

class OwnerChecker {
 public:
  bool is_owner() const noexcept { return true; }
  void detach() noexcept {}
};

#define LIBCONF_DCHECK_OWNER(checker) void(0)

#endif

}  // namespace libconf::audio::detail
