// SqliteStore: rooms and moderators.
#include "libconf/room/room_config.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "libconf/store/sqlite_store_impl.hpp"
#include "libconf/store/text_list.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

void bind_room(detail::Query& q, const RoomRecord& r) {
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

RoomRecord read_room(const detail::Query& q) {
  RoomRecord r;
  r.tenant = q.text(0);
  room::RoomConfig& c = r.config;
  c.name = q.text(1);
  c.topic = q.text(2);
  c.max_members = static_cast<int>(q.int64(3));
  c.participant_pin_hash = q.text(4);
  c.moderator_pin_hash = q.text(5);
  c.listener_pin_hash = q.text(6);
  c.when_full = room::full_policy_from_string(q.text(7)).value_or(room::FullPolicy::route_to_operator);
  c.wait_for_moderator = q.int64(8) != 0;
  c.end_with_last_moderator = q.int64(9) != 0;
  c.end_grace_ms = q.int64(10);
  c.acl.allow = detail::split_lines(q.text(11));
  c.acl.deny = detail::split_lines(q.text(12));
  r.locked = q.int64(13) != 0;
  return r;
}

}  // namespace

Result<void> SqliteStore::add_room(const RoomRecord& r) {
  detail::validate(r);
  return detail::guarded([&]() -> Result<void> {
    auto q = impl_->db.query(
        "INSERT INTO rooms(tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, "
        "listener_pin_hash, when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, "
        "acl_deny, locked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_room(q, r);
    q.run();
    return {};
  });
}

Result<void> SqliteStore::update_room(const RoomRecord& r) {
  detail::validate(r);
  return detail::guarded([&]() -> Result<void> {
    detail::Transaction tx(impl_->db);
    {
      auto exists = impl_->db.query("SELECT 1 FROM rooms WHERE tenant = ? AND name = ?");
      exists.bind(r.tenant).bind(r.config.name);
      if (!exists.step()) return errc::not_found;
    }
    auto q = impl_->db.query(
        "UPDATE rooms SET tenant = ?, name = ?, topic = ?, max_members = ?, participant_pin_hash = ?, "
        "moderator_pin_hash = ?, listener_pin_hash = ?, when_full = ?, wait_for_moderator = ?, "
        "end_with_last_moderator = ?, end_grace_ms = ?, acl_allow = ?, acl_deny = ?, locked = ? "
        "WHERE tenant = ?15 AND name = ?16");
    bind_room(q, r);
    q.bind(r.tenant).bind(r.config.name);
    q.run();
    tx.commit();
    return {};
  });
}

Result<RoomRecord> SqliteStore::room(const std::string& tenant, const std::string& name) {
  return detail::guarded([&]() -> Result<RoomRecord> {
    auto q = impl_->db.query(
        "SELECT tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, listener_pin_hash, "
        "when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, acl_deny, locked "
        "FROM rooms WHERE tenant = ? AND name = ?");
    q.bind(tenant).bind(name);
    if (!q.step()) return errc::not_found;
    return read_room(q);
  });
}

Result<std::vector<RoomRecord>> SqliteStore::rooms(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<RoomRecord>> {
    auto q = impl_->db.query(
        "SELECT tenant, name, topic, max_members, participant_pin_hash, moderator_pin_hash, listener_pin_hash, "
        "when_full, wait_for_moderator, end_with_last_moderator, end_grace_ms, acl_allow, acl_deny, locked "
        "FROM rooms WHERE tenant = ? ORDER BY name");
    q.bind(tenant);
    std::vector<RoomRecord> out;
    while (q.step()) out.push_back(read_room(q));
    return out;
  });
}

Result<void> SqliteStore::remove_room(const std::string& tenant, const std::string& name) {
  return detail::guarded([&]() -> Result<void> {
    try {
      impl_->db.query("DELETE FROM rooms WHERE tenant = ? AND name = ?").bind(tenant).bind(name).run();
    } catch (const detail::DbError& e) {
      // A DID still points at the room: remove or re-point the DID first.
      if (e.code == SQLITE_CONSTRAINT_FOREIGNKEY) return errc::invalid_state;
      throw;
    }
    if (sqlite3_changes(impl_->db.handle()) == 0) return errc::not_found;
    return {};
  });
}

Result<void> SqliteStore::put_moderator(const ModeratorRecord& m) {
  detail::validate(m);
  return detail::guarded([&]() -> Result<void> {
    impl_->db
        .query(
            "INSERT INTO moderators(tenant, name, caller_id, pin_hash) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(tenant, name) DO UPDATE SET caller_id = excluded.caller_id, pin_hash = excluded.pin_hash")
        .bind(m.tenant)
        .bind(m.name)
        .bind(m.caller_id)
        .bind(m.pin_hash)
        .run();
    return {};
  });
}

Result<ModeratorRecord> SqliteStore::moderator(const std::string& tenant, const std::string& name) {
  return detail::guarded([&]() -> Result<ModeratorRecord> {
    auto q = impl_->db.query("SELECT tenant, name, caller_id, pin_hash FROM moderators WHERE tenant = ? AND name = ?");
    q.bind(tenant).bind(name);
    if (!q.step()) return errc::not_found;
    return ModeratorRecord{q.text(0), q.text(1), q.text(2), q.text(3)};
  });
}

Result<std::vector<ModeratorRecord>> SqliteStore::moderators(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<ModeratorRecord>> {
    auto q = impl_->db.query("SELECT tenant, name, caller_id, pin_hash FROM moderators WHERE tenant = ? ORDER BY name");
    q.bind(tenant);
    std::vector<ModeratorRecord> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
    return out;
  });
}

Result<void> SqliteStore::remove_moderator(const std::string& tenant, const std::string& name) {
  return detail::guarded([&]() -> Result<void> {
    impl_->db.query("DELETE FROM moderators WHERE tenant = ? AND name = ?").bind(tenant).bind(name).run();
    if (sqlite3_changes(impl_->db.handle()) == 0) return errc::not_found;
    return {};
  });
}

}  // namespace libconf::store
