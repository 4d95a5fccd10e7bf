#include "libconf/store/open.hpp"

#include <string_view>

#include "libconf/store/sqlite_store.hpp"
#ifdef LIBCONF_HAS_POSTGRES
#include "libconf/store/pg_store.hpp"
#endif

namespace libconf::store {
namespace {

constexpr std::string_view kPgPrefix = "pg:";
constexpr std::string_view kSqlitePrefix = "sqlite:";

bool starts_with(std::string_view s, std::string_view prefix) noexcept { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool is_postgres_location(const std::string& location) noexcept {
  return starts_with(location, "postgresql://") || starts_with(location, "postgres://") ||
         starts_with(location, kPgPrefix);
}

std::unique_ptr<Store> open_store(const std::string& location, const OpenOptions& options) {
  if (location.empty()) throw Error(errc::invalid_argument, "store location is empty");
  if (is_postgres_location(location)) {
#ifdef LIBCONF_HAS_POSTGRES
    PgOptions o;
    o.conninfo = starts_with(location, kPgPrefix) ? location.substr(kPgPrefix.size()) : location;
    o.pin_hash = options.pin_hash;
    return std::make_unique<PgStore>(std::move(o));
#else
    throw Error(errc::not_supported,
                "store location names a PostgreSQL database, but this libconf was built without "
                "LIBCONF_WITH_POSTGRES");
#endif
  }
  SqliteOptions o;
  o.pin_hash = options.pin_hash;
  const std::string path = starts_with(location, kSqlitePrefix) ? location.substr(kSqlitePrefix.size()) : location;
  if (path.empty()) throw Error(errc::invalid_argument, "store location 'sqlite:' names no file");
  return std::make_unique<SqliteStore>(path, o);
}

}  // namespace libconf::store
