#pragma once
// Private to the store layer: a thin RAII layer over the SQLite C API.
// Statements are prepared once per connection and cached; values are always
// bound, never spliced into SQL text. SQLite failures throw DbError, which the
// SqliteStore methods turn into Result codes (store_error, already_exists, ...).

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace libconf::store::detail {

struct DbError {
  int code;  // SQLite extended result code
  std::string message;
};

/// One bound execution of a cached statement. Binds left to right; resets the
/// statement when it goes out of scope so the cache can hand it out again.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(std::string_view text);
  Query& bind(std::int64_t value);
  Query& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  Query& bind(bool value) { return bind(static_cast<std::int64_t>(value ? 1 : 0)); }
  Query& bind_null();

  /// Advances: true while a row is available; false when done. Throws DbError.
  bool step();
  /// Runs to completion (for writes).
  void run();

  std::int64_t int64(int column) const noexcept;
  std::string text(int column) const;
  bool is_null(int column) const noexcept;

 private:
  sqlite3_stmt* stmt_;
  int next_index_ = 1;
};

class Db {
 public:
  Db(const std::string& path, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// A fresh execution of `sql` (a string literal: the cache is keyed by its text).
  Query query(const char* sql);
  /// Runs fixed SQL text (schema, pragmas) with no input values in it.
  void exec(const char* sql);
  std::int64_t last_insert_rowid() const noexcept;
  sqlite3* handle() const noexcept { return db_; }
  [[noreturn]] void fail(int code) const;

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

/// BEGIN IMMEDIATE on construction (takes the write lock at once, so a
/// read-then-write cannot be overtaken); ROLLBACK unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace libconf::store::detail
