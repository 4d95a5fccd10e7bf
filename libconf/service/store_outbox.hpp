#pragma once
// Internal: the service's store outbox. One thread of its own owns the
// store::Store object and carries out the service's requests in order:
// writes (CDR rows, moderator sessions, moderators' changes to rooms and
// names) and the reads the service needs at run time (a group for "*100", a
// caller's stored name). The service's thread only queues a request and, in
// tick(), runs the completions of finished ones. Not installed.
//
// A write that fails with store_error (busy, I/O, a lost connection) is
// retried with exponential backoff (100 ms doubling to 30 s), forever and in
// order: later requests wait behind it, so a room's changes are never
// applied out of order. Every failed attempt is reported; a write the
// backend refuses for good (invalid input, not_found, already_exists) is
// reported once and dropped. Nothing is ever silently lost: when the queue
// holds max_queued requests, a new one is refused with a report at once.
// Thread-safety: push, take_completions, wait_idle from the owner's thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/store/store.hpp"

namespace libconf::service::detail {

class StoreOutbox {
 public:
  /// A request: `run` on the outbox thread; `done` (optional) on the service's
  /// thread with the final result (after retries, for a write).
  struct Request {
    std::string what;  ///< names it in reports: "cdr", "moderator_session", "room 4711", ...
    bool write = true;  ///< writes are retried on store_error; reads are not
    std::function<Result<void>(store::Store&)> run;
    std::function<void(const Result<void>&)> done;
  };
  /// What the outbox reports to the service's thread.
  struct Report {
    std::string what;
    errc error = errc::ok;       ///< ok: it succeeded (after `attempt` attempts)
    int attempt = 0;             ///< 1 for the first attempt
    std::int64_t retry_in_ms = 0;  ///< > 0: it is retried after this long
    bool dropped = false;          ///< given up (refused for good, or the queue was full)
    std::function<void(const Result<void>&)> done;
  };

  StoreOutbox(store::Store& store, std::size_t max_queued);
  ~StoreOutbox();
  StoreOutbox(const StoreOutbox&) = delete;
  StoreOutbox& operator=(const StoreOutbox&) = delete;

  /// Queues a request; false (nothing queued) when max_queued requests wait.
  bool push(Request request);
  /// Reports since the last call, in order: failed attempts, successes after
  /// a failure, and every request that has a `done`.
  std::vector<Report> take_reports();
  /// Blocks until nothing is queued or running (or the timeout); true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  /// Requests queued or running.
  std::size_t pending() const;

  static constexpr std::chrono::milliseconds kFirstRetry{100};
  static constexpr std::chrono::milliseconds kMaxRetry{30'000};

 private:
  void work();

  store::Store& store_;
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Request> queue_;
  std::vector<Report> reports_;
  bool running_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace libconf::service::detail
