#pragma once
// Private to the store layer: the numbered schema steps of the SQLite store.

#include "libconf/store/sqlite_db.hpp"

namespace libconf::store::detail {

/// The highest migration step; SqliteStore::current_schema_version().
int latest_schema_version() noexcept;

/// Brings the database to latest_schema_version(), one transaction per step,
/// each recorded in schema_migrations(version, description, applied_at).
/// Throws libconf::Error(store_error) if the database is newer than this build.
void migrate(Db& db, const std::string& path);

/// The version recorded in schema_migrations (0 for a new file).
int recorded_schema_version(Db& db);

}  // namespace libconf::store::detail
