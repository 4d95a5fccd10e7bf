#pragma once
/// @file
/// The default Store: one SQLite database file in WAL mode. Schema changes are
/// numbered migration steps recorded in table schema_migrations and applied in
/// order on open, each in its own transaction. Every statement is prepared once
/// and binds its values (no SQL is ever built from input text). Each write is a
/// transaction; with synchronous=FULL (the default) a committed write survives a
/// crash of the process and of the machine.
///
/// Thread-safety: one thread at a time per object. Several objects (also in
/// other processes) may open the same file; writers wait up to busy_timeout_ms.

#include <memory>
#include <string>

#include "libconf/room/pin.hpp"
#include "libconf/store/store.hpp"


namespace libconf::store {

struct SqliteOptions {
  /// FULL: fsync the WAL at every commit (durable across power loss).
  /// false: synchronous=NORMAL (durable across process crashes, faster; the
  /// last commits may be lost on power loss).
  bool full_sync = true;
  int busy_timeout_ms = 5'000;
  /// Cost of the PIN hashes made for bookings. Production: interactive(); tests: minimum().
  room::PinHashParams pin_hash = room::PinHashParams::standard();
};

class SqliteStore final : public Store {
 public:
  /// Opens or creates the database at `path` and migrates it to the current schema.
  /// Throws Error(store_error) naming the path and SQLite's message when the file
  /// cannot be opened, is not a database, or has a schema newer than this build.
  explicit SqliteStore(const std::string& path, SqliteOptions options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  /// The schema version this build migrates to.
  static int current_schema_version() noexcept;
  /// The version recorded in the open database.
  int schema_version();
  /// PRAGMA integrity_check: "ok" when the file is sound.
  std::string integrity_check();

  Result<void> add_tenant(const TenantRecord& tenant) override;
  Result<void> set_quota(const std::string& tenant, const room::TenantQuota& quota) override;
  Result<TenantRecord> tenant(const std::string& name) override;
  Result<std::vector<TenantRecord>> tenants() override;

  Result<void> add_room(const RoomRecord& room) override;
  Result<void> update_room(const RoomRecord& room) override;
  Result<RoomRecord> room(const std::string& tenant, const std::string& name) override;
  Result<std::vector<RoomRecord>> rooms(const std::string& tenant) override;
  Result<void> remove_room(const std::string& tenant, const std::string& name) override;

  Result<void> put_moderator(const ModeratorRecord& moderator) override;
  Result<ModeratorRecord> moderator(const std::string& tenant, const std::string& name) override;
  Result<std::vector<ModeratorRecord>> moderators(const std::string& tenant) override;
  Result<void> remove_moderator(const std::string& tenant, const std::string& name) override;

  Result<void> put_caller_name(const CallerNameRecord& record) override;
  Result<CallerNameRecord> caller_name(const std::string& tenant, const std::string& caller_id) override;

  Result<void> put_group(const GroupRecord& group) override;
  Result<GroupRecord> group(const std::string& tenant, const std::string& name) override;
  Result<std::vector<GroupRecord>> groups(const std::string& tenant) override;

  Result<void> put_did(const DidRecord& did) override;
  Result<DidRecord> did(const std::string& number) override;
  Result<std::vector<DidRecord>> dids(const std::string& tenant) override;

  Result<BookingConfirmation> book(const BookingRequest& request) override;
  Result<std::vector<BookingRecord>> bookings(const std::string& tenant) override;
  Result<void> cancel_booking(const std::string& tenant, std::int64_t id) override;

  Result<void> append_cdr(const room::LegRecord& leg) override;
  Result<std::vector<room::LegRecord>> cdr(const std::string& tenant) override;
  Result<void> append_session(const room::ModeratorSession& session) override;
  Result<std::vector<room::ModeratorSession>> sessions(const std::string& tenant) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::store
