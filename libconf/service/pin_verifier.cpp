#include "libconf/service/pin_verifier.hpp"

#include <utility>

namespace libconf::service::detail {

namespace {

void wipe(room::PinCheck& c) noexcept { room::wipe_secret(c.pin); }
void wipe(PinVerifier::HashJob& j) noexcept { room::wipe_secret(j.pin); }

}  // namespace

PinVerifier::PinVerifier(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

PinVerifier::~PinVerifier() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    for (Job& j : queue_) std::visit([](auto& x) { wipe(x); }, j);
    queue_.clear();
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void PinVerifier::run(Job& job) {
  if (auto* check = std::get_if<room::PinCheck>(&job)) {
    const room::PinMatch match = room::verify_pin_check(*check);
    wipe(*check);
    std::lock_guard lock(mutex_);
    done_.push_back(Done{check->id, match});
    return;
  }
  auto& h = std::get<HashJob>(job);
  Hashed out;
  out.id = h.id;
  bool taken = false;
  for (const std::string& other : h.others) taken = room::verify_pin(other, h.pin) || taken;  // all: flat timing
  if (taken) {
    out.error = errc::already_exists;
  } else {
    try {
      out.hash = room::hash_pin(h.pin, h.params);
    } catch (const Error& e) {
      out.error = e.code_enum();
    }
  }
  wipe(h);
  std::lock_guard lock(mutex_);
  hashed_.push_back(std::move(out));
}

bool PinVerifier::submit(room::PinCheck check) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_) {
      wipe(check);
      return false;
    }
    queue_.emplace_back(std::move(check));
  }
  wake_.notify_one();
  return true;
}

bool PinVerifier::submit(HashJob job) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_) {
      wipe(job);
      return false;
    }
    queue_.emplace_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

std::vector<PinVerifier::Done> PinVerifier::take_done() {
  std::lock_guard lock(mutex_);
  return std::exchange(done_, {});
}

std::vector<PinVerifier::Hashed> PinVerifier::take_hashed() {
  std::lock_guard lock(mutex_);
  return std::exchange(hashed_, {});
}

void PinVerifier::run_here() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) {
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    run(job);
    lock.lock();
  }
}

bool PinVerifier::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (workers_.empty()) return true;  // nothing runs in the background: tick() does the work
  return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && running_ == 0; });
}

void PinVerifier::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    run(job);  // the slow part, without the lock
    lock.lock();
    --running_;
    idle_.notify_all();
  }
}

}  // namespace libconf::service::detail
