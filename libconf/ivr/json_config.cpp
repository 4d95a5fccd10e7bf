#include "libconf/ivr/json_config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>
#include <iterator>
#include <set>
#include <vector>

namespace libconf::ivr::detail {
namespace {
constexpr std::size_t kMaxDescribedChars = 48;

// Boost.JSON keeps the last of repeated keys silently; in a configuration file
// a repeated state or key sequence is a mistake, so the text (already known to
// be valid JSON) is scanned for them. Returns the path of the first repeat.
struct Level {
  bool object = false;
  bool expect_key = false;
  std::size_t index = 0;       // arrays: element number
  std::string_view key;        // objects: key of the current member
  std::set<std::string_view> keys;
};

std::string level_path(const std::vector<Level>& stack) {
  std::string path;
  // The outermost level is the document itself; each level below names a member.
  for (std::size_t i = 0; i + 1 < stack.size(); ++i) {
    if (stack[i].object) {
      path = join_path(path, stack[i].key);
    } else {
      path.append("[").append(std::to_string(stack[i].index)).append("]");
    }
  }
  return path;
}

std::optional<std::pair<std::string, std::string>> find_repeated_key(std::string_view text) {
  std::vector<Level> stack;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      stack.push_back(Level{c == '{', c == '{', 0, {}, {}});
    } else if (c == '}' || c == ']') {
      stack.pop_back();
    } else if (c == ',' && !stack.empty()) {
      if (stack.back().object) {
        stack.back().expect_key = true;
      } else {
        ++stack.back().index;
      }
    } else if (c == '"') {
      const std::size_t start = i + 1;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (!stack.empty() && stack.back().expect_key) {
        Level& level = stack.back();
        level.expect_key = false;
        level.key = text.substr(start, i - start);
        if (!level.keys.insert(level.key).second) {
          return std::make_pair(level_path(stack), std::string(level.key));
        }
      }
    }
  }
  return std::nullopt;
}
}  // namespace

std::string read_text_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(errc::io_error, path.string() + ": cannot open: " + std::strerror(errno));
  }
  std::string text;
  char buffer[4096];
  while (in) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      throw Error(errc::io_error, path.string() + ": larger than the limit of " +
                                      std::to_string(max_bytes) + " bytes");
    }
  }
  if (in.bad()) throw Error(errc::io_error, path.string() + ": read failed");
  return text;
}

std::string describe(const boost::json::value& value) {
  std::string text = boost::json::serialize(value);
  if (text.size() > kMaxDescribedChars) {
    text.resize(kMaxDescribedChars);
    text += "...";
  }
  return text;
}

std::string join_path(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  // Keys are shown as typed but cut, so an enormous key cannot flood a log line.
  out.append(key.substr(0, kMaxDescribedChars));
  if (key.size() > kMaxDescribedChars) out += "...";
  return out;
}

void ConfigReader::fail(errc code, std::string_view path, std::string_view message) const {
  std::string what = source_;
  what += ": ";
  if (!path.empty()) {
    what += path;
    what += ": ";
  }
  what += message;
  throw Error(code, what);
}

boost::json::value ConfigReader::parse(std::string_view text) const {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    consumed = std::min(consumed, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < consumed; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    fail(errc::parse_error, "",
         "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + ec.message());
  }
  if (auto repeated = find_repeated_key(text)) {
    fail(errc::invalid_argument, join_path(repeated->first, repeated->second), "repeated key");
  }
  return parser.release();
}

const boost::json::object& ConfigReader::object(const boost::json::value& v, std::string_view path) const {
  if (!v.is_object()) fail(errc::invalid_argument, path, describe(v) + " is not an object");
  return v.get_object();
}

const boost::json::array& ConfigReader::array(const boost::json::value& v, std::string_view path) const {
  if (!v.is_array()) fail(errc::invalid_argument, path, describe(v) + " is not an array");
  return v.get_array();
}

std::string ConfigReader::string(const boost::json::value& v, std::string_view path,
                                 std::size_t max_length, bool allow_empty) const {
  if (!v.is_string()) fail(errc::invalid_argument, path, describe(v) + " is not a string");
  const auto& s = v.get_string();
  if (s.empty() && !allow_empty) fail(errc::invalid_argument, path, "\"\" is empty");
  if (s.size() > max_length) {
    fail(errc::invalid_argument, path,
         describe(v) + " is longer than the limit of " + std::to_string(max_length) + " characters");
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      fail(errc::invalid_argument, path, describe(v) + " contains a control character");
    }
  }
  return std::string(s.data(), s.size());
}

bool ConfigReader::boolean(const boost::json::value& v, std::string_view path) const {
  if (!v.is_bool()) fail(errc::invalid_argument, path, describe(v) + " is not true or false");
  return v.get_bool();
}

std::int64_t ConfigReader::integer(const boost::json::value& v, std::string_view path,
                                   std::int64_t min, std::int64_t max) const {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    fail(errc::invalid_argument, path, describe(v) + " exceeds the limit of " + std::to_string(max));
  } else {
    fail(errc::invalid_argument, path, describe(v) + " is not an integer");
  }
  if (n < min) {
    if (n < 0 && min >= 0) fail(errc::invalid_argument, path, std::to_string(n) + " is negative");
    if (n == 0 && min == 1) fail(errc::invalid_argument, path, "0 must be positive");
    fail(errc::invalid_argument, path, std::to_string(n) + " is below the minimum of " + std::to_string(min));
  }
  if (n > max) {
    fail(errc::invalid_argument, path, std::to_string(n) + " exceeds the limit of " + std::to_string(max));
  }
  return n;
}

void ConfigReader::only_fields(const boost::json::object& obj, std::string_view path,
                               std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : obj) {
    std::string_view key(member.key().data(), member.key().size());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(errc::invalid_argument, join_path(path, key), "unknown field");
    }
  }
}

const boost::json::value& ConfigReader::required(const boost::json::object& obj, std::string_view path,
                                                 std::string_view key) const {
  const auto* v = obj.if_contains(boost::json::string_view(key.data(), key.size()));
  if (!v) fail(errc::invalid_argument, join_path(path, key), "missing");
  return *v;
}

}  // namespace libconf::ivr::detail
