#pragma once
// Internal: the small bounded pool that verifies PINs (Argon2id) off the
// service's thread. The service keeps deciding on its own thread
// (room::Conference::begin_admit / finish_admit); only
// room::verify_pin_check() runs here. Not installed.
//
// Bounded: at most max_queued checks wait (submit() refuses more), and at most
// `threads` run at once, so the hashing memory is threads x the hashes' memory
// cost (2 x 8 MiB with room::PinHashParams::standard()). With threads == 0
// nothing runs until run_here() (deterministic: the baseline and tests).
// Thread-safety: submit, take_done, run_here, wait_idle from the owner's
// thread; the workers touch only the queues, under the mutex.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "libconf/room/conference.hpp"

namespace libconf::service::detail {

class PinVerifier {
 public:
  struct Done {
    std::uint64_t id = 0;
    room::PinMatch match = room::PinMatch::none;
  };

  PinVerifier(int threads, std::size_t max_queued);
  ~PinVerifier();
  PinVerifier(const PinVerifier&) = delete;
  PinVerifier& operator=(const PinVerifier&) = delete;

  /// Queues a check; false (and the PIN wiped) when max_queued already wait.
  bool submit(room::PinCheck check);
  /// Finished checks, oldest first.
  std::vector<Done> take_done();
  /// threads == 0: verifies every queued check on the calling thread.
  void run_here();
  /// Blocks until no check is queued or running (or the timeout); true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  void work();
  static Done verify(room::PinCheck& check) noexcept;

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;  // workers: a check was queued, or stop
  std::condition_variable idle_;  // wait_idle: a check finished
  std::deque<room::PinCheck> queue_;
  std::vector<Done> done_;
  std::size_t running_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace libconf::service::detail
