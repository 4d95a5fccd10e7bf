#pragma once
/// @file
/// DTMF digits and a fixed-capacity digit string: what the IVR collects (room
/// numbers, PINs, numbers to dial) without ever touching the heap.

#include <array>
#include <cstddef>
#include <string_view>

namespace libconf::ivr {

/// The most digits any entry may hold (room number, PIN, dial-out number).
/// E.164 numbers have at most 15 digits; 32 leaves room for prefixes and
/// service codes while keeping every buffer a few dozen bytes.
inline constexpr std::size_t kMaxDigits = 32;

/// True for the sixteen DTMF symbols: 0-9, '*', '#', 'A'-'D'.
constexpr bool is_dtmf_digit(char c) noexcept {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

/// Up to kMaxDigits characters stored inline. Copyable, comparable, never
/// allocates; real-time safe. A push beyond the capacity is refused, not stored.
class DigitString {
 public:
  constexpr DigitString() noexcept = default;

  /// Appends one character; false (and unchanged) when full.
  constexpr bool push_back(char c) noexcept {
    if (size_ >= kMaxDigits) return false;
    data_[size_++] = c;
    return true;
  }
  /// Replaces the content; false (and cleared) when text is longer than kMaxDigits.
  constexpr bool assign(std::string_view text) noexcept {
    clear();
    if (text.size() > kMaxDigits) return false;
    for (char c : text) data_[size_++] = c;
    return true;
  }
  constexpr void clear() noexcept { size_ = 0; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr bool full() const noexcept { return size_ == kMaxDigits; }
  constexpr std::string_view view() const noexcept { return {data_.data(), size_}; }

  friend constexpr bool operator==(const DigitString& a, const DigitString& b) noexcept {
    return a.view() == b.view();
  }
  friend constexpr bool operator==(const DigitString& a, std::string_view b) noexcept {
    return a.view() == b;
  }

 private:
  std::array<char, kMaxDigits> data_{};
  std::size_t size_ = 0;
};

}  // namespace libconf::ivr
