// libconf_pg_server: one throw-away PostgreSQL server shared by the tests of a
// CTest run (see pg_server.hpp and the libconf_pg_fixture() CMake function).
//
//   libconf_pg_server start <state-file>   # FIXTURES_SETUP: start, create database libconf_test
//   libconf_pg_server stop <state-file>    # FIXTURES_CLEANUP: stop and remove
//   libconf_pg_server sweep                # remove servers whose owner died
//
// The server started by `start` belongs to the parent process (ctest): should
// ctest die before the cleanup test, the next start or sweep removes it.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>

#include "support/pg_server.hpp"

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "start" && argc == 3) {
      libconf::test::PgServerOptions o;
      o.owner_pid = getppid();
      auto pg = libconf::test::PgServer::start(o);
      pg->admin("CREATE DATABASE libconf_test");
      pg->save(argv[2]);
      pg->release();
      std::printf("PostgreSQL on 127.0.0.1:%d in %s (state file %s)\n", pg->port(), pg->root().c_str(), argv[2]);
      return 0;
    }
    if (cmd == "stop" && argc == 3) {
      if (access(argv[2], F_OK) != 0) {
        std::printf("no state file %s: nothing to stop\n", argv[2]);
        return 0;
      }
      auto pg = libconf::test::PgServer::attach(argv[2]);
      pg->destroy();
      std::remove(argv[2]);
      std::printf("stopped and removed\n");
      return 0;
    }
    if (cmd == "sweep" && argc == 2) {
      std::printf("removed %d stale server(s)\n", libconf::test::PgServer::sweep_stale());
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "libconf_pg_server %s: %s\n", cmd.c_str(), e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: libconf_pg_server start <state-file> | stop <state-file> | sweep\n");
  return 2;
}
