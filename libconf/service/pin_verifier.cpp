#include "libconf/service/pin_verifier.hpp"

#include <utility>

#include "libconf/room/pin.hpp"

namespace libconf::service::detail {

PinVerifier::PinVerifier(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

PinVerifier::~PinVerifier() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    for (room::PinCheck& c : queue_) room::wipe_secret(c.pin);
    queue_.clear();
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

PinVerifier::Done PinVerifier::verify(room::PinCheck& check) noexcept {
  const room::PinMatch match = room::verify_pin_check(check);
  room::wipe_secret(check.pin);
  return Done{check.id, match};
}

bool PinVerifier::submit(room::PinCheck check) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_) {
      room::wipe_secret(check.pin);
      return false;
    }
    queue_.push_back(std::move(check));
  }
  wake_.notify_one();
  return true;
}

std::vector<PinVerifier::Done> PinVerifier::take_done() {
  std::lock_guard lock(mutex_);
  return std::exchange(done_, {});
}

void PinVerifier::run_here() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) {
    room::PinCheck check = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const Done d = verify(check);
    lock.lock();
    done_.push_back(d);
  }
}

bool PinVerifier::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (workers_.empty()) return true;  // nothing runs in the background: tick() verifies
  return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && running_ == 0; });
}

void PinVerifier::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    room::PinCheck check = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    const Done d = verify(check);  // the slow part, without the lock
    lock.lock();
    --running_;
    done_.push_back(d);
    idle_.notify_all();
  }
}

}  // namespace libconf::service::detail
