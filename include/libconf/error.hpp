#pragma once
/// @file
/// The one error enumeration of libconf, plugged into std::error_code, and
/// Result<T>: a value or an error, returned by every call that can fail.
/// Frame-path calls return Result and never throw; configuration edges throw
/// libconf::Error (a std::system_error) whose message names the bad value.

#include <cassert>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace libconf {

enum class errc {
  ok = 0,
  invalid_argument,         ///< an argument is out of its documented range
  unsupported_sample_rate,  ///< not one of 8, 16, 24, 32, 48 kHz
  unsupported_frame_size,   ///< ptime not one of 10, 20, 40, 60 ms (or the codec's own)
  buffer_too_small,         ///< caller's output span cannot hold the result
  unknown_codec,            ///< no codec registered under that SDP name
  codec_error,              ///< the codec library reported a failure
  malformed_packet,         ///< a packet could not be parsed
  authentication_failed,    ///< SRTP/SRTCP authentication tag did not verify
  replayed_packet,          ///< SRTP replay protection rejected the packet
  capacity_exceeded,        ///< a fixed capacity (legs, rooms, slots) is full
  not_found,                ///< no such leg, room, tenant, record
  already_exists,           ///< a unique name or id is taken
  permission_denied,        ///< the role may not do that
  wrong_pin,                ///< PIN did not match
  locked_out,               ///< too many failures: try again later
  room_locked,              ///< room is locked by a moderator
  room_full,                ///< room is at its maximum size
  quota_exceeded,           ///< tenant's contract does not allow more
  parse_error,              ///< a text input (JSON, SDP, scenario) is malformed
  io_error,                 ///< file or socket I/O failed
  store_error,              ///< the Store backend failed
  timeout,                  ///< the operation did not complete in time
  invalid_state,            ///< the call is not valid in the current state
  not_supported,            ///< valid request this build or peer cannot do
};

/// The category of libconf's error codes; name() is "libconf".
const std::error_category& error_category() noexcept;

/// The enumerator's name ("room_full", "not_found", ...): stable text for logs
/// and APIs (message() is for people and may change).
std::string_view to_string(errc e) noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// Thrown at configuration edges (never in the frame path). what() names the
/// offending value, e.g. "scenario.json: participants[2].codec: unknown codec 'G729'".
class Error : public std::system_error {
 public:
  Error(errc code, const std::string& what) : std::system_error(make_error_code(code), what) {}
  errc code_enum() const noexcept { return static_cast<errc>(code().value()); }
  /// The message without the ": <code's message>" that what() appends: for
  /// wrapping one error into another without repeating "I/O error".
  std::string detail() const {
    std::string w = what();
    const std::string suffix = ": " + code().message();
    if (w.size() >= suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0)
      w.resize(w.size() - suffix.size());
    return w;
  }
};

/// A value of T or an error code. Cheap, no allocation, usable in the frame path.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(errc e) : error_(make_error_code(e)) {}  // NOLINT(google-explicit-constructor)
  Result(std::error_code e) : error_(e) { assert(e); }  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_; }

  T& value() & {
    check();
    return *value_;
  }
  const T& value() const& {
    check();
    return *value_;
  }
  T&& value() && {
    check();
    return std::move(*value_);
  }
  T& operator*() noexcept { return *value_; }
  const T& operator*() const noexcept { return *value_; }
  T* operator->() noexcept { return &*value_; }
  const T* operator->() const noexcept { return &*value_; }
  T value_or(T fallback) const { return value_ ? *value_ : fallback; }

 private:
  void check() const {
    if (!value_) throw std::system_error(error_);
  }
  std::optional<T> value_;
  std::error_code error_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(errc e) : error_(make_error_code(e)) {}  // NOLINT(google-explicit-constructor)
  Result(std::error_code e) : error_(e) {}        // NOLINT(google-explicit-constructor)
  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_; }
  void value() const {
    if (error_) throw std::system_error(error_);
  }

 private:
  std::error_code error_;
};

}  // namespace libconf

template <>
struct std::is_error_code_enum<libconf::errc> : std::true_type {};
