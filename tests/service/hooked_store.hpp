#pragma once
// A Store for tests and benches that forwards to a real one (SqliteStore) and
// lets the test get in the way of every write: block until released, sleep,
// or fail with an error. Reads pass straight through.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "libconf/store/store.hpp"

namespace libconf::test {

class HookedStore final : public store::Store {
 public:
  explicit HookedStore(store::Store& inner) : inner_(inner) {}

  /// Writes wait until open() (they run on the service's store thread).
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  /// Each write sleeps this long first.
  void sleep_per_write(std::chrono::milliseconds d) { sleep_ = d; }
  /// The next n writes fail with `error` (without reaching the inner store).
  void fail_next(int n, errc error = errc::store_error) {
    std::lock_guard lock(mutex_);
    failures_ = n;
    error_ = error;
  }
  int writes_attempted() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

  Result<void> add_tenant(const store::TenantRecord& t) override { return write([&] { return inner_.add_tenant(t); }); }
  Result<void> set_quota(const std::string& t, const room::TenantQuota& q) override {
    return write([&] { return inner_.set_quota(t, q); });
  }
  Result<store::TenantRecord> tenant(const std::string& n) override { return inner_.tenant(n); }
  Result<std::vector<store::TenantRecord>> tenants() override { return inner_.tenants(); }
  Result<void> add_room(const store::RoomRecord& r) override { return write([&] { return inner_.add_room(r); }); }
  Result<void> update_room(const store::RoomRecord& r) override { return write([&] { return inner_.update_room(r); }); }
  Result<store::RoomRecord> room(const std::string& t, const std::string& n) override { return inner_.room(t, n); }
  Result<std::vector<store::RoomRecord>> rooms(const std::string& t) override { return inner_.rooms(t); }
  Result<void> remove_room(const std::string& t, const std::string& n) override {
    return write([&] { return inner_.remove_room(t, n); });
  }
  Result<void> put_moderator(const store::ModeratorRecord& m) override {
    return write([&] { return inner_.put_moderator(m); });
  }
  Result<store::ModeratorRecord> moderator(const std::string& t, const std::string& n) override {
    return inner_.moderator(t, n);
  }
  Result<std::vector<store::ModeratorRecord>> moderators(const std::string& t) override { return inner_.moderators(t); }
  Result<void> remove_moderator(const std::string& t, const std::string& n) override {
    return write([&] { return inner_.remove_moderator(t, n); });
  }
  Result<void> put_caller_name(const store::CallerNameRecord& r) override {
    return write([&] { return inner_.put_caller_name(r); });
  }
  Result<store::CallerNameRecord> caller_name(const std::string& t, const std::string& c) override {
    return inner_.caller_name(t, c);
  }
  Result<void> put_group(const store::GroupRecord& g) override { return write([&] { return inner_.put_group(g); }); }
  Result<store::GroupRecord> group(const std::string& t, const std::string& n) override { return inner_.group(t, n); }
  Result<std::vector<store::GroupRecord>> groups(const std::string& t) override { return inner_.groups(t); }
  Result<void> put_did(const store::DidRecord& d) override { return write([&] { return inner_.put_did(d); }); }
  Result<store::DidRecord> did(const std::string& n) override { return inner_.did(n); }
  Result<std::vector<store::DidRecord>> dids(const std::string& t) override { return inner_.dids(t); }
  Result<store::BookingConfirmation> book(const store::BookingRequest& r) override { return inner_.book(r); }
  Result<std::vector<store::BookingRecord>> bookings(const std::string& t) override { return inner_.bookings(t); }
  Result<void> cancel_booking(const std::string& t, std::int64_t id) override {
    return write([&] { return inner_.cancel_booking(t, id); });
  }
  Result<void> append_cdr(const room::LegRecord& l) override { return write([&] { return inner_.append_cdr(l); }); }
  Result<std::vector<room::LegRecord>> cdr(const std::string& t) override { return inner_.cdr(t); }
  Result<void> append_session(const room::ModeratorSession& s) override {
    return write([&] { return inner_.append_session(s); });
  }
  Result<std::vector<room::ModeratorSession>> sessions(const std::string& t) override { return inner_.sessions(t); }

 private:
  template <class F>
  Result<void> write(F&& f) {
    {
      std::unique_lock lock(mutex_);
      ++attempts_;
      opened_.wait(lock, [&] { return open_; });
      if (failures_ > 0) {
        --failures_;
        return error_;
      }
    }
    if (sleep_.count() > 0) std::this_thread::sleep_for(sleep_);
    return f();
  }

  store::Store& inner_;
  mutable std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = true;
  int failures_ = 0;
  errc error_ = errc::store_error;
  int attempts_ = 0;
  std::chrono::milliseconds sleep_{0};
};

}  // namespace libconf::test
