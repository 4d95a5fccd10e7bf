#pragma once
/// @file
/// The PostgreSQL Store: how several hosts share tenants, rooms, bookings and
/// CDR. Built when libpq is found (CMake option LIBCONF_WITH_POSTGRES; the
/// macro LIBCONF_HAS_POSTGRES is then defined for users of libconf::store).
///
/// - Schema: numbered migration steps recorded in table schema_migrations,
///   applied on open, each in its own transaction under an advisory lock (two
///   hosts opening a new database at once migrate it once). The steps match
///   SqliteStore's numbering.
/// - Bound parameters only: every statement is fixed SQL text, prepared once per
///   connection; values travel as parameters, never as SQL.
/// - Transactions: every write is one transaction (BEGIN .. COMMIT), all or
///   nothing. book() takes the tenant's row lock (SELECT .. FOR NO KEY UPDATE)
///   before it counts capacity, so concurrent bookings of one tenant, from any
///   number of connections and hosts, are serialised at that row and two of
///   them cannot both take the last seats; other tenants book in parallel.
///   Serialization failures and deadlocks (SQLSTATE 40001, 40P01) are retried.
/// - Reconnect: a call that finds the connection broken (server restarted,
///   network cut) reconnects and runs once more when that is safe: always for
///   reads and for writes that failed before COMMIT was sent (the server rolled
///   them back). When the connection breaks while COMMIT is in flight the
///   outcome is unknown; such a write is not repeated and returns store_error.
///   last_error() names the cause of the last failure.
/// - Bounded waits: connect_timeout_s for connecting, statement_timeout_ms for
///   each statement (also lock waits); past them a call returns store_error.
///
/// Thread-safety: one thread at a time per object (one connection each). Give
/// each thread its own PgStore; a host that must not block its control thread
/// runs its PgStore on a dedicated thread and hands it work through a queue.
/// Blocking: every call is a network round trip or several; never call it from
/// the frame path or from a thread that must not wait.

#include <memory>
#include <string>

#include "libconf/room/pin.hpp"
#include "libconf/store/store.hpp"

namespace libconf::store {

struct PgOptions {
  /// A libpq connection string: "host=db.example port=5432 dbname=conf user=confd"
  /// or a URI "postgresql://confd@db.example/conf?sslmode=require". Passwords are
  /// best kept in ~/.pgpass or PGPASSFILE rather than here; they never appear in
  /// error messages either way. Every libpq parameter and PG* environment
  /// variable applies (sslmode, target_session_attrs, options, ...).
  std::string conninfo;
  /// Seconds to wait for a connection (libpq connect_timeout), unless the
  /// connection string sets its own.
  int connect_timeout_s = 5;
  /// The longest any one statement may run or wait for a lock, ms (0: no limit).
  int statement_timeout_ms = 10'000;
  /// How often a transaction that lost a serialization conflict or deadlock is
  /// run again before the call returns store_error.
  int conflict_retries = 5;
  /// Cost of the PIN hashes made for bookings. Production: interactive(); tests: minimum().
  room::PinHashParams pin_hash = room::PinHashParams::standard();
};

class PgStore final : public Store {
 public:
  /// Connects and migrates the database to the current schema. Throws
  /// Error(store_error) naming the server (host, port, database, user; never the
  /// password) and libpq's message when it cannot connect, or when the schema is
  /// newer than this build; Error(invalid_argument) for an out-of-range option.
  explicit PgStore(PgOptions options);
  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  /// The schema version this build migrates to (the same as SqliteStore's).
  static int current_schema_version() noexcept;
  /// The version recorded in the database; -1 when it cannot be read.
  int schema_version();
  /// What went wrong in the last call that returned store_error (or another
  /// error from the server): the server, SQLSTATE and message. "" after success.
  const std::string& last_error() const noexcept;
  /// How many times the connection was re-opened after it broke.
  int reconnects() const noexcept;

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
