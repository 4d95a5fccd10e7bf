#pragma once
// Private to the store layer: the state behind PgStore and the one place that
// decides what a failure means: which SQLSTATE is which errc, when a broken
// connection is re-opened and the call run again, and when a conflict is retried.

#include <string>
#include <utility>

#include "libconf/error.hpp"
#include "libconf/store/pg_db.hpp"
#include "libconf/store/pg_store.hpp"

namespace libconf::store {

class PgStore::Impl {
 public:
  explicit Impl(PgOptions options);

  /// Whether a call may be run again after its connection broke mid-way.
  enum class Retry {
    read,        ///< reads: always
    write,       ///< writes: only when COMMIT was not yet sent (the server rolled back)
    idempotent,  ///< upserts and updates: also when COMMIT's outcome is unknown
  };

  /// Runs `body` (returning Result<T>) on an open connection, opening it first
  /// if an earlier call found it broken (store_error if that fails). A
  /// connection that breaks during `body` is re-opened and `body` run once more
  /// when `retry` allows; a
  /// serialization failure or deadlock is retried up to conflict_retries times.
  /// Any other PgError becomes its errc, with last_error naming the cause.
  template <class F>
  auto run(Retry retry, F&& body) -> decltype(body()) {
    bool reconnected = false;
    for (int conflicts = 0;;) {
      try {
        conn.ensure_open();
      } catch (const detail::PgError& e) {
        note(e);  // the server cannot be reached now: trying again at once would not help
        return errc::store_error;
      }
      try {
        auto result = body();
        last_error.clear();
        return result;
      } catch (const detail::PgError& e) {
        note(e);
        if (e.connection_lost) {
          conn.drop();
          const bool safe = retry != Retry::write || !e.outcome_unknown;
          if (!reconnected && safe) {
            reconnected = true;
            continue;
          }
          return errc::store_error;
        }
        if (is_conflict(e) && conflicts++ < options.conflict_retries) {
          backoff(conflicts);
          continue;
        }
        return to_errc(e);
      }
    }
  }

  PgOptions options;
  detail::PgConn conn;
  std::string last_error;

 private:
  void note(const detail::PgError& e);
  static bool is_conflict(const detail::PgError& e) noexcept;
  static errc to_errc(const detail::PgError& e) noexcept;
  static void backoff(int attempt);
};

}  // namespace libconf::store
