// SqliteStore: bookings with a capacity check.
#include <algorithm>
#include <utility>
#include <vector>

#include "libconf/room/pin.hpp"
#include "libconf/room/room_config.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "libconf/store/sqlite_store_impl.hpp"

namespace libconf::store {
namespace {

constexpr std::int64_t kMinBookingMs = 60'000;
constexpr std::int64_t kMaxBookingMs = 86'400'000;
constexpr int kMaxBookedParticipants = 10'000;
constexpr std::size_t kParticipantPinDigits = 6;
constexpr std::size_t kModeratorPinDigits = 8;

void validate_request(const BookingRequest& r) {
  room::validate_name("tenant name", r.tenant);
  room::validate_text("booking topic", r.topic);
  if (r.start_ms < 0)
    throw Error(errc::invalid_argument, "booking start_ms = " + std::to_string(r.start_ms) + " is before 1970");
  if (r.duration_ms < kMinBookingMs || r.duration_ms > kMaxBookingMs)
    throw Error(errc::invalid_argument, "booking duration_ms = " + std::to_string(r.duration_ms) +
                                            " is not in 60000..86400000 (1 min .. 24 h)");
  if (r.participants < 1 || r.participants > kMaxBookedParticipants)
    throw Error(errc::invalid_argument, "booking participants = " + std::to_string(r.participants) +
                                            " is not in 1..10000");
}

struct Peak {
  std::int64_t seats = 0;
  int rooms = 0;
};

// The most seats and rooms booked at any instant of [start, end), by a sweep over
// the overlapping bookings' start and end points.
Peak peak_use(detail::Db& db, const std::string& tenant, std::int64_t start, std::int64_t end) {
  auto q = db.query(
      "SELECT start_ms, start_ms + duration_ms, participants FROM bookings "
      "WHERE tenant = ? AND start_ms < ? AND start_ms + duration_ms > ?");
  q.bind(tenant).bind(end).bind(start);
  std::vector<std::pair<std::int64_t, std::int64_t>> points;  // time, seat delta (ends sort before starts)
  std::vector<std::pair<std::int64_t, int>> room_points;
  while (q.step()) {
    const std::int64_t s = std::max(q.int64(0), start), e = q.int64(1), n = q.int64(2);
    points.emplace_back(s, n);
    points.emplace_back(e, -n);
    room_points.emplace_back(s, 1);
    room_points.emplace_back(e, -1);
  }
  std::sort(points.begin(), points.end());
  std::sort(room_points.begin(), room_points.end());
  Peak p;
  std::int64_t seats = 0;
  for (const auto& [t, d] : points) p.seats = std::max(p.seats, seats += d);
  int rooms = 0;
  for (const auto& [t, d] : room_points) p.rooms = std::max(p.rooms, rooms += d);
  return p;
}

}  // namespace

Result<BookingConfirmation> SqliteStore::book(const BookingRequest& r) {
  validate_request(r);
  // Hash before taking the write lock: Argon2id takes milliseconds (more at interactive cost).
  const std::string participant_pin = room::generate_pin(kParticipantPinDigits);
  const std::string moderator_pin = room::generate_pin(kModeratorPinDigits);
  const std::string participant_hash = room::hash_pin(participant_pin, impl_->options.pin_hash);
  const std::string moderator_hash = room::hash_pin(moderator_pin, impl_->options.pin_hash);
  return detail::guarded([&]() -> Result<BookingConfirmation> {
    auto& db = impl_->db;
    detail::Transaction tx(db);
    std::int64_t max_participants = 0, max_rooms = 0;
    {
      auto tq = db.query("SELECT max_participants, max_rooms FROM tenants WHERE name = ?");
      tq.bind(r.tenant);
      if (!tq.step()) return errc::not_found;
      max_participants = tq.int64(0);
      max_rooms = tq.int64(1);
    }
    std::string dial_in;
    {
      auto dq = db.query(
          "SELECT number FROM dids WHERE tenant = ? AND target = 'menu' AND billing_mode = ? ORDER BY number "
          "LIMIT 1");
      dq.bind(r.tenant).bind(room::to_string(r.billing));
      if (!dq.step()) return errc::not_found;
      dial_in = dq.text(0);
    }

    const Peak used = peak_use(db, r.tenant, r.start_ms, r.start_ms + r.duration_ms);
    if (used.seats + r.participants > max_participants || used.rooms + 1 > max_rooms) return errc::quota_exceeded;

    db.query(
          "INSERT INTO bookings(tenant, room, topic, dial_in, start_ms, duration_ms, participants, billing_mode) "
          "VALUES (?, '', ?, ?, ?, ?, ?, ?)")
        .bind(r.tenant)
        .bind(r.topic)
        .bind(dial_in)
        .bind(r.start_ms)
        .bind(r.duration_ms)
        .bind(r.participants)
        .bind(room::to_string(r.billing))
        .run();
    BookingConfirmation c;
    c.id = db.last_insert_rowid();
    c.room = "booking-" + std::to_string(c.id);
    c.dial_in = dial_in;
    c.participant_pin = participant_pin;
    c.moderator_pin = moderator_pin;
    c.start_ms = r.start_ms;
    c.duration_ms = r.duration_ms;
    c.participants = r.participants;
    db.query("UPDATE bookings SET room = ? WHERE id = ?").bind(c.room).bind(c.id).run();

    RoomRecord room_rec;
    room_rec.tenant = r.tenant;
    room_rec.config.name = c.room;
    room_rec.config.topic = r.topic;
    room_rec.config.max_members = r.participants;
    room_rec.config.participant_pin_hash = participant_hash;
    room_rec.config.moderator_pin_hash = moderator_hash;
    db.query(
          "INSERT INTO rooms(tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
          "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, "
          "acl_deny) VALUES (?, ?, ?, ?, ?, ?, '', 'route_to_operator', 0, 0, 0, '', '')")
        .bind(room_rec.tenant)
        .bind(room_rec.config.name)
        .bind(room_rec.config.topic)
        .bind(room_rec.config.max_members)
        .bind(room_rec.config.participant_pin_hash)
        .bind(room_rec.config.moderator_pin_hash)
        .run();
    tx.commit();
    return c;
  });
}

Result<std::vector<BookingRecord>> SqliteStore::bookings(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<BookingRecord>> {
    auto q = impl_->db.query(
        "SELECT id, tenant, room, topic, dial_in, start_ms, duration_ms, participants, billing_mode "
        "FROM bookings WHERE tenant = ? ORDER BY start_ms, id");
    q.bind(tenant);
    std::vector<BookingRecord> out;
    while (q.step())
      out.push_back(BookingRecord{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.int64(5), q.int64(6),
                                  static_cast<int>(q.int64(7)),
                                  room::billing_mode_from_string(q.text(8)).value_or(room::BillingMode::caller_pays)});
    return out;
  });
}

Result<void> SqliteStore::cancel_booking(const std::string& tenant, std::int64_t id) {
  return detail::guarded([&]() -> Result<void> {
    auto& db = impl_->db;
    detail::Transaction tx(db);
    std::string room_name;
    {
      auto q = db.query("SELECT room FROM bookings WHERE tenant = ? AND id = ?");
      q.bind(tenant).bind(id);
      if (!q.step()) return errc::not_found;
      room_name = q.text(0);
    }
    db.query("DELETE FROM bookings WHERE id = ?").bind(id).run();
    db.query("DELETE FROM rooms WHERE tenant = ? AND name = ?").bind(tenant).bind(room_name).run();
    tx.commit();
    return {};
  });
}

}  // namespace libconf::store
