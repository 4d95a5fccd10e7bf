// SqliteStore: call detail records and moderator sessions.
#include "libconf/room/room_config.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "libconf/store/sqlite_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {

Result<void> SqliteStore::append_cdr(const room::LegRecord& l) {
  detail::validate(l);
  return detail::guarded([&]() -> Result<void> {
    auto& db = impl_->db;
    detail::Transaction tx(db);
    db.query(
          "INSERT INTO cdr_legs(leg, tenant, caller_id, did, billing_mode, role, arrived_ms, ivr_ms, queue_ms, "
          "left_ms, exit_reason, exit_detail, host_id, call_id, arrived_utc_ms, left_utc_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(static_cast<std::int64_t>(l.leg))
        .bind(l.tenant)
        .bind(l.caller_id)
        .bind(l.did)
        .bind(room::to_string(l.billing))
        .bind(room::to_string(l.role))
        .bind(l.arrived_ms)
        .bind(l.ivr_ms)
        .bind(l.queue_ms)
        .bind(l.left_ms)
        .bind(room::to_string(l.exit))
        .bind(l.exit_detail)
        .bind(l.host_id)
        .bind(l.call_id)
        .bind(l.arrived_utc_ms)
        .bind(l.left_utc_ms)
        .run();
    const std::int64_t row = db.last_insert_rowid();
    for (std::size_t i = 0; i < l.segments.size(); ++i) {
      const auto& s = l.segments[i];
      db.query(
            "INSERT INTO cdr_segments(leg_row, position, room, side_room, role, start_ms, end_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")
          .bind(row)
          .bind(static_cast<std::int64_t>(i))
          .bind(s.room)
          .bind(s.side_room)
          .bind(room::to_string(s.role))
          .bind(s.start_ms)
          .bind(s.end_ms)
          .run();
    }
    tx.commit();
    return {};
  });
}

Result<std::vector<room::LegRecord>> SqliteStore::cdr(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<room::LegRecord>> {
    auto& db = impl_->db;
    std::vector<std::pair<std::int64_t, room::LegRecord>> rows;
    {
      auto q = db.query(
          "SELECT id, leg, tenant, caller_id, did, billing_mode, role, arrived_ms, ivr_ms, queue_ms, left_ms, "
          "exit_reason, exit_detail, host_id, call_id, arrived_utc_ms, left_utc_ms FROM cdr_legs WHERE tenant = ? "
          "ORDER BY id");
      q.bind(tenant);
      while (q.step()) {
        room::LegRecord l;
        l.leg = static_cast<room::LegId>(q.int64(1));
        l.tenant = q.text(2);
        l.caller_id = q.text(3);
        l.did = q.text(4);
        l.billing = room::billing_mode_from_string(q.text(5)).value_or(room::BillingMode::caller_pays);
        l.role = room::role_from_string(q.text(6)).value_or(room::Role::participant);
        l.arrived_ms = q.int64(7);
        l.ivr_ms = q.int64(8);
        l.queue_ms = q.int64(9);
        l.left_ms = q.int64(10);
        l.exit = room::exit_reason_from_string(q.text(11)).value_or(room::ExitReason::error);
        l.exit_detail = q.text(12);
        l.host_id = q.text(13);
        l.call_id = q.text(14);
        l.arrived_utc_ms = q.int64(15);
        l.left_utc_ms = q.int64(16);
        rows.emplace_back(q.int64(0), std::move(l));
      }
    }
    std::vector<room::LegRecord> out;
    for (auto& [row, l] : rows) {
      auto s = db.query(
          "SELECT room, side_room, role, start_ms, end_ms FROM cdr_segments WHERE leg_row = ? ORDER BY position");
      s.bind(row);
      while (s.step())
        l.segments.push_back(room::CdrSegment{s.text(0), s.int64(1) != 0,
                                              room::role_from_string(s.text(2)).value_or(room::Role::participant),
                                              s.int64(3), s.int64(4)});
      out.push_back(std::move(l));
    }
    return out;
  });
}

Result<void> SqliteStore::append_session(const room::ModeratorSession& m) {
  detail::validate(m);
  return detail::guarded([&]() -> Result<void> {
    impl_->db
        .query("INSERT INTO moderator_sessions(tenant, moderator, login_ms, logout_ms, host_id, call_id, "
               "login_utc_ms, logout_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(m.tenant)
        .bind(m.moderator)
        .bind(m.login_ms)
        .bind(m.logout_ms)
        .bind(m.host_id)
        .bind(m.call_id)
        .bind(m.login_utc_ms)
        .bind(m.logout_utc_ms)
        .run();
    return {};
  });
}

Result<std::vector<room::ModeratorSession>> SqliteStore::sessions(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<room::ModeratorSession>> {
    auto q = impl_->db.query(
        "SELECT tenant, moderator, login_ms, logout_ms, host_id, call_id, login_utc_ms, logout_utc_ms "
        "FROM moderator_sessions WHERE tenant = ? ORDER BY id");
    q.bind(tenant);
    std::vector<room::ModeratorSession> out;
    while (q.step())
      out.push_back({q.text(0), q.text(1), q.int64(2), q.int64(3), q.text(4), q.text(5), q.int64(6), q.int64(7)});
    return out;
  });
}

}  // namespace libconf::store
