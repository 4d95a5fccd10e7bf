#include "libconf/service/store_outbox.hpp"

#include <algorithm>
#include <utility>

namespace libconf::service::detail {

namespace {

// Failures a retry can cure: the backend was busy, an I/O or connection error.
bool transient(const std::error_code& e) noexcept { return e == make_error_code(errc::store_error); }

}  // namespace

StoreOutbox::StoreOutbox(store::Store& store, std::size_t max_queued)
    : store_(store), max_queued_(max_queued), thread_([this] { work(); }) {}

StoreOutbox::~StoreOutbox() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool StoreOutbox::push(Request request) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(request));
  }
  wake_.notify_one();
  return true;
}

std::vector<StoreOutbox::Report> StoreOutbox::take_reports() {
  std::lock_guard lock(mutex_);
  return std::exchange(reports_, {});
}

bool StoreOutbox::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && !running_; });
}

std::size_t StoreOutbox::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (running_ ? 1 : 0);
}

void StoreOutbox::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Request& r = queue_.front();  // stays at the front (in order) until it is done
    running_ = true;
    std::chrono::milliseconds backoff = kFirstRetry;
    for (int attempt = 1;; ++attempt) {
      lock.unlock();
      Result<void> result;
      try {
        result = r.run(store_);
      } catch (const Error& e) {
        result = e.code();  // invalid input: the backend refuses it for good
      } catch (const std::exception&) {
        result = errc::store_error;
      }
      lock.lock();
      if (result || !r.write || !transient(result.error())) {
        if (!result || attempt > 1 || r.done) {
          Report rep{r.what, result ? errc::ok : static_cast<errc>(result.error().value()), attempt, 0,
                     !result, std::move(r.done)};
          reports_.push_back(std::move(rep));
        }
        break;
      }
      reports_.push_back(Report{r.what, static_cast<errc>(result.error().value()), attempt, backoff.count(), false, {}});
      // Wait out the backoff (or a stop), then try again: later requests wait behind this one.
      if (wake_.wait_for(lock, backoff, [&] { return stop_; })) {
        running_ = false;
        return;
      }
      backoff = std::min(backoff * 2, kMaxRetry);
    }
    queue_.pop_front();
    running_ = false;
    idle_.notify_all();
  }
}

}  // namespace libconf::service::detail
