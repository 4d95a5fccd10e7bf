#include "support/pg_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

namespace libconf::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDirPrefix = "libconf-pg-";
constexpr const char* kSuperuser = "libconf";
constexpr int kPortAttempts = 5;

std::string temp_base() {
  const char* base = std::getenv("TMPDIR");
  return base && *base ? base : "/tmp";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string log_tail(const fs::path& log) {
  std::string text = read_file(log);
  if (text.size() > 4000) text = "..." + text.substr(text.size() - 4000);
  return text;
}

// The newest /usr/lib/postgresql/<version>/bin that has initdb, or $LIBCONF_PG_BIN.
std::string find_bin_dir() {
  if (const char* env = std::getenv("LIBCONF_PG_BIN"); env && *env) return env;
  int best = -1;
  std::string dir;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = e.path().filename().string();
    const int version = std::atoi(name.c_str());
    if (version > best && fs::exists(e.path() / "bin" / "initdb")) {
      best = version;
      dir = (e.path() / "bin").string();
    }
  }
  if (dir.empty())
    throw std::runtime_error(
        "PgServer: no PostgreSQL server under /usr/lib/postgresql/<version>/bin (Debian: apt-get install "
        "postgresql; or set LIBCONF_PG_BIN)");
  return dir;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("PgServer: socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw std::runtime_error("PgServer: cannot find a free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(a.sin_port);
}

std::string random_password() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) out += kHex[rd() & 0xF];
  return out;
}

