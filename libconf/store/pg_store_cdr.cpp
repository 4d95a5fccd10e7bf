// PgStore: call detail records and moderator sessions.
#include <map>

#include "libconf/room/room_config.hpp"
#include "libconf/store/pg_store.hpp"
#include "libconf/store/pg_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {

Result<void> PgStore::append_cdr(const room::LegRecord& l) {
  detail::validate(l);
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    auto& conn = impl_->conn;
    detail::PgTransaction tx(conn);
    const std::int64_t row =
        conn.query(
                "INSERT INTO cdr_legs(leg, tenant, caller_id, did, billing_mode, role, arrived_ms, ivr_ms, queue_ms, "
                "left_ms, exit_reason, exit_detail, host_id, call_id, arrived_utc_ms, left_utc_ms) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
                "RETURNING id")
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
            .run()
            .int64(0, 0);
    for (std::size_t i = 0; i < l.segments.size(); ++i) {
      const auto& s = l.segments[i];
      conn.query(
              "INSERT INTO cdr_segments(leg_row, position, room, side_room, role, start_ms, end_ms) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7)")
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

Result<std::vector<room::LegRecord>> PgStore::cdr(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<room::LegRecord>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<room::LegRecord>> {
    auto& conn = impl_->conn;
    // Legs and segments from one snapshot.
    detail::PgTransaction tx(conn, detail::PgTransaction::Mode::read_only);
    const auto legs = conn.query(
                              "SELECT id, leg, tenant, caller_id, did, billing_mode, role, arrived_ms, ivr_ms, "
                              "queue_ms, left_ms, exit_reason, exit_detail, host_id, call_id, arrived_utc_ms, "
                              "left_utc_ms FROM cdr_legs WHERE tenant = $1 "
                              "ORDER BY id")
                          .bind(tenant)
                          .run();
    std::vector<room::LegRecord> out;
    out.reserve(static_cast<std::size_t>(legs.size()));
    std::map<std::int64_t, std::size_t> index;  // cdr_legs.id -> position in out
    for (int i = 0; i < legs.size(); ++i) {
      room::LegRecord l;
      l.leg = static_cast<room::LegId>(legs.int64(i, 1));
      l.tenant = legs.text(i, 2);
      l.caller_id = legs.text(i, 3);
      l.did = legs.text(i, 4);
      l.billing = room::billing_mode_from_string(legs.text(i, 5)).value_or(room::BillingMode::caller_pays);
      l.role = room::role_from_string(legs.text(i, 6)).value_or(room::Role::participant);
      l.arrived_ms = legs.int64(i, 7);
      l.ivr_ms = legs.int64(i, 8);
      l.queue_ms = legs.int64(i, 9);
      l.left_ms = legs.int64(i, 10);
      l.exit = room::exit_reason_from_string(legs.text(i, 11)).value_or(room::ExitReason::error);
      l.exit_detail = legs.text(i, 12);
      l.host_id = legs.text(i, 13);
      l.call_id = legs.text(i, 14);
      l.arrived_utc_ms = legs.int64(i, 15);
      l.left_utc_ms = legs.int64(i, 16);
      index.emplace(legs.int64(i, 0), out.size());
      out.push_back(std::move(l));
    }
    const auto segs = conn.query(
                              "SELECT s.leg_row, s.room, s.side_room, s.role, s.start_ms, s.end_ms "
                              "FROM cdr_segments s JOIN cdr_legs l ON l.id = s.leg_row WHERE l.tenant = $1 "
                              "ORDER BY s.leg_row, s.position")
                          .bind(tenant)
                          .run();
    for (int i = 0; i < segs.size(); ++i) {
      const auto it = index.find(segs.int64(i, 0));
      if (it == index.end()) continue;
      out[it->second].segments.push_back(
          room::CdrSegment{segs.text(i, 1), segs.boolean(i, 2),
                           room::role_from_string(segs.text(i, 3)).value_or(room::Role::participant),
                           segs.int64(i, 4), segs.int64(i, 5)});
    }
    tx.commit();
    return out;
  });
}

Result<void> PgStore::append_session(const room::ModeratorSession& m) {
  detail::validate(m);
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    impl_->conn
        .query("INSERT INTO moderator_sessions(tenant, moderator, login_ms, logout_ms, host_id, call_id, "
               "login_utc_ms, logout_utc_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(m.tenant)
        .bind(m.moderator)
        .bind(m.login_ms)
        .bind(m.logout_ms)
        .bind(m.host_id)
        .bind(m.call_id)
        .bind(m.login_utc_ms)
        .bind(m.logout_utc_ms)
        .run();
    tx.commit();
    return {};
  });
}

Result<std::vector<room::ModeratorSession>> PgStore::sessions(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<room::ModeratorSession>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<room::ModeratorSession>> {
    const auto rows = impl_->conn
                          .query("SELECT tenant, moderator, login_ms, logout_ms, host_id, call_id, login_utc_ms, "
                                 "logout_utc_ms FROM moderator_sessions "
                                 "WHERE tenant = $1 ORDER BY id")
                          .bind(tenant)
                          .run();
    std::vector<room::ModeratorSession> out;
    for (int i = 0; i < rows.size(); ++i)
      out.push_back({rows.text(i, 0), rows.text(i, 1), rows.int64(i, 2), rows.int64(i, 3), rows.text(i, 4),
                     rows.text(i, 5), rows.int64(i, 6), rows.int64(i, 7)});
    return out;
  });
}

}  // namespace libconf::store
