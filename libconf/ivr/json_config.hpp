#pragma once
// Reading configuration JSON with error messages that name the source, the
// field path and the bad value: "menus/main.json: states.pin.timeout_ms: -5 is negative".
// Configuration time only: everything here may allocate and throws libconf::Error.

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "libconf/error.hpp"

namespace libconf::ivr::detail {

/// Reads a whole file, refusing more than max_bytes. Throws Error(io_error).
std::string read_text_file(const std::filesystem::path& path, std::size_t max_bytes);

/// A JSON value rendered for an error message, cut to a readable length.
std::string describe(const boost::json::value& value);

/// Joins a path and a key: "states" + "pin" -> "states.pin".
std::string join_path(std::string_view path, std::string_view key);

class ConfigReader {
 public:
  explicit ConfigReader(std::string_view source) : source_(source) {}

  const std::string& source() const noexcept { return source_; }

  /// Throws Error(code, "<source>: <path>: <message>") (no path part when path is empty).
  [[noreturn]] void fail(errc code, std::string_view path, std::string_view message) const;

  /// Parses text; malformed JSON throws parse_error naming line and column.
  boost::json::value parse(std::string_view text) const;

  const boost::json::object& object(const boost::json::value& v, std::string_view path) const;
  const boost::json::array& array(const boost::json::value& v, std::string_view path) const;
  /// A string of 1..max_length printable characters (or 0.. when allow_empty).
  std::string string(const boost::json::value& v, std::string_view path, std::size_t max_length,
                     bool allow_empty = false) const;
  bool boolean(const boost::json::value& v, std::string_view path) const;
  /// An integer in [min, max]; the message says "is negative", "must be positive"
  /// or "exceeds the limit of N" as fits.
  std::int64_t integer(const boost::json::value& v, std::string_view path, std::int64_t min,
                       std::int64_t max) const;
  /// Every key of obj must be one of allowed; else "<path>.<key>: unknown field".
  void only_fields(const boost::json::object& obj, std::string_view path,
                   std::initializer_list<std::string_view> allowed) const;
  /// The member or throws "<path>.<key>: missing".
  const boost::json::value& required(const boost::json::object& obj, std::string_view path,
                                     std::string_view key) const;

 private:
  std::string source_;
};

}  // namespace libconf::ivr::detail
