#pragma once
/// @file
/// DTMF basics shared by the detector, the generator and the guard: the
/// 4x4 frequency grid of ITU-T Q.23 and the digit event the detector emits.
/// Everything here is constexpr or trivially copyable; real-time safe.

#include <array>
#include <cstdint>

namespace libconf::dsp {

/// Low-group (row) frequencies of ITU-T Q.23, Hz.
inline constexpr std::array<double, 4> kDtmfLowHz = {697.0, 770.0, 852.0, 941.0};
/// High-group (column) frequencies of ITU-T Q.23, Hz.
inline constexpr std::array<double, 4> kDtmfHighHz = {1209.0, 1336.0, 1477.0, 1633.0};
/// Keypad layout: kDtmfKeypad[row][column].
inline constexpr std::array<std::array<char, 4>, 4> kDtmfKeypad = {{
    {'1', '2', '3', 'A'},
    {'4', '5', '6', 'B'},
    {'7', '8', '9', 'C'},
    {'*', '0', '#', 'D'},
}};

/// The 16 DTMF digits in keypad order.
inline constexpr char kDtmfDigits[] = "123A456B789C*0#D";

/// Row and column of a digit in kDtmfKeypad; false if c is not a DTMF digit
/// (lower-case 'a'..'d' are accepted as 'A'..'D').
constexpr bool dtmf_position(char c, int& row, int& column) noexcept {
  if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 'a' + 'A');
  for (int r = 0; r < 4; ++r)
    for (int k = 0; k < 4; ++k)
      if (kDtmfKeypad[r][k] == c) {
        row = r;
        column = k;
        return true;
      }
  return false;
}

constexpr bool is_dtmf_digit(char c) noexcept {
  int r = 0, k = 0;
  return dtmf_position(c, r, k);
}

/// A digit start or end seen by DtmfDetector / DtmfGuard.
/// Timestamps are in samples of the detector's input stream since
/// construction or the last reset().
struct DtmfDigitEvent {
  char digit = 0;              ///< '0'-'9', '*', '#', 'A'-'D'
  bool end = false;            ///< false: digit started; true: digit ended
  std::int64_t start_sample = 0;  ///< estimated first sample of the tone
  std::uint32_t duration_ms = 0;  ///< start: tone so far when confirmed; end: total tone duration
};

}  // namespace libconf::dsp
