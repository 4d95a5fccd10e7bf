#include "libconf/store/migrations.hpp"

#include <array>

#include "libconf/error.hpp"

namespace libconf::store::detail {
namespace {

struct Step {
  int version;
  const char* description;
  const char* sql;
};

// Append only: a released step never changes, a schema change is a new step.
constexpr std::array kSteps{
    Step{1, "directory: tenants, rooms, moderators, groups, DIDs", R"sql(
CREATE TABLE tenants(
  name TEXT PRIMARY KEY,
  max_participants INTEGER NOT NULL CHECK (max_participants > 0),
  max_rooms INTEGER NOT NULL CHECK (max_rooms > 0));
CREATE TABLE rooms(
  tenant TEXT NOT NULL REFERENCES tenants(name),
  name TEXT NOT NULL,
  topic TEXT NOT NULL,
  max_members INTEGER NOT NULL CHECK (max_members > 0),
  participant_pin_hash TEXT NOT NULL,
  moderator_pin_hash TEXT NOT NULL,
  listener_pin_hash TEXT NOT NULL,
  when_full TEXT NOT NULL CHECK (when_full IN ('route_to_operator', 'overflow')),
  wait_for_moderator INTEGER NOT NULL,
  end_with_last_moderator INTEGER NOT NULL,
  end_grace_ms INTEGER NOT NULL,
  acl_allow TEXT NOT NULL,
  acl_deny TEXT NOT NULL,
  PRIMARY KEY (tenant, name));
CREATE TABLE moderators(
  tenant TEXT NOT NULL REFERENCES tenants(name),
  name TEXT NOT NULL,
  caller_id TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  PRIMARY KEY (tenant, name));
CREATE TABLE groups(
  tenant TEXT NOT NULL REFERENCES tenants(name),
  name TEXT NOT NULL,
  PRIMARY KEY (tenant, name));
CREATE TABLE group_members(
  tenant TEXT NOT NULL,
  group_name TEXT NOT NULL,
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  PRIMARY KEY (tenant, group_name, position),
  FOREIGN KEY (tenant, group_name) REFERENCES groups(tenant, name) ON DELETE CASCADE);
CREATE TABLE dids(
  number TEXT PRIMARY KEY,
  tenant TEXT NOT NULL REFERENCES tenants(name),
  target TEXT NOT NULL CHECK (target IN ('room', 'menu', 'operator')),
  room TEXT,
  billing_mode TEXT NOT NULL CHECK (billing_mode IN ('caller_pays', 'initiator_pays')),
  FOREIGN KEY (tenant, room) REFERENCES rooms(tenant, name));
CREATE INDEX dids_by_tenant ON dids(tenant, target, billing_mode);
)sql"},
    Step{2, "bookings", R"sql(
CREATE TABLE bookings(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL REFERENCES tenants(name),
  room TEXT NOT NULL,
  topic TEXT NOT NULL,
  dial_in TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms > 0),
  participants INTEGER NOT NULL CHECK (participants > 0),
  billing_mode TEXT NOT NULL);
CREATE INDEX bookings_by_tenant_time ON bookings(tenant, start_ms);
)sql"},
    Step{3, "call detail records and moderator sessions", R"sql(
CREATE TABLE cdr_legs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  leg INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  caller_id TEXT NOT NULL,
  did TEXT NOT NULL,
  billing_mode TEXT NOT NULL,
  role TEXT NOT NULL,
  arrived_ms INTEGER NOT NULL,
  ivr_ms INTEGER NOT NULL,
  queue_ms INTEGER NOT NULL,
  left_ms INTEGER NOT NULL,
  exit_reason TEXT NOT NULL,
  exit_detail TEXT NOT NULL);
CREATE INDEX cdr_legs_by_tenant ON cdr_legs(tenant, id);
CREATE TABLE cdr_segments(
  leg_row INTEGER NOT NULL REFERENCES cdr_legs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  room TEXT NOT NULL,
  side_room INTEGER NOT NULL,
  role TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  PRIMARY KEY (leg_row, position));
CREATE TABLE moderator_sessions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  moderator TEXT NOT NULL,
  login_ms INTEGER NOT NULL,
  logout_ms INTEGER NOT NULL);
CREATE INDEX moderator_sessions_by_tenant ON moderator_sessions(tenant, id);
)sql"},
    Step{4, "records across hosts (host, Call-ID, UTC), room locks, caller names", R"sql(
ALTER TABLE cdr_legs ADD COLUMN host_id TEXT NOT NULL DEFAULT '';
ALTER TABLE cdr_legs ADD COLUMN call_id TEXT NOT NULL DEFAULT '';
ALTER TABLE cdr_legs ADD COLUMN arrived_utc_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cdr_legs ADD COLUMN left_utc_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cdr_legs_by_tenant_time ON cdr_legs(tenant, arrived_utc_ms);
ALTER TABLE moderator_sessions ADD COLUMN host_id TEXT NOT NULL DEFAULT '';
ALTER TABLE moderator_sessions ADD COLUMN call_id TEXT NOT NULL DEFAULT '';
ALTER TABLE moderator_sessions ADD COLUMN login_utc_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderator_sessions ADD COLUMN logout_utc_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
CREATE TABLE caller_names(
  tenant TEXT NOT NULL REFERENCES tenants(name),
  caller_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (tenant, caller_id));
)sql"},
};

}  // namespace

int latest_schema_version() noexcept { return kSteps.back().version; }

int recorded_schema_version(Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return q.step() ? static_cast<int>(q.int64(0)) : 0;
}

void migrate(Db& db, const std::string& path) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations("
      "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const int have = recorded_schema_version(db);
  if (have > latest_schema_version())
    throw Error(errc::store_error, "SQLite store '" + path + "': schema version " + std::to_string(have) +
                                       " is newer than this libconf (" +
                                       std::to_string(latest_schema_version()) + ")");
  for (const Step& step : kSteps) {
    if (step.version <= have) continue;
    Transaction tx(db);
    // Re-check under the write lock: another process may have migrated meanwhile.
    if (recorded_schema_version(db) >= step.version) continue;
    db.exec(step.sql);
    db.query("INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, datetime('now'))")
        .bind(step.version)
        .bind(std::string_view(step.description))
        .run();
    tx.commit();
  }
}

}  // namespace libconf::store::detail
