#pragma once
/// @file
/// Where tenants, rooms (with the lock and PINs moderators set), PIN hashes,
/// moderators, caller names, groups, DIDs, bookings and CDR live. An
/// interface: SqliteStore (sqlite_store.hpp) is the default; PgStore
/// (pg_store.hpp) is how several hosts share state; open_store (open.hpp) picks
/// one from a configuration string. Never called from the frame path: calls
/// block on disk or network, so hosts make them from a thread of their own
/// (the service's store outbox).
///
/// Errors: inputs that break a documented rule (bad name, PIN hash not a hash,
/// booking outside its ranges) throw libconf::Error(invalid_argument) naming the
/// value, before anything is written. State outcomes come back as Result:
/// not_found, already_exists, quota_exceeded (booking beyond the tenant's
/// capacity), store_error (the backend failed; the change was rolled back, or,
/// when a PgStore lost its connection during COMMIT, may or may not have
/// committed: pg_store.hpp).
/// Every write is one transaction: all of it or nothing.
///
/// Thread-safety: an implementation object is used by one thread at a time;
/// open one per thread.

#include <cstdint>
#include <string>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/cdr.hpp"
#include "libconf/store/records.hpp"

namespace libconf::store {

class Store {
 public:
  virtual ~Store() = default;

  // tenants
  virtual Result<void> add_tenant(const TenantRecord& tenant) = 0;
  virtual Result<void> set_quota(const std::string& tenant, const room::TenantQuota& quota) = 0;
  virtual Result<TenantRecord> tenant(const std::string& name) = 0;
  virtual Result<std::vector<TenantRecord>> tenants() = 0;

  // rooms (not_found for an unknown tenant)
  virtual Result<void> add_room(const RoomRecord& room) = 0;
  /// Replaces the stored config of an existing room.
  virtual Result<void> update_room(const RoomRecord& room) = 0;
  virtual Result<RoomRecord> room(const std::string& tenant, const std::string& name) = 0;
  virtual Result<std::vector<RoomRecord>> rooms(const std::string& tenant) = 0;
  virtual Result<void> remove_room(const std::string& tenant, const std::string& name) = 0;

  // moderators
  virtual Result<void> put_moderator(const ModeratorRecord& moderator) = 0;  ///< insert or replace
  virtual Result<ModeratorRecord> moderator(const std::string& tenant, const std::string& name) = 0;
  virtual Result<std::vector<ModeratorRecord>> moderators(const std::string& tenant) = 0;
  virtual Result<void> remove_moderator(const std::string& tenant, const std::string& name) = 0;

  // caller names
  /// Insert or replace; an empty name removes the record.
  virtual Result<void> put_caller_name(const CallerNameRecord& record) = 0;
  /// not_found when the number has no stored name.
  virtual Result<CallerNameRecord> caller_name(const std::string& tenant, const std::string& caller_id) = 0;

  // groups
  virtual Result<void> put_group(const GroupRecord& group) = 0;  ///< insert or replace members
  virtual Result<GroupRecord> group(const std::string& tenant, const std::string& name) = 0;
  virtual Result<std::vector<GroupRecord>> groups(const std::string& tenant) = 0;

  // DIDs
  virtual Result<void> put_did(const DidRecord& did) = 0;  ///< insert or replace
  virtual Result<DidRecord> did(const std::string& number) = 0;
  virtual Result<std::vector<DidRecord>> dids(const std::string& tenant) = 0;

  // bookings
  /// Checks that the tenant has free capacity for the whole interval (seats:
  /// max_participants minus the seats of overlapping bookings; rooms: max_rooms
  /// minus overlapping bookings), reserves it, creates room "booking-<id>" with
  /// generated 6-digit participant and 8-digit moderator PINs, and confirms with
  /// the tenant's menu DID of the asked billing mode. quota_exceeded when full,
  /// not_found when the tenant has no such DID. Atomic against concurrent bookers.
  virtual Result<BookingConfirmation> book(const BookingRequest& request) = 0;
  virtual Result<std::vector<BookingRecord>> bookings(const std::string& tenant) = 0;
  /// Frees the reservation and removes the booked room.
  virtual Result<void> cancel_booking(const std::string& tenant, std::int64_t id) = 0;

  // CDR
  virtual Result<void> append_cdr(const room::LegRecord& leg) = 0;
  virtual Result<std::vector<room::LegRecord>> cdr(const std::string& tenant) = 0;
  virtual Result<void> append_session(const room::ModeratorSession& session) = 0;
  virtual Result<std::vector<room::ModeratorSession>> sessions(const std::string& tenant) = 0;
};

}  // namespace libconf::store
