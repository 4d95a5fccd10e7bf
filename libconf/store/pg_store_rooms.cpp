// PgStore: rooms and moderators.
#include "libconf/room/room_config.hpp"
#include "libconf/store/pg_store.hpp"
#include "libconf/store/pg_store_impl.hpp"
#include "libconf/store/text_list.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

void bind_room(detail::PgQuery& q, const RoomRecord& r) {
  const room::RoomConfig& c = r.config;
  q.bind(r.tenant)
      .bind(c.name)
      .bind(c.topic)
      .bind(c.max_members)
      .bind(c.participant_pin_hash)
      .bind(c.moderator_pin_hash)
      .bind(c.listener_pin_hash)
      .bind(room::to_string(c.when_full))
      .bind(c.wait_for_moderator)
      .bind(c.end_with_last_moderator)
      .bind(c.end_grace_ms)
      .bind(detail::join_lines(c.acl.allow))
      .bind(detail::join_lines(c.acl.deny))
      .bind(r.locked);
}

RoomRecord read_room(const detail::PgRows& rows, int i) {
  RoomRecord r;
  r.tenant = rows.text(i, 0);
  room::RoomConfig& c = r.config;
  c.name = rows.text(i, 1);
  c.topic = rows.text(i, 2);
  c.max_members = static_cast<int>(rows.int64(i, 3));
  c.participant_pin_hash = rows.text(i, 4);
  c.moderator_pin_hash = rows.text(i, 5);
  c.listener_pin_hash = rows.text(i, 6);
  c.when_full = room::full_policy_from_string(rows.text(i, 7)).value_or(room::FullPolicy::route_to_operator);
  c.wait_for_moderator = rows.boolean(i, 8);
  c.end_with_last_moderator = rows.boolean(i, 9);
  c.end_grace_ms = rows.int64(i, 10);
  c.acl.allow = detail::split_lines(rows.text(i, 11));
  c.acl.deny = detail::split_lines(rows.text(i, 12));
  r.locked = rows.boolean(i, 13);
  return r;
}

ModeratorRecord read_moderator(const detail::PgRows& rows, int i) {
  return {rows.text(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3)};
}

}  // namespace

Result<void> PgStore::add_room(const RoomRecord& r) {
  detail::validate(r);
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    auto q = impl_->conn.query(
        "INSERT INTO rooms(tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
        "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, "
        "acl_deny, locked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)");
    bind_room(q, r);
    q.run();
    tx.commit();
    return {};
  });
}

Result<void> PgStore::update_room(const RoomRecord& r) {
  detail::validate(r);
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    auto q = impl_->conn.query(
        "UPDATE rooms SET topic = $3, max_members = $4, participant_pin_hash = $5, moderator_pin_hash = $6, "
        "listener_pin_hash = $7, when_full = $8, wait_for_moderator = $9, end_with_last_moderator = $10, "
        "end_grace_ms = $11, acl_allow = $12, acl_deny = $13, locked = $14 WHERE tenant = $1 AND name = $2");
    bind_room(q, r);
    if (q.run().affected() == 0) return errc::not_found;
    tx.commit();
    return {};
  });
}

Result<RoomRecord> PgStore::room(const std::string& tenant, const std::string& name) {
  if (detail::impossible_key(tenant) || detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<RoomRecord> {
    const auto rows = impl_->conn
                          .query("SELECT tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
                                 "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, "
                                 "end_grace_ms, acl_allow, acl_deny, locked FROM rooms WHERE tenant = $1 AND name = $2")
                          .bind(tenant)
                          .bind(name)
                          .run();
    if (rows.empty()) return errc::not_found;
    return read_room(rows, 0);
  });
}

Result<std::vector<RoomRecord>> PgStore::rooms(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<RoomRecord>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<RoomRecord>> {
    const auto rows = impl_->conn
                          .query("SELECT tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
                                 "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, "
                                 "end_grace_ms, acl_allow, acl_deny, locked FROM rooms WHERE tenant = $1 ORDER BY name")
                          .bind(tenant)
                          .run();
    std::vector<RoomRecord> out;
    for (int i = 0; i < rows.size(); ++i) out.push_back(read_room(rows, i));
    return out;
  });
}

Result<void> PgStore::remove_room(const std::string& tenant, const std::string& name) {
  if (detail::impossible_key(tenant) || detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    // A DID still points at the room: remove or re-point the DID first. Asked
    // before the DELETE so that the transaction is not left aborted by the
    // foreign key; the row lock keeps a DID from being pointed at it meanwhile.
    const auto room = impl_->conn.query("SELECT 1 FROM rooms WHERE tenant = $1 AND name = $2 FOR UPDATE")
                          .bind(tenant)
                          .bind(name)
                          .run();
    if (room.empty()) return errc::not_found;
    if (!impl_->conn.query("SELECT 1 FROM dids WHERE tenant = $1 AND room = $2 LIMIT 1")
             .bind(tenant)
             .bind(name)
             .run()
             .empty())
      return errc::invalid_state;
    impl_->conn.query("DELETE FROM rooms WHERE tenant = $1 AND name = $2").bind(tenant).bind(name).run();
    tx.commit();
    return {};
  });
}

Result<void> PgStore::put_moderator(const ModeratorRecord& m) {
  detail::validate(m);
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    impl_->conn
        .query(
            "INSERT INTO moderators(tenant, name, caller_id, pin_hash) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (tenant, name) DO UPDATE SET caller_id = excluded.caller_id, pin_hash = excluded.pin_hash")
        .bind(m.tenant)
        .bind(m.name)
        .bind(m.caller_id)
        .bind(m.pin_hash)
        .run();
    tx.commit();
    return {};
  });
}

Result<ModeratorRecord> PgStore::moderator(const std::string& tenant, const std::string& name) {
  if (detail::impossible_key(tenant) || detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<ModeratorRecord> {
    const auto rows =
        impl_->conn.query("SELECT tenant, name, caller_id, pin_hash FROM moderators WHERE tenant = $1 AND name = $2")
            .bind(tenant)
            .bind(name)
            .run();
    if (rows.empty()) return errc::not_found;
    return read_moderator(rows, 0);
  });
}

Result<std::vector<ModeratorRecord>> PgStore::moderators(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<ModeratorRecord>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<ModeratorRecord>> {
    const auto rows =
        impl_->conn.query("SELECT tenant, name, caller_id, pin_hash FROM moderators WHERE tenant = $1 ORDER BY name")
            .bind(tenant)
            .run();
    std::vector<ModeratorRecord> out;
    for (int i = 0; i < rows.size(); ++i) out.push_back(read_moderator(rows, i));
    return out;
  });
}

Result<void> PgStore::remove_moderator(const std::string& tenant, const std::string& name) {
  if (detail::impossible_key(tenant) || detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    if (impl_->conn.query("DELETE FROM moderators WHERE tenant = $1 AND name = $2")
            .bind(tenant)
            .bind(name)
            .run()
            .affected() == 0)
      return errc::not_found;
    tx.commit();
    return {};
  });
}

}  // namespace libconf::store