struct RunAs {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Who runs the server: this process, or, when it is root (PostgreSQL refuses to
// run as root), the system user postgres or else nobody.
RunAs choose_user() {
  RunAs r;
  if (geteuid() != 0) return r;
  for (const char* name : {"postgres", "nobody"}) {
    if (const passwd* pw = getpwnam(name)) {
      r.switch_user = true;
      r.uid = pw->pw_uid;
      r.gid = pw->pw_gid;
      return r;
    }
  }
  throw std::runtime_error("PgServer: running as root, but neither user 'postgres' nor 'nobody' exists");
}

// Runs argv (argv[0] a full path) as `who`, output appended to `log`, in `cwd`;
// returns the exit status (or -1 if it did not exit normally).
int run(const std::vector<std::string>& argv, const RunAs& who, const std::string& log, const std::string& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("PgServer: fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (who.switch_user && (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0)) _exit(126);
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void chown_to(const fs::path& p, const RunAs& who) {
  if (who.switch_user && chown(p.c_str(), who.uid, who.gid) != 0)
    throw std::runtime_error("PgServer: chown " + p.string() + " failed");
}

void write_owned(const fs::path& p, const std::string& text, const RunAs& who) {
  {
    std::ofstream out(p, std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("PgServer: cannot write " + p.string());
  }
  chmod(p.c_str(), 0600);
  chown_to(p, who);
}

std::map<std::string, std::string> read_state(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("PgServer: no state file " + file + " (did the fixture's setup test run?)");
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

bool process_alive(long pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

// The settings of a throw-away server, appended to the postgresql.conf initdb wrote.
std::string server_settings(bool durable) {
  std::string s =
      "\n# libconf test server\n"
      "listen_addresses = '127.0.0.1'\n"
      "unix_socket_directories = ''\n"
      "max_connections = 100\n"
      "shared_buffers = 64MB\n"
      "log_min_messages = warning\n"
      "log_min_error_statement = panic\n";
  if (!durable) s += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  return s;
}

}  // namespace

std::unique_ptr<PgServer> PgServer::start(PgServerOptions options) {
  sweep_stale();
  std::unique_ptr<PgServer> s(new PgServer());
  s->bin_dir_ = options.bin_dir.empty() ? find_bin_dir() : options.bin_dir;
  const RunAs who = choose_user();
  s->switch_user_ = who.switch_user;
  s->uid_ = who.uid;
  s->gid_ = who.gid;
  s->password_ = random_password();

  std::string pattern = temp_base() + "/" + kDirPrefix + "XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("PgServer: mkdtemp failed in " + temp_base());
  s->root_ = pattern;
  const fs::path root(s->root_);
  chown_to(root, who);
  // From here on the destructor removes the directory if anything fails.
  write_owned(root / "owner", std::to_string(options.owner_pid ? options.owner_pid : getpid()) + "\n", who);
  write_owned(root / "pwfile", s->password_ + "\n", who);
  const std::string log = (root / "server.log").string();
  write_owned(log, "", who);

  const int rc = run({s->bin_dir_ + "/initdb", "-D", (root / "data").string(), "-U", kSuperuser,
                      "--pwfile=" + (root / "pwfile").string(), "--auth-host=scram-sha-256",
                      "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"},
                     who, log, s->root_);
  if (rc != 0) throw std::runtime_error("PgServer: initdb failed (exit " + std::to_string(rc) + "):\n" + log_tail(log));
  {
    std::ofstream conf(root / "data" / "postgresql.conf", std::ios::app);
    conf << server_settings(options.durable);
  }
  for (int attempt = 1;; ++attempt) {
    s->port_ = free_port();
    try {
      s->pg_ctl({"start", "-w", "-t", "60", "-l", log, "-o", "-p " + std::to_string(s->port_)});
      break;
    } catch (const std::runtime_error&) {
      // Another process may have taken the port between free_port() and bind.
      if (attempt == kPortAttempts) throw;
    }
  }
  return s;
}

std::unique_ptr<PgServer> PgServer::attach(const std::string& state_file) {
  auto kv = read_state(state_file);
  std::unique_ptr<PgServer> s(new PgServer());
  s->owning_ = false;
  s->root_ = kv["root"];
  s->bin_dir_ = kv["bin"];
  s->password_ = kv["password"];
  s->port_ = std::atoi(kv["port"].c_str());
  s->switch_user_ = kv["switch_user"] == "1";
  s->uid_ = static_cast<unsigned>(std::strtoul(kv["uid"].c_str(), nullptr, 10));
  s->gid_ = static_cast<unsigned>(std::strtoul(kv["gid"].c_str(), nullptr, 10));
  if (s->root_.empty() || s->port_ <= 0) throw std::runtime_error("PgServer: state file " + state_file + " is incomplete");
  return s;
}

void PgServer::save(const std::string& state_file) const {
  std::ofstream out(state_file, std::ios::trunc);
  out << "root=" << root_ << "\nbin=" << bin_dir_ << "\nport=" << port_ << "\npassword=" << password_
      << "\nswitch_user=" << (switch_user_ ? 1 : 0) << "\nuid=" << uid_ << "\ngid=" << gid_ << "\n";
  if (!out) throw std::runtime_error("PgServer: cannot write " + state_file);
}

PgServer::~PgServer() {
  if (!owning_) return;
  try {
    destroy();
  } catch (...) {
    // Never throw from a destructor; sweep_stale() removes what is left.
  }
}

void PgServer::pg_ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{bin_dir_ + "/pg_ctl", "-D", root_ + "/data"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = root_ + "/server.log";
  const int rc = run(argv, RunAs{switch_user_, uid_, gid_}, log, root_);
  if (rc != 0)
    throw std::runtime_error("PgServer: pg_ctl " + args.front() + " failed (exit " + std::to_string(rc) + "):\n" +
                             log_tail(log));
}

void PgServer::restart() {
  pg_ctl({"restart", "-m", "fast", "-w", "-t", "60", "-l", root_ + "/server.log", "-o", "-p " + std::to_string(port_)});
}

void PgServer::stop() { pg_ctl({"stop", "-m", "fast", "-w", "-t", "60"}); }

void PgServer::start_again() {
  pg_ctl({"start", "-w", "-t", "60", "-l", root_ + "/server.log", "-o", "-p " + std::to_string(port_)});
}

void PgServer::destroy() {
  if (root_.empty()) return;
  if (fs::exists(fs::path(root_) / "data" / "postmaster.pid")) {
    try {
      stop();
    } catch (const std::runtime_error&) {
      pg_ctl({"stop", "-m", "immediate", "-w", "-t", "30"});
    }
  }
  std::error_code ec;
  fs::remove_all(root_, ec);
  root_.clear();
  owning_ = false;
}

int PgServer::sweep_stale() {
  int removed = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(temp_base(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kDirPrefix, 0) != 0 || !e.is_directory()) continue;
    const std::string owner = read_file(e.path() / "owner");
    if (owner.empty() || process_alive(std::atol(owner.c_str()))) continue;
    struct stat st {};
    if (stat(e.path().c_str(), &st) != 0) continue;
    PgServer s;
    s.root_ = e.path().string();
    s.switch_user_ = geteuid() == 0 && st.st_uid != 0;
    s.uid_ = st.st_uid;
    s.gid_ = st.st_gid;
    try {
      s.bin_dir_ = find_bin_dir();
      if (fs::exists(e.path() / "data" / "postmaster.pid")) s.pg_ctl({"stop", "-m", "immediate", "-w", "-t", "30"});
    } catch (const std::runtime_error&) {
      // Not running any more, or no server binaries: remove the files anyway.
    }
    fs::remove_all(e.path(), ec);
    s.root_.clear();
    ++removed;
  }
  return removed;
}

std::string PgServer::conninfo(const std::string& dbname, const std::string& extra) const {
  std::string s = "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + kSuperuser + " password=" + password_ +
                  " dbname=" + dbname + " connect_timeout=10";
  if (!extra.empty()) s += " " + extra;
  return s;
}

std::string PgServer::uri(const std::string& dbname) const {
  return std::string("postgresql://") + kSuperuser + ":" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" +
         dbname;
}

void PgServer::admin(const std::string& sql, const std::string& dbname) const {
  PGconn* c = PQconnectdb(conninfo(dbname).c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("PgServer: cannot connect to " + dbname + ": " + msg);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error("PgServer: '" + sql + "' failed: " + msg);
}

}  // namespace libconf::test
