#pragma once
// Private to the store layer: what a booking is checked against, the same for
// every backend: the request's ranges, the peak use of the tenant's capacity
// over the asked interval, and the PINs a confirmation carries.

#include <cstdint>
#include <string>
#include <vector>

#include "libconf/room/pin.hpp"
#include "libconf/store/records.hpp"

namespace libconf::store::detail {

/// The longest booking, ms (24 h). A booking that overlaps an interval
/// starting at `start` began after start - kMaxBookingMs: the capacity query
/// uses that bound to scan only the bookings that can overlap (an index range),
/// not the tenant's whole history. Raising it keeps old bookings covered;
/// lowering it would need the longest stored booking instead.
inline constexpr std::int64_t kMaxBookingMs = 86'400'000;

/// Throws Error(invalid_argument) naming the field out of range.
void validate(const BookingRequest& request);

/// One existing booking as the capacity check sees it.
struct BookedInterval {
  std::int64_t start_ms;
  std::int64_t end_ms;
  std::int64_t seats;
};

struct Peak {
  std::int64_t seats = 0;
  int rooms = 0;
};

/// The most seats and rooms booked at any instant of [start_ms, end_ms), by a
/// sweep over the bookings' start and end points (ends sort before starts, so
/// back-to-back bookings do not overlap). `booked` holds the bookings that
/// overlap the interval.
Peak peak_use(const std::vector<BookedInterval>& booked, std::int64_t start_ms);

/// True when one more booking of `seats` fits beside `used`.
bool fits(const Peak& used, std::int64_t seats, const room::TenantQuota& quota) noexcept;

/// PINs of a new booking, in clear and hashed. Made before any lock is taken:
/// hashing costs ~0.1 s at production cost.
struct BookingPins {
  std::string participant;
  std::string moderator;
  std::string participant_hash;
  std::string moderator_hash;
};
BookingPins make_booking_pins(const room::PinHashParams& params);

/// "booking-<id>".
std::string booking_room_name(std::int64_t id);

}  // namespace libconf::store::detail
