// PgStore: groups (auto-assembly) and DIDs.
#include "libconf/room/room_config.hpp"
#include "libconf/store/pg_store.hpp"
#include "libconf/store/pg_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

DidRecord read_did(const detail::PgRows& rows, int i) {
  DidRecord d;
  d.number = rows.text(i, 0);
  d.tenant = rows.text(i, 1);
  d.target = ivr::did_target_from_string(rows.text(i, 2)).value_or(DidTarget::menu);
  d.room = rows.is_null(i, 3) ? std::string{} : rows.text(i, 3);
  d.billing = room::billing_mode_from_string(rows.text(i, 4)).value_or(room::BillingMode::caller_pays);
  return d;
}

// Groups of `tenant` (all, or the one named `only`) with their members in
// dialling order, from one query so that a group and its members are read at
// one instant.
std::vector<GroupRecord> read_groups(detail::PgConn& conn, const std::string& tenant, const std::string* only) {
  const auto rows = only ? conn.query("SELECT g.name, m.number FROM groups g LEFT JOIN group_members m "
                                      "ON m.tenant = g.tenant AND m.group_name = g.name "
                                      "WHERE g.tenant = $1 AND g.name = $2 ORDER BY g.name, m.position")
                               .bind(tenant)
                               .bind(*only)
                               .run()
                         : conn.query("SELECT g.name, m.number FROM groups g LEFT JOIN group_members m "
                                      "ON m.tenant = g.tenant AND m.group_name = g.name "
                                      "WHERE g.tenant = $1 ORDER BY g.name, m.position")
                               .bind(tenant)
                               .run();
  std::vector<GroupRecord> out;
  for (int i = 0; i < rows.size(); ++i) {
    std::string name = rows.text(i, 0);
    if (out.empty() || out.back().name != name) out.push_back({tenant, std::move(name), {}});
    if (!rows.is_null(i, 1)) out.back().members.push_back(rows.text(i, 1));
  }
  return out;
}

}  // namespace

Result<void> PgStore::put_caller_name(const CallerNameRecord& r) {
  detail::validate(r);
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    if (r.name.empty()) {
      impl_->conn.query("DELETE FROM caller_names WHERE tenant = $1 AND caller_id = $2")
          .bind(r.tenant)
          .bind(r.caller_id)
          .run();
    } else {
      impl_->conn
          .query("INSERT INTO caller_names(tenant, caller_id, name) VALUES ($1, $2, $3) "
                 "ON CONFLICT (tenant, caller_id) DO UPDATE SET name = excluded.name")
          .bind(r.tenant)
          .bind(r.caller_id)
          .bind(r.name)
          .run();
    }
    tx.commit();
    return {};
  });
}

Result<CallerNameRecord> PgStore::caller_name(const std::string& tenant, const std::string& caller_id) {
  if (detail::impossible_key(tenant) || detail::impossible_key(caller_id)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<CallerNameRecord> {
    const auto rows = impl_->conn
                          .query("SELECT tenant, caller_id, name FROM caller_names WHERE tenant = $1 AND caller_id = $2")
                          .bind(tenant)
                          .bind(caller_id)
                          .run();
    if (rows.empty()) return errc::not_found;
    return CallerNameRecord{rows.text(0, 0), rows.text(0, 1), rows.text(0, 2)};
  });
}

Result<void> PgStore::put_group(const GroupRecord& g) {
  detail::validate(g);
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    auto& conn = impl_->conn;
    detail::PgTransaction tx(conn);
    conn.query("INSERT INTO groups(tenant, name) VALUES ($1, $2) ON CONFLICT (tenant, name) DO NOTHING")
        .bind(g.tenant)
        .bind(g.name)
        .run();
    // Concurrent replacements of one group's members queue here, one after the other.
    conn.query("SELECT 1 FROM groups WHERE tenant = $1 AND name = $2 FOR UPDATE").bind(g.tenant).bind(g.name).run();
    conn.query("DELETE FROM group_members WHERE tenant = $1 AND group_name = $2").bind(g.tenant).bind(g.name).run();
    for (std::size_t i = 0; i < g.members.size(); ++i)
      conn.query("INSERT INTO group_members(tenant, group_name, position, number) VALUES ($1, $2, $3, $4)")
          .bind(g.tenant)
          .bind(g.name)
          .bind(static_cast<std::int64_t>(i))
          .bind(g.members[i])
          .run();
    tx.commit();
    return {};
  });
}

Result<GroupRecord> PgStore::group(const std::string& tenant, const std::string& name) {
  if (detail::impossible_key(tenant) || detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<GroupRecord> {
    auto groups = read_groups(impl_->conn, tenant, &name);
    if (groups.empty()) return errc::not_found;
    return std::move(groups.front());
  });
}

Result<std::vector<GroupRecord>> PgStore::groups(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<GroupRecord>{};
  return impl_->run(Impl::Retry::read,
                    [&]() -> Result<std::vector<GroupRecord>> { return read_groups(impl_->conn, tenant, nullptr); });
}

Result<void> PgStore::put_did(const DidRecord& d) {
  detail::validate(d);
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    auto q = impl_->conn.query(
        "INSERT INTO dids(number, tenant, target, room, billing_mode) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (number) DO UPDATE SET tenant = excluded.tenant, target = excluded.target, "
        "room = excluded.room, billing_mode = excluded.billing_mode");
    q.bind(d.number).bind(d.tenant).bind(to_string(d.target));
    if (d.room.empty()) q.bind_null();
    else q.bind(d.room);
    q.bind(room::to_string(d.billing));
    q.run();
    tx.commit();
    return {};
  });
}

Result<DidRecord> PgStore::did(const std::string& number) {
  if (detail::impossible_key(number)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<DidRecord> {
    const auto rows =
        impl_->conn.query("SELECT number, tenant, target, room, billing_mode FROM dids WHERE number = $1")
            .bind(number)
            .run();
    if (rows.empty()) return errc::not_found;
    return read_did(rows, 0);
  });
}

Result<std::vector<DidRecord>> PgStore::dids(const std::string& tenant) {
  if (detail::impossible_key(tenant)) return std::vector<DidRecord>{};
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<DidRecord>> {
    const auto rows =
        impl_->conn
            .query("SELECT number, tenant, target, room, billing_mode FROM dids WHERE tenant = $1 ORDER BY number")
            .bind(tenant)
            .run();
    std::vector<DidRecord> out;
    for (int i = 0; i < rows.size(); ++i) out.push_back(read_did(rows, i));
    return out;
  });
}

}  // namespace libconf::store
