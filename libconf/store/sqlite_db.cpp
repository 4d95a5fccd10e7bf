#include "libconf/store/sqlite_db.hpp"

#include "libconf/error.hpp"

namespace libconf::store::detail {

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::bind(std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, the caller's string may go away.
  const int rc = sqlite3_bind_text64(stmt_, next_index_++, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK) throw DbError{rc, sqlite3_errstr(rc)};
  return *this;
}

Query& Query::bind(std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, next_index_++, value);
  if (rc != SQLITE_OK) throw DbError{rc, sqlite3_errstr(rc)};
  return *this;
}

Query& Query::bind_null() {
  const int rc = sqlite3_bind_null(stmt_, next_index_++);
  if (rc != SQLITE_OK) throw DbError{rc, sqlite3_errstr(rc)};
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  throw DbError{sqlite3_extended_errcode(db), sqlite3_errmsg(db)};
}

void Query::run() {
  while (step()) {
  }
}

std::int64_t Query::int64(int column) const noexcept { return sqlite3_column_int64(stmt_, column); }

std::string Query::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string{};
}

bool Query::is_null(int column) const noexcept { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Db::Db(const std::string& path, int busy_timeout_ms) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(errc::store_error, "SQLite store '" + path + "': cannot open: " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Query Db::query(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc);
    it = cache_.emplace(sql, stmt).first;
  }
  return Query(it->second);
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    DbError e{sqlite3_extended_errcode(db_), err ? err : sqlite3_errstr(rc)};
    sqlite3_free(err);
    throw e;
  }
}

std::int64_t Db::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

void Db::fail(int code) const { throw DbError{code, sqlite3_errmsg(db_)}; }

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    char* err = nullptr;
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, &err);
    sqlite3_free(err);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace libconf::store::detail
