#pragma once
/// @file
/// One configuration string chooses and opens the Store, so a host's
/// configuration (`store = ...`) needs no code per backend:
///
/// | location | opens |
/// |---|---|
/// | `postgresql://user@host:port/db?...` or `postgres://...` | PgStore with that URI |
/// | `pg:host=db1 dbname=conf user=confd` | PgStore with the libpq keyword/value string after `pg:` |
/// | `sqlite:/var/lib/confd/libconf.db` or a plain path | SqliteStore on that file |
///
/// Throws Error(invalid_argument) for an empty location, Error(not_supported)
/// for a PostgreSQL location in a build without LIBCONF_WITH_POSTGRES, and
/// whatever the backend's constructor throws (store_error naming the file or
/// server). Thread-safety: as the store it returns (one thread at a time).

#include <memory>
#include <string>

#include "libconf/room/pin.hpp"
#include "libconf/store/store.hpp"

namespace libconf::store {

struct OpenOptions {
  /// Cost of the PIN hashes made for bookings. Production: interactive(); tests: minimum().
  room::PinHashParams pin_hash = room::PinHashParams::standard();
};

/// True when `location` names a PostgreSQL database (see the table above).
bool is_postgres_location(const std::string& location) noexcept;

std::unique_ptr<Store> open_store(const std::string& location, const OpenOptions& options = {});

}  // namespace libconf::store
