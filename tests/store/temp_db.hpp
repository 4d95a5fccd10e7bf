#pragma once
// A fresh directory under $TMPDIR (or /tmp) for one test's database file,
// removed with everything in it when the test ends.

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "libconf/room/pin.hpp"
#include "libconf/store/sqlite_store.hpp"

namespace libconf::store::testing {

class TempDb {
 public:
  TempDb() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/libconf-store-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "libconf.db").string(); }

 private:
  std::filesystem::path dir_;
};

inline SqliteOptions cheap_options() {
  SqliteOptions o;
  o.pin_hash = room::PinHashParams::minimum();
  return o;
}

}  // namespace libconf::store::testing
