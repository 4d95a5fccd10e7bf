#pragma once
/// @file
/// Outcome<T>: a value, or a Failure that says what was wrong in words (the
/// bad value named) and which SIP status answers it. The SIP layer handles
/// input from the network, where an error code alone would leave the log and
/// the peer guessing; libconf::Result stays the type of the frame path.

#include <optional>
#include <string>
#include <utility>

#include "libconf/error.hpp"

namespace libconf::sip {

/// Why something was refused. message names the offending value, e.g.
/// "m=audio line 1: ptime 100000 ms is absurd (1..200)".
struct Failure {
  errc code = errc::invalid_argument;
  std::string message;
  int sip_status = 488;  ///< the response that refuses the request (488 Not Acceptable Here for SDP)
};

template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Outcome(Failure failure) : failure_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  /// Throws libconf::Error with the failure's code and message when there is no value.
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
  /// The failure (default-constructed when there is a value).
  const Failure& failure() const noexcept { return failure_; }

 private:
  void check() const {
    if (!value_) throw Error(failure_.code, failure_.message);
  }
  std::optional<T> value_;
  Failure failure_;
};

}  // namespace libconf::sip
