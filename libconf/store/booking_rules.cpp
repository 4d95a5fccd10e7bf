#include "libconf/store/booking_rules.hpp"

#include <algorithm>
#include <utility>

#include "libconf/error.hpp"
#include "libconf/room/room_config.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store::detail {
namespace {

constexpr std::int64_t kMinBookingMs = 60'000;
constexpr int kMaxBookedParticipants = 10'000;
constexpr std::size_t kParticipantPinDigits = 6;
constexpr std::size_t kModeratorPinDigits = 8;

}  // namespace

void validate(const BookingRequest& r) {
  room::validate_name("tenant name", r.tenant);
  validate_free_text("booking topic", r.topic);
  if (r.start_ms < 0)
    throw Error(errc::invalid_argument, "booking start_ms = " + std::to_string(r.start_ms) + " is before 1970");
  if (r.duration_ms < kMinBookingMs || r.duration_ms > kMaxBookingMs)
    throw Error(errc::invalid_argument, "booking duration_ms = " + std::to_string(r.duration_ms) +
                                            " is not in 60000..86400000 (1 min .. 24 h)");
  if (r.participants < 1 || r.participants > kMaxBookedParticipants)
    throw Error(errc::invalid_argument, "booking participants = " + std::to_string(r.participants) +
                                            " is not in 1..10000");
}

Peak peak_use(const std::vector<BookedInterval>& booked, std::int64_t start_ms) {
  std::vector<std::pair<std::int64_t, std::int64_t>> seat_points;  // time, seat delta
  std::vector<std::pair<std::int64_t, int>> room_points;
  seat_points.reserve(2 * booked.size());
  room_points.reserve(2 * booked.size());
  for (const auto& b : booked) {
    const std::int64_t s = std::max(b.start_ms, start_ms);
    seat_points.emplace_back(s, b.seats);
    seat_points.emplace_back(b.end_ms, -b.seats);
    room_points.emplace_back(s, 1);
    room_points.emplace_back(b.end_ms, -1);
  }
  std::sort(seat_points.begin(), seat_points.end());
  std::sort(room_points.begin(), room_points.end());
  Peak p;
  std::int64_t seats = 0;
  for (const auto& [t, d] : seat_points) p.seats = std::max(p.seats, seats += d);
  int rooms = 0;
  for (const auto& [t, d] : room_points) p.rooms = std::max(p.rooms, rooms += d);
  return p;
}

bool fits(const Peak& used, std::int64_t seats, const room::TenantQuota& quota) noexcept {
  return used.seats + seats <= quota.max_participants && used.rooms + 1 <= quota.max_rooms;
}

BookingPins make_booking_pins(const room::PinHashParams& params) {
  BookingPins p;
  p.participant = room::generate_pin(kParticipantPinDigits);
  p.moderator = room::generate_pin(kModeratorPinDigits);
  p.participant_hash = room::hash_pin(p.participant, params);
  p.moderator_hash = room::hash_pin(p.moderator, params);
  return p;
}

std::string booking_room_name(std::int64_t id) { return "booking-" + std::to_string(id); }

}  // namespace libconf::store::detail
