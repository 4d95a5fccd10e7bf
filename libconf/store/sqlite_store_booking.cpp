// SqliteStore: bookings with a capacity check.
#include <vector>

#include "libconf/room/room_config.hpp"
#include "libconf/store/booking_rules.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "libconf/store/sqlite_store_impl.hpp"

namespace libconf::store {
namespace {

// The bookings of `tenant` that overlap [start, end).
std::vector<detail::BookedInterval> overlapping(detail::Db& db, const std::string& tenant, std::int64_t start,
                                                std::int64_t end) {
  auto q = db.query(
      "SELECT start_ms, start_ms + duration_ms, participants FROM bookings "
      "WHERE tenant = ? AND start_ms > ? AND start_ms < ? AND start_ms + duration_ms > ?");
  q.bind(tenant).bind(start - detail::kMaxBookingMs).bind(end).bind(start);
  std::vector<detail::BookedInterval> out;
  while (q.step()) out.push_back({q.int64(0), q.int64(1), q.int64(2)});
  return out;
}

}  // namespace

Result<BookingConfirmation> SqliteStore::book(const BookingRequest& r) {
  detail::validate(r);
  // Hash before taking the write lock: Argon2id takes ~0.1 s at production cost.
  const detail::BookingPins pins = detail::make_booking_pins(impl_->options.pin_hash);
  return detail::guarded([&]() -> Result<BookingConfirmation> {
    auto& db = impl_->db;
    detail::Transaction tx(db);
    room::TenantQuota quota;
    {
      auto tq = db.query("SELECT max_participants, max_rooms FROM tenants WHERE name = ?");
      tq.bind(r.tenant);
      if (!tq.step()) return errc::not_found;
      quota = {static_cast<int>(tq.int64(0)), static_cast<int>(tq.int64(1))};
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

    const auto used = detail::peak_use(overlapping(db, r.tenant, r.start_ms, r.start_ms + r.duration_ms), r.start_ms);
    if (!detail::fits(used, r.participants, quota)) return errc::quota_exceeded;

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
    c.room = detail::booking_room_name(c.id);
    c.dial_in = dial_in;
    c.participant_pin = pins.participant;
    c.moderator_pin = pins.moderator;
    c.start_ms = r.start_ms;
    c.duration_ms = r.duration_ms;
    c.participants = r.participants;
    db.query("UPDATE bookings SET room = ? WHERE id = ?").bind(c.room).bind(c.id).run();

    RoomRecord room_rec;
    room_rec.tenant = r.tenant;
    room_rec.config.name = c.room;
    room_rec.config.topic = r.topic;
    room_rec.config.max_members = r.participants;
    room_rec.config.participant_pin_hash = pins.participant_hash;
    room_rec.config.moderator_pin_hash = pins.moderator_hash;
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
