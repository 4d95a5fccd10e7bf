#include "libconf/store/sqlite_store.hpp"

#include <algorithm>

#include "libconf/room/room_config.hpp"
#include "libconf/store/migrations.hpp"
#include "libconf/store/sqlite_store_impl.hpp"

namespace libconf::store {

namespace detail {

errc to_errc(const DbError& e) noexcept {
  switch (e.code) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return errc::already_exists;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return errc::not_found;
    default:
      return errc::store_error;
  }
}

void validate_field(std::string_view what, std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max)
    throw Error(errc::invalid_argument, std::string(what) + " has " + std::to_string(text.size()) +
                                            " bytes; it needs 1 to " + std::to_string(max));
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw Error(errc::invalid_argument, std::string(what) + " holds a control character");
  if (!room::is_valid_utf8(text)) throw Error(errc::invalid_argument, std::string(what) + " is not valid UTF-8");
}

}  // namespace detail

SqliteStore::Impl::Impl(const std::string& p, SqliteOptions o) : db(p, o.busy_timeout_ms), options(o), path(p) {
  try {
    auto mode = db.query("PRAGMA journal_mode=WAL");
    if (!mode.step() || mode.text(0) != "wal")
      throw Error(errc::store_error, "SQLite store '" + path + "': cannot switch to WAL mode");
  } catch (const detail::DbError& e) {
    throw Error(errc::store_error, "SQLite store '" + path + "': " + e.message);
  }
  try {
    db.exec(options.full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    detail::migrate(db, path);
  } catch (const detail::DbError& e) {
    throw Error(errc::store_error, "SQLite store '" + path + "': " + e.message);
  }
}

SqliteStore::SqliteStore(const std::string& path, SqliteOptions options)
    : impl_(std::make_unique<Impl>(path, options)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::current_schema_version() noexcept { return detail::latest_schema_version(); }

int SqliteStore::schema_version() { return detail::recorded_schema_version(impl_->db); }

std::string SqliteStore::integrity_check() {
  try {
    auto q = impl_->db.query("PRAGMA integrity_check");
    std::string out;
    while (q.step()) {
      if (!out.empty()) out += '\n';
      out += q.text(0);
    }
    return out;
  } catch (const detail::DbError& e) {
    return e.message;
  }
}

// ---- tenants -------------------------------------------------------------------

Result<void> SqliteStore::add_tenant(const TenantRecord& t) {
  room::validate_name("tenant name", t.name);
  room::validate(t.quota);
  return detail::guarded([&]() -> Result<void> {
    impl_->db.query("INSERT INTO tenants(name, max_participants, max_rooms) VALUES (?, ?, ?)")
        .bind(t.name)
        .bind(t.quota.max_participants)
        .bind(t.quota.max_rooms)
        .run();
    return {};
  });
}

Result<void> SqliteStore::set_quota(const std::string& tenant, const room::TenantQuota& quota) {
  room::validate(quota);
  return detail::guarded([&]() -> Result<void> {
    impl_->db.query("UPDATE tenants SET max_participants = ?, max_rooms = ? WHERE name = ?")
        .bind(quota.max_participants)
        .bind(quota.max_rooms)
        .bind(tenant)
        .run();
    if (sqlite3_changes(impl_->db.handle()) == 0) return errc::not_found;
    return {};
  });
}

Result<TenantRecord> SqliteStore::tenant(const std::string& name) {
  return detail::guarded([&]() -> Result<TenantRecord> {
    auto q = impl_->db.query("SELECT name, max_participants, max_rooms FROM tenants WHERE name = ?");
    q.bind(name);
    if (!q.step()) return errc::not_found;
    return TenantRecord{q.text(0), {static_cast<int>(q.int64(1)), static_cast<int>(q.int64(2))}};
  });
}

Result<std::vector<TenantRecord>> SqliteStore::tenants() {
  return detail::guarded([&]() -> Result<std::vector<TenantRecord>> {
    auto q = impl_->db.query("SELECT name, max_participants, max_rooms FROM tenants ORDER BY name");
    std::vector<TenantRecord> out;
    while (q.step()) out.push_back({q.text(0), {static_cast<int>(q.int64(1)), static_cast<int>(q.int64(2))}});
    return out;
  });
}

}  // namespace libconf::store
