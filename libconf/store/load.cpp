#include "libconf/store/load.hpp"

namespace libconf::store {

Result<void> load_conference(Store& store, room::Conference& conference, std::int64_t now_ms) {
  auto tenants = store.tenants();
  if (!tenants) return tenants.error();
  for (const TenantRecord& t : *tenants) {
    if (conference.has_tenant(t.name)) {
      if (auto r = conference.set_quota(t.name, t.quota, now_ms); !r) return r;
    } else if (auto r = conference.create_tenant(t.name, t.quota, now_ms); !r) {
      return r;
    }
    auto rooms = store.rooms(t.name);
    if (!rooms) return rooms.error();
    const room::Actor system{t.name, room::Role::superuser, room::kConsole};
    for (const RoomRecord& r : *rooms) {
      if (conference.room(t.name, r.config.name)) continue;
      if (auto ok = conference.create_room(system, r.config, now_ms); !ok) return ok;
      if (r.locked)
        if (auto ok = conference.set_locked(system, r.config.name, true, now_ms); !ok) return ok;
    }
  }
  return {};
}

}  // namespace libconf::store
