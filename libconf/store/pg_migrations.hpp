#pragma once
// Private to the store layer: the numbered schema steps of the PostgreSQL store.
// The numbering matches migrations.cpp (SQLite): step N brings the same tables
// and columns to both backends.

#include "libconf/store/pg_db.hpp"

namespace libconf::store::detail {

/// The highest migration step; PgStore::current_schema_version().
int latest_pg_schema_version() noexcept;

/// Brings the database to latest_pg_schema_version(), one transaction per step
/// under an advisory lock, each recorded in schema_migrations(version,
/// description, applied_at). Throws libconf::Error(store_error) when the
/// database is newer than this build; PgError when the server fails.
void migrate(PgConn& conn);

/// The version recorded in schema_migrations (0 for a new database).
int recorded_schema_version(PgConn& conn);

}  // namespace libconf::store::detail
