#include "libconf/store/pg_store.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "libconf/room/room_config.hpp"
#include "libconf/store/pg_migrations.hpp"
#include "libconf/store/pg_store_impl.hpp"
#include "libconf/store/validation.hpp"

namespace libconf::store {
namespace {

const PgOptions& checked(const PgOptions& o) {
  if (o.connect_timeout_s < 0 || o.connect_timeout_s > 3600)
    throw Error(errc::invalid_argument,
                "PgOptions.connect_timeout_s = " + std::to_string(o.connect_timeout_s) + " is not in 0..3600");
  if (o.statement_timeout_ms < 0)
    throw Error(errc::invalid_argument,
                "PgOptions.statement_timeout_ms = " + std::to_string(o.statement_timeout_ms) + " is negative");
  if (o.conflict_retries < 0 || o.conflict_retries > 100)
    throw Error(errc::invalid_argument,
                "PgOptions.conflict_retries = " + std::to_string(o.conflict_retries) + " is not in 0..100");
  return o;
}

detail::PgConn connect(const PgOptions& o) {
  try {
    return detail::PgConn(o.conninfo, o.connect_timeout_s, {o.statement_timeout_ms});
  } catch (const detail::PgError& e) {
    throw Error(errc::store_error, "PostgreSQL store: cannot connect: " + e.message);
  }
}

}  // namespace

PgStore::Impl::Impl(PgOptions o) : options(checked(o)), conn(connect(options)) {
  try {
    detail::migrate(conn);
  } catch (const detail::PgError& e) {
    throw Error(errc::store_error, "PostgreSQL store (" + conn.describe() + "): migration failed: " + e.message +
                                       (e.sqlstate.empty() ? "" : " [SQLSTATE " + e.sqlstate + "]"));
  }
}

void PgStore::Impl::note(const detail::PgError& e) {
  last_error = "PostgreSQL store (" + conn.describe() + "): " + e.message;
  if (!e.sqlstate.empty()) last_error += " [SQLSTATE " + e.sqlstate + "]";
  if (e.outcome_unknown) last_error += "; the connection broke during COMMIT, so whether it committed is unknown";
}

bool PgStore::Impl::is_conflict(const detail::PgError& e) noexcept {
  return e.sqlstate == "40001" || e.sqlstate == "40P01";  // serialization_failure, deadlock_detected
}

errc PgStore::Impl::to_errc(const detail::PgError& e) noexcept {
  if (e.sqlstate == "23505") return errc::already_exists;  // unique_violation
  if (e.sqlstate == "23503") return errc::not_found;       // foreign_key_violation: the parent is missing
  if (e.sqlstate == "22021" || e.sqlstate == "22P05") return errc::invalid_argument;  // bad encoding / NUL
  return errc::store_error;
}

void PgStore::Impl::backoff(int attempt) {
  // Randomised, growing pause so that the losers of one conflict do not collide again.
  thread_local std::minstd_rand rng(std::random_device{}());
  const int ceiling_ms = 2 << std::min(attempt, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling_ms)(rng)));
}

PgStore::PgStore(PgOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

PgStore::~PgStore() = default;

int PgStore::current_schema_version() noexcept { return detail::latest_pg_schema_version(); }

int PgStore::schema_version() {
  int version = -1;
  auto r = impl_->run(Impl::Retry::read, [&]() -> Result<void> {
    version = detail::recorded_schema_version(impl_->conn);
    return {};
  });
  return r ? version : -1;
}

const std::string& PgStore::last_error() const noexcept { return impl_->last_error; }

int PgStore::reconnects() const noexcept { return impl_->conn.reconnects(); }

// ---- tenants -------------------------------------------------------------------

Result<void> PgStore::add_tenant(const TenantRecord& t) {
  detail::validate(t);
  return impl_->run(Impl::Retry::write, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    impl_->conn.query("INSERT INTO tenants(name, max_participants, max_rooms) VALUES ($1, $2, $3)")
        .bind(t.name)
        .bind(t.quota.max_participants)
        .bind(t.quota.max_rooms)
        .run();
    tx.commit();
    return {};
  });
}

Result<void> PgStore::set_quota(const std::string& tenant, const room::TenantQuota& quota) {
  room::validate(quota);
  if (detail::impossible_key(tenant)) return errc::not_found;
  return impl_->run(Impl::Retry::idempotent, [&]() -> Result<void> {
    detail::PgTransaction tx(impl_->conn);
    const auto changed = impl_->conn.query("UPDATE tenants SET max_participants = $1, max_rooms = $2 WHERE name = $3")
                             .bind(quota.max_participants)
                             .bind(quota.max_rooms)
                             .bind(tenant)
                             .run()
                             .affected();
    if (changed == 0) return errc::not_found;
    tx.commit();
    return {};
  });
}

Result<TenantRecord> PgStore::tenant(const std::string& name) {
  if (detail::impossible_key(name)) return errc::not_found;
  return impl_->run(Impl::Retry::read, [&]() -> Result<TenantRecord> {
    const auto rows =
        impl_->conn.query("SELECT name, max_participants, max_rooms FROM tenants WHERE name = $1").bind(name).run();
    if (rows.empty()) return errc::not_found;
    return TenantRecord{rows.text(0, 0), {static_cast<int>(rows.int64(0, 1)), static_cast<int>(rows.int64(0, 2))}};
  });
}

Result<std::vector<TenantRecord>> PgStore::tenants() {
  return impl_->run(Impl::Retry::read, [&]() -> Result<std::vector<TenantRecord>> {
    const auto rows = impl_->conn.query("SELECT name, max_participants, max_rooms FROM tenants ORDER BY name").run();
    std::vector<TenantRecord> out;
    for (int i = 0; i < rows.size(); ++i)
      out.push_back({rows.text(i, 0), {static_cast<int>(rows.int64(i, 1)), static_cast<int>(rows.int64(i, 2))}});
    return out;
  });
}

}  // namespace libconf::store
