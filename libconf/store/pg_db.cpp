#include "libconf/store/pg_db.hpp"

#include <charconv>
#include <cstring>

namespace libconf::store::detail {
namespace {

// SQLSTATEs after which the connection cannot be used any more: class 08
// (connection exception) and the server shutting down or crashing.
bool means_connection_lost(std::string_view sqlstate) {
  return sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void ignore_notice(void*, const char*) noexcept {}

// "host=... port=... dbname=... user=..." from a connection string, without the
// password or any other parameter; throws PgError when the string is malformed.
std::string describe_conninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (!options) {
    PgError e{"", "malformed connection string: " + trimmed(err), true, false};
    PQfreemem(err);
    throw e;
  }
  std::string out;
  for (const char* key : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (std::strcmp(o->keyword, key) != 0 || !o->val || !*o->val) continue;
      if (!out.empty()) out += ' ';
      out += std::string(key) + "=" + o->val;
    }
  }
  PQconninfoFree(options);
  return out.empty() ? "(libpq defaults)" : out;
}

}  // namespace

std::string PgRows::text(int row, int column) const {
  const char* v = PQgetvalue(result_.get(), row, column);
  return std::string(v, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgRows::int64(int row, int column) const {
  const char* v = PQgetvalue(result_.get(), row, column);
  const char* end = v + PQgetlength(result_.get(), row, column);
  std::int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v, end, out);
  if (ec != std::errc{} || ptr != end)
    throw PgError{"22P02", "column " + std::to_string(column) + " holds '" + std::string(v, end) +
                               "', not an integer", false, false};
  return out;
}

bool PgRows::boolean(int row, int column) const noexcept {
  const char* v = PQgetvalue(result_.get(), row, column);
  return v[0] == 't';
}

std::int64_t PgRows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  std::int64_t out = 0;
  std::from_chars(n, n + std::strlen(n), out);
  return out;
}

PgQuery& PgQuery::bind(std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    throw PgError{"22021", "a text parameter holds a NUL byte, which PostgreSQL text cannot store", false, false};
  values_.emplace_back(text);
  nulls_.push_back(false);
  return *this;
}

PgQuery& PgQuery::bind(std::int64_t value) {
  values_.push_back(std::to_string(value));
  nulls_.push_back(false);
  return *this;
}

PgQuery& PgQuery::bind(bool value) {
  values_.emplace_back(value ? "true" : "false");
  nulls_.push_back(false);
  return *this;
}

PgQuery& PgQuery::bind_null() {
  values_.emplace_back();
  nulls_.push_back(true);
  return *this;
}

PgRows PgQuery::run() { return conn_.execute_prepared(sql_, values_, nulls_); }

PgConn::PgConn(std::string conninfo, int connect_timeout_s, PgSession session)
    : conninfo_(std::move(conninfo)), connect_timeout_s_(connect_timeout_s), session_(session) {
  description_ = describe_conninfo(conninfo_);
  open();
}

PgConn::~PgConn() { drop(); }

bool PgConn::is_open() const noexcept { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void PgConn::drop() noexcept {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
}

void PgConn::open() {
  drop();
  const std::string timeout = std::to_string(connect_timeout_s_);
  // Earlier keywords are defaults the connection string may override (it is
  // expanded in place of "dbname"); the ones after it are fixed by libconf.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {timeout.c_str(), "libconf", conninfo_.c_str(), "UTF8", nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    PgError e{"08001", conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory", true, false};
    drop();
    throw e;
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  query("SELECT set_config('statement_timeout', $1, false)").bind(std::to_string(session_.statement_timeout_ms)).run();
}

void PgConn::ensure_open() {
  if (is_open()) return;
  open();
  ++reconnects_;
}

PgRows PgConn::check(PGresult* result) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PgRows(result);
  PgError e;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  e.sqlstate = state ? state : "";
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  e.message = trimmed(primary ? primary : PQerrorMessage(conn_));
  PQclear(result);
  e.connection_lost = PQstatus(conn_) != CONNECTION_OK || means_connection_lost(e.sqlstate);
  throw e;
}

void PgConn::exec(const char* sql) {
  if (!conn_) throw PgError{"08003", "not connected", true, false};
  check(PQexec(conn_, sql));
}

PgRows PgConn::execute_prepared(const char* sql, const std::vector<std::string>& values,
                                const std::vector<bool>& nulls) {
  if (!conn_) throw PgError{"08003", "not connected", true, false};
  auto it = prepared_.find(std::string_view(sql));
  if (it == prepared_.end()) {
    std::string name = "libconf_" + std::to_string(prepared_.size() + 1);
    check(PQprepare(conn_, name.c_str(), sql, 0, nullptr));
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> params(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) params[i] = nulls[i] ? nullptr : values[i].c_str();
  return check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), params.data(), nullptr,
                              nullptr, /*resultFormat=*/0));
}

PgTransaction::PgTransaction(PgConn& conn, Mode mode) : conn_(conn) {
  conn_.exec(mode == Mode::read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
}

PgTransaction::~PgTransaction() {
  if (done_ || !conn_.is_open()) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (const PgError&) {
    // The connection broke: the server rolls the transaction back by itself.
  }
}

void PgTransaction::commit() {
  try {
    conn_.exec("COMMIT");
  } catch (PgError& e) {
    done_ = true;
    e.outcome_unknown = e.connection_lost;
    throw;
  }
  done_ = true;
}

}  // namespace libconf::store::detail
