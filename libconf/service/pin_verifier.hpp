#pragma once
// Internal: the small bounded pool that verifies and hashes PINs (Argon2id)
// off the service's thread. The service keeps deciding on its own thread
// (room::Conference::begin_admit / finish_admit, set_pin_hash); only
// room::verify_pin_check() and room::hash_pin() run here. Not installed.
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
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/room/pin.hpp"

namespace libconf::service::detail {

class PinVerifier {
 public:
  struct Done {
    std::uint64_t id = 0;
    room::PinMatch match = room::PinMatch::none;
  };
  /// A new PIN to hash (ConferenceService::set_pin), refused when it is one
  /// of `others` (the room's other PINs' hashes).
  struct HashJob {
    std::uint64_t id = 0;
    std::string pin;
    room::PinHashParams params = room::PinHashParams::standard();
    std::vector<std::string> others;
  };
  struct Hashed {
    std::uint64_t id = 0;
    std::string hash;        ///< "" when error is set
    errc error = errc::ok;   ///< already_exists: another role's PIN; capacity_exceeded: no memory
  };

  PinVerifier(int threads, std::size_t max_queued);
  ~PinVerifier();
  PinVerifier(const PinVerifier&) = delete;
  PinVerifier& operator=(const PinVerifier&) = delete;

  /// Queues a check; false (and the PIN wiped) when max_queued already wait.
  bool submit(room::PinCheck check);
  /// Queues a hash job; false (and the PIN wiped) when max_queued jobs wait.
  bool submit(HashJob job);
  /// Finished checks, oldest first.
  std::vector<Done> take_done();
  /// Finished hash jobs, oldest first.
  std::vector<Hashed> take_hashed();
  /// threads == 0: verifies every queued check on the calling thread.
  void run_here();
  /// Blocks until no check is queued or running (or the timeout); true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  using Job = std::variant<room::PinCheck, HashJob>;
  void work();
  void run(Job& job);  // unlocked; stores the result under the lock

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;  // workers: a check was queued, or stop
  std::condition_variable idle_;  // wait_idle: a check finished
  std::deque<Job> queue_;
  std::vector<Done> done_;
  std::vector<Hashed> hashed_;
  std::size_t running_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace libconf::service::detail
