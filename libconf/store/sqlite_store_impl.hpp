#pragma once
// Private to the store layer: the state behind SqliteStore and the helpers its
// method files share.

#include <string>
#include <utility>

#include "libconf/error.hpp"
#include "libconf/store/sqlite_db.hpp"
#include "libconf/store/sqlite_store.hpp"

namespace libconf::store {

class SqliteStore::Impl {
 public:
  Impl(const std::string& path, SqliteOptions options);
  detail::Db db;
  SqliteOptions options;
  std::string path;
};

namespace detail {

/// The errc for a SQLite failure: constraint violations of a unique key mean
/// already_exists, of a foreign key not_found (the parent is missing); anything
/// else is store_error.
errc to_errc(const DbError& e) noexcept;

/// Runs `body` (returning Result<T>) and turns a DbError into its errc. A
/// Transaction inside `body` has rolled back by then.
template <class F>
auto guarded(F&& body) -> decltype(body()) {
  try {
    return std::forward<F>(body)();
  } catch (const DbError& e) {
    return to_errc(e);
  }
}

}  // namespace detail
}  // namespace libconf::store
