// PgStore: bookings with a capacity check that concurrent bookers cannot race.
//
// Design: READ COMMITTED and a row lock on the tenant. book() first takes
// `SELECT .. FROM tenants WHERE name = $1 FOR NO KEY UPDATE`; every booking of
// that tenant, from any connection or host, queues on that one row. The lock is
// held until COMMIT, and each later statement of the transaction sees what the
// previous holder committed, so the overlap sum counts every earlier booking.
// Chosen over SERIALIZABLE because bookers of one tenant always conflict on the
// same data: SSI would abort all but one of them and have them retry, while the
// row lock makes them wait their turn once, without aborts. Other tenants'
// bookings take other rows and run in parallel. NO KEY UPDATE (not FOR UPDATE)
// leaves the foreign-key checks of concurrent inserts (rooms, DIDs) of the same
// tenant unblocked; set_quota's UPDATE takes the same lock, so a quota cannot
// change under a booking.
#include <vector>

#include "libconf/room/room_config.hpp"
#include "libconf/store/booking_rules.hpp"
#include "libconf/store/pg_store.hpp"
#include "libconf/store/pg_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

std::vector<detail::BookedInterval> overlapping(detail::PgConn& conn, const std::string& tenant, std::int64_t start,
                                                std::int64_t end) {
  const auto rows = conn.query(
                            "SELECT start_ms, start_ms + duration_ms, participants FROM bookings "
                            "WHERE tenant = $1 AND start_ms > $2 AND start_ms < $3 AND start_ms + duration_ms > $4")
                        .bind(tenant)
                        .bind(start - detail::kMaxBookingMs)
                        .bind(end)
                        .bind(start)
                        .run();
  std::vector<detail::BookedInterval> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back({rows.int64(i, 0), rows.int64(i, 1), rows.int64(i, 2)});
  return out;
}

}  // namespace

Result<BookingConfirmation> PgStore::book(const BookingRequest& r) {
  detail::validate(r);
  // Hash before taking the lock: Argon2id takes ~0.1 s at production cost.
  const detail::BookingPins pins = detail::make_booking_pins(impl_->options.pin_hash);
  return impl_->run(Impl::Retry::write, [&]() -> Result<BookingConfirmation> {
    auto& conn = impl_->conn;
    detail::PgTransaction tx(conn);
    const auto tenant =
        conn.query("SELECT max_participants, max_rooms FROM tenants WHERE name = $1 FOR NO KEY UPDATE")
            .bind(r.tenant)
            .run();
    if (tenant.empty()) return errc::not_found;
    const room::TenantQuota quota{static_cast<int>(tenant.int64(0, 0)), static_cast<int>(tenant.int64(0, 1))};
    const auto did = conn.query(
                             "SELECT number FROM dids WHERE tenant = $1 AND target = 'menu' AND billing_mode = $2 "
                             "ORDER BY number LIMIT 1")
                         .bind(r.tenant)
                         .bind(room::to_string(r.billing))
                         .run();
    if (did.empty()) return errc::not_found;

    const auto used =
        detail::peak_use(overlapping(conn, r.tenant, r.start_ms, r.start_ms + r.duration_ms), r.start_ms);
    if (!detail::fits(used, r.participants, quota)) return errc::quota_exceeded;

    BookingConfirmation c;
    c.id = conn.query("SELECT nextval(pg_get_serial_sequence('bookings', 'id'))").run().int64(0, 0);
    c.room = detail::booking_room_name(c.id);
    c.dial_in = did.text(0, 0);
    c.participant_pin = pins.participant;
    c.moderator_pin = pins.moderator;
    c.start_ms = r.start_ms;
    c.duration_ms = r.duration_ms;
    c.participants = r.participants;
    conn.query(
            "INSERT INTO bookings(id, tenant, room, topic, dial_in, start_ms, duration_ms, participants, "
            "billing_mode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(c.id)
        .bind(r.tenant)
        .bind(c.room)
        .bind(r.topic)
        .bind(c.dial_in)
        .bind(r.start_ms)
        .bind(r.duration_ms)
        .bind(r.participants)
        .bind(room::to_string(r.billing))
        .run();
    conn.query(
            "INSERT INTO rooms(tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
            "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, "
            "acl_deny) VALUES ($1, $2, $3, $4, $5, $6, '', 'route_to_operator', false, false, 0, '', '')")
        .bind(r.tenant)
        .bind(c.room)
        .bind(r.topic)
        .bind(r.participants)
        .bind(pins.participant_hash)
        .bind(pins.moderator_hash)
        .run();
    tx.commit();
    return c;
  });
}

Result<std::vector<BookingRecord>> PgStore::bookings(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<BookingRecord>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<BookingRecord>> {
    const auto rows = impl_->conn
                          .query("SELECT id, tenant, room, topic, dial_in, start_ms, duration_ms, participants, "
                                 "billing_mode FROM bookings WHERE tenant = $1 ORDER BY start_ms, id")
                          .bind(tenant)
                          .run();
    std::vector<BookingRecord> out;
    for (int i = 0; i < rows.size(); ++i)
      out.push_back(BookingRecord{
          rows.int64(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4), rows.int64(i, 5),
          rows.int64(i, 6), static_cast<int>(rows.int64(i, 7)),
          room::billing_mode_from_string(rows.text(i, 8)).value_or(room::BillingMode::caller_pays)});
    return out;
  });
}

Result<void> PgStore::cancel_booking(const std::string& tenant, std::int64_t id) {
  if (detail::impossible_key(tenant)) return errc::not_found;
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    auto& conn = impl_->conn;
    detail::PgTransaction tx(conn);
    const auto gone =
        conn.query("DELETE FROM bookings WHERE tenant = $1 AND id = $2 RETURNING room").bind(tenant).bind(id).run();
    if (gone.empty()) return errc::not_found;
    conn.query("DELETE FROM rooms WHERE tenant = $1 AND name = $2").bind(tenant).bind(gone.text(0, 0)).run();
    tx.commit();
    return {};
  });
}

}  // namespace libconf::store
