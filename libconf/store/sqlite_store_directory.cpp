// SqliteStore: groups (auto-assembly) and DIDs.
#include "libconf/room/room_config.hpp"
#include "libconf/store/sqlite_store.hpp"
#include "libconf/store/sqlite_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

DidRecord read_did(const detail::Query& q) {
  DidRecord d;
  d.number = q.text(0);
  d.tenant = q.text(1);
  d.target = ivr::did_target_from_string(q.text(2)).value_or(DidTarget::menu);
  d.room = q.is_null(3) ? std::string{} : q.text(3);
  d.billing = room::billing_mode_from_string(q.text(4)).value_or(room::BillingMode::caller_pays);
  return d;
}

}  // namespace

Result<void> SqliteStore::put_caller_name(const CallerNameRecord& r) {
  detail::validate(r);
  return detail::guarded([&]() -> Result<void> {
    if (r.name.empty()) {
      impl_->db.query("DELETE FROM caller_names WHERE tenant = ? AND caller_id = ?").bind(r.tenant).bind(r.caller_id).run();
      return {};
    }
    impl_->db
        .query("INSERT INTO caller_names(tenant, caller_id, name) VALUES (?, ?, ?) "
               "ON CONFLICT(tenant, caller_id) DO UPDATE SET name = excluded.name")
        .bind(r.tenant)
        .bind(r.caller_id)
        .bind(r.name)
        .run();
    return {};
  });
}

Result<CallerNameRecord> SqliteStore::caller_name(const std::string& tenant, const std::string& caller_id) {
  return detail::guarded([&]() -> Result<CallerNameRecord> {
    auto q = impl_->db.query("SELECT tenant, caller_id, name FROM caller_names WHERE tenant = ? AND caller_id = ?");
    q.bind(tenant).bind(caller_id);
    if (!q.step()) return errc::not_found;
    return CallerNameRecord{q.text(0), q.text(1), q.text(2)};
  });
}

Result<void> SqliteStore::put_group(const GroupRecord& g) {
  detail::validate(g);
  return detail::guarded([&]() -> Result<void> {
    detail::Transaction tx(impl_->db);
    impl_->db.query("INSERT INTO groups(tenant, name) VALUES (?, ?) ON CONFLICT(tenant, name) DO NOTHING")
        .bind(g.tenant)
        .bind(g.name)
        .run();
    impl_->db.query("DELETE FROM group_members WHERE tenant = ? AND group_name = ?").bind(g.tenant).bind(g.name).run();
    for (std::size_t i = 0; i < g.members.size(); ++i)
      impl_->db.query("INSERT INTO group_members(tenant, group_name, position, number) VALUES (?, ?, ?, ?)")
          .bind(g.tenant)
          .bind(g.name)
          .bind(static_cast<std::int64_t>(i))
          .bind(g.members[i])
          .run();
    tx.commit();
    return {};
  });
}

Result<GroupRecord> SqliteStore::group(const std::string& tenant, const std::string& name) {
  return detail::guarded([&]() -> Result<GroupRecord> {
    auto exists = impl_->db.query("SELECT 1 FROM groups WHERE tenant = ? AND name = ?");
    exists.bind(tenant).bind(name);
    if (!exists.step()) return errc::not_found;
    GroupRecord g{tenant, name, {}};
    auto q = impl_->db.query("SELECT number FROM group_members WHERE tenant = ? AND group_name = ? ORDER BY position");
    q.bind(tenant).bind(name);
    while (q.step()) g.members.push_back(q.text(0));
    return g;
  });
}

Result<std::vector<GroupRecord>> SqliteStore::groups(const std::string& tenant) {
  std::vector<std::string> names;
  auto listed = detail::guarded([&]() -> Result<void> {
    auto q = impl_->db.query("SELECT name FROM groups WHERE tenant = ? ORDER BY name");
    q.bind(tenant);
    while (q.step()) names.push_back(q.text(0));
    return {};
  });
  if (!listed) return listed.error();
  std::vector<GroupRecord> out;
  for (const auto& n : names) {
    auto g = group(tenant, n);
    if (!g) return g.error();
    out.push_back(std::move(*g));
  }
  return out;
}

Result<void> SqliteStore::put_did(const DidRecord& d) {
  detail::validate(d);
  return detail::guarded([&]() -> Result<void> {
    auto q = impl_->db.query(
        "INSERT INTO dids(number, tenant, target, room, billing_mode) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(number) DO UPDATE SET tenant = excluded.tenant, target = excluded.target, "
        "room = excluded.room, billing_mode = excluded.billing_mode");
    q.bind(d.number).bind(d.tenant).bind(to_string(d.target));
    if (d.room.empty()) q.bind_null();
    else q.bind(d.room);
    q.bind(room::to_string(d.billing));
    q.run();
    return {};
  });
}

Result<DidRecord> SqliteStore::did(const std::string& number) {
  return detail::guarded([&]() -> Result<DidRecord> {
    auto q = impl_->db.query("SELECT number, tenant, target, room, billing_mode FROM dids WHERE number = ?");
    q.bind(number);
    if (!q.step()) return errc::not_found;
    return read_did(q);
  });
}

Result<std::vector<DidRecord>> SqliteStore::dids(const std::string& tenant) {
  return detail::guarded([&]() -> Result<std::vector<DidRecord>> {
    auto q = impl_->db.query(
        "SELECT number, tenant, target, room, billing_mode FROM dids WHERE tenant = ? ORDER BY number");
    q.bind(tenant);
    std::vector<DidRecord> out;
    while (q.step()) out.push_back(read_did(q));
    return out;
  });
}

}  // namespace libconf::store
