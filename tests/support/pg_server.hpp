#pragma once
// A throw-away PostgreSQL server for tests and benchmarks, from Debian's
// `postgresql` package:
//
//   auto pg = libconf::test::PgServer::start();   // initdb + pg_ctl start, ~2 s
//   PgStore store({pg->conninfo("postgres")});
//   pg->restart();                                  // pg_ctl restart -m fast
//   // the destructor stops the server and removes its directory
//
// The cluster lives in a fresh directory $TMPDIR/libconf-pg-XXXXXX (data, log,
// password file), listens on 127.0.0.1 only, on a free port, with Unix sockets
// off and SCRAM password authentication for the superuser `libconf`. PostgreSQL
// refuses to run as root: when the process is root, the server runs as the
// system user `postgres` (or `nobody`), which owns the directory.
//
// Also on failure: a directory whose owning process (recorded in it) has died
// is stopped and removed by the next start() or by sweep_stale().
//
// Shared by many test processes (CTest): the tool libconf_pg_server (see
// pg_server_main.cpp) starts one server as a FIXTURES_SETUP test, writes a
// state file, and stops it as FIXTURES_CLEANUP; tests attach() to the state
// file named by $LIBCONF_TEST_PG_STATE. See docs/store.md.

#include <memory>
#include <string>
#include <vector>

namespace libconf::test {

struct PgServerOptions {
  /// fsync and synchronous_commit on, as a production server (benchmarks).
  /// Off by default: tests do not need durability against power loss.
  bool durable = false;
  /// Where initdb, pg_ctl and postgres are; "" finds the newest
  /// /usr/lib/postgresql/<version>/bin (or takes $LIBCONF_PG_BIN).
  std::string bin_dir;
  /// The process whose death makes this server stale (0: this process).
  int owner_pid = 0;
};

class PgServer {
 public:
  /// initdb, pg_ctl start; throws std::runtime_error with the server's log on failure.
  static std::unique_ptr<PgServer> start(PgServerOptions options = {});
  /// A server started by another process, from its state file. The returned
  /// object does not stop the server when destroyed unless adopt() is called.
  static std::unique_ptr<PgServer> attach(const std::string& state_file);
  /// Stops and removes every libconf-pg-* directory whose owner has died; returns how many.
  static int sweep_stale();

  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  /// A libpq keyword/value connection string for `dbname` as the superuser,
  /// with `extra` keywords appended (e.g. "options='-c search_path=s1'").
  std::string conninfo(const std::string& dbname = "postgres", const std::string& extra = "") const;
  /// The same as a postgresql:// URI.
  std::string uri(const std::string& dbname = "postgres") const;
  int port() const noexcept { return port_; }
  const std::string& root() const noexcept { return root_; }

  /// pg_ctl restart -m fast: every open connection is terminated.
  void restart();
  /// pg_ctl stop -m fast / pg_ctl start (same port, same data).
  void stop();
  void start_again();

  /// Runs SQL text (no parameters) on `dbname` as the superuser; throws on error.
  void admin(const std::string& sql, const std::string& dbname = "postgres") const;

  /// Writes the state file that attach() reads.
  void save(const std::string& state_file) const;
  /// Leaves the server running when this object is destroyed.
  void release() noexcept { owning_ = false; }
  /// Makes this object stop and remove the server when destroyed.
  void adopt() noexcept { owning_ = true; }
  /// Stops the server and removes its directory now.
  void destroy();

 private:
  PgServer() = default;
  void pg_ctl(const std::vector<std::string>& args) const;

  std::string root_;      // the temporary directory
  std::string bin_dir_;
  std::string password_;
  int port_ = 0;
  unsigned uid_ = 0, gid_ = 0;  // who runs the server
  bool switch_user_ = false;
  bool owning_ = true;
};

}  // namespace libconf::test
