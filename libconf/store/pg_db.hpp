#pragma once
// Private to the store layer: a thin RAII layer over libpq, the twin of
// sqlite_db.hpp. Statements are fixed SQL text, prepared once per connection
// (server-side, named) and executed with bound parameters in text format;
// values never become part of the SQL text. Failures throw PgError, which the
// PgStore methods turn into Result codes, reconnecting where that is safe.

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace libconf::store::detail {

struct PgError {
  std::string sqlstate;  // five characters, "" when the server sent none (connection failures)
  std::string message;
  bool connection_lost = false;  // the connection is unusable; the server rolled back any open transaction
  bool outcome_unknown = false;  // the connection broke while COMMIT was in flight
};

/// The rows of one executed statement.
class PgRows {
 public:
  explicit PgRows(PGresult* result) noexcept : result_(result) {}
  int size() const noexcept { return PQntuples(result_.get()); }
  bool empty() const noexcept { return size() == 0; }
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const noexcept;
  bool is_null(int row, int column) const noexcept { return PQgetisnull(result_.get(), row, column) != 0; }
  /// Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t affected() const;

 private:
  struct Clear {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

class PgConn;

/// One bound execution of a prepared statement. Binds left to right ($1, $2...).
class PgQuery {
 public:
  PgQuery(PgConn& conn, const char* sql) noexcept : conn_(conn), sql_(sql) {}
  /// Throws PgError (invalid_argument-like, sqlstate "22021") for text holding a
  /// NUL byte: libpq passes text parameters as C strings and would cut it short.
  /// The Store validates every written value first; this is the last guard.
  PgQuery& bind(std::string_view text);
  PgQuery& bind(const char* text) { return bind(std::string_view(text)); }
  PgQuery& bind(const std::string& text) { return bind(std::string_view(text)); }
  PgQuery& bind(std::int64_t value);
  PgQuery& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  PgQuery& bind(bool value);
  PgQuery& bind_null();
  /// Executes; throws PgError.
  PgRows run();

 private:
  PgConn& conn_;
  const char* sql_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

/// Session settings applied after every (re)connect.
struct PgSession {
  int statement_timeout_ms = 0;  // 0: no limit
};

/// One libpq connection that can be dropped and re-opened with the same
/// parameters. Not thread-safe: one thread at a time.
class PgConn {
 public:
  /// Connects; throws PgError{connection_lost} when the server cannot be reached.
  PgConn(std::string conninfo, int connect_timeout_s, PgSession session);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  /// A fresh execution of `sql` (a string literal: the statement cache is keyed by its text).
  PgQuery query(const char* sql) noexcept { return PgQuery(*this, sql); }
  /// Runs fixed SQL text without parameters (BEGIN, COMMIT, schema steps).
  void exec(const char* sql);
  /// Re-opens the connection when it is broken or was dropped; throws PgError{connection_lost}.
  void ensure_open();
  /// Closes a connection found broken, so the next ensure_open() reconnects.
  void drop() noexcept;
  bool is_open() const noexcept;
  /// host, port, database and user of the connection string; never the password.
  const std::string& describe() const noexcept { return description_; }
  /// How many times the connection was re-opened after it broke.
  int reconnects() const noexcept { return reconnects_; }

 private:
  friend class PgQuery;
  PgRows execute_prepared(const char* sql, const std::vector<std::string>& values, const std::vector<bool>& nulls);
  PgRows check(PGresult* result);
  void open();

  std::string conninfo_;
  int connect_timeout_s_;
  PgSession session_;
  std::string description_;
  PGconn* conn_ = nullptr;
  std::map<std::string, std::string, std::less<>> prepared_;  // SQL text -> statement name
  int reconnects_ = 0;
};

/// BEGIN on construction; ROLLBACK unless commit() ran. A broken connection
/// during COMMIT is reported as PgError{outcome_unknown}.
class PgTransaction {
 public:
  enum class Mode { read_write, read_only };
  explicit PgTransaction(PgConn& conn, Mode mode = Mode::read_write);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

 private:
  PgConn& conn_;
  bool done_ = false;
};

}  // namespace libconf::store::detail
