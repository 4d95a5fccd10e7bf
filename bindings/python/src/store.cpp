// libconf store: SqliteStore (tenants, rooms, moderators, groups, DIDs, bookings).
#include "libconf/room/cdr.hpp"
#include "libconf/store/records.hpp"
#include "libconf/store/sqlite_store.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::store;
}  // namespace

void init_store(py::module_& m) {
  py::enum_<room::BillingMode>(m, "BillingMode", "Who pays for a dial-in: every caller, or the initiator.")
      .value("caller_pays", room::BillingMode::caller_pays)
      .value("initiator_pays", room::BillingMode::initiator_pays);
  py::enum_<DidTarget>(m, "DidTarget", "Where a dialled number leads.")
      .value("room", DidTarget::room)
      .value("menu", DidTarget::menu)
      .value("operator_queue", DidTarget::operator_queue);

  py::class_<TenantRecord>(m, "TenantRecord", "A stored tenant: its name and the quota its contract allows.")
      .def(py::init([](const std::string& name, const room::TenantQuota& q) { return TenantRecord{name, q}; }),
           py::arg("name"), py::arg("quota") = room::TenantQuota{})
      .def_readwrite("name", &TenantRecord::name, "Tenant name (unique).")
      .def_readwrite("quota", &TenantRecord::quota, "What the tenant's contract allows (TenantQuota).");
  py::class_<RoomRecord>(m, "RoomRecord", "A stored room: tenant + RoomConfig (PINs only as hashes) + its lock.")
      .def(py::init([](const std::string& tenant, const room::RoomConfig& c, bool locked) {
             return RoomRecord{tenant, c, locked};
           }),
           py::arg("tenant"), py::arg("config"), py::arg("locked") = false)
      .def_readwrite("tenant", &RoomRecord::tenant, "Tenant the room belongs to.")
      .def_readwrite("config", &RoomRecord::config, "PINs only as hashes (room::hash_pin)")
      .def_readwrite("locked", &RoomRecord::locked, "A moderator locked it (kept across restarts).");
  py::class_<CallerNameRecord>(m, "CallerNameRecord", "The name a moderator gave a caller's number.")
      .def(py::init([](const std::string& t, const std::string& c, const std::string& n) {
             return CallerNameRecord{t, c, n};
           }),
           py::arg("tenant"), py::arg("caller_id"), py::arg("name"))
      .def_readwrite("tenant", &CallerNameRecord::tenant, "Tenant of the caller.")
      .def_readwrite("caller_id", &CallerNameRecord::caller_id, "The caller's number as received.")
      .def_readwrite("name", &CallerNameRecord::name, "The name rooms list and announce it by.");
  py::class_<ModeratorRecord>(m, "ModeratorRecord", "A stored moderator login: tenant, name, caller id and the hash of its PIN (never the PIN).")
      .def(py::init([](const std::string& t, const std::string& n, const std::string& cid, const std::string& h) {
             return ModeratorRecord{t, n, cid, h};
           }),
           py::arg("tenant"), py::arg("name"), py::arg("caller_id") = "", py::arg("pin_hash") = "")
      .def_readwrite("tenant", &ModeratorRecord::tenant, "Tenant the moderator belongs to.")
      .def_readwrite("name", &ModeratorRecord::name, "Moderator's login name (unique within the tenant).")
      .def_readwrite("caller_id", &ModeratorRecord::caller_id, "the number the moderator usually calls from (\"\" if none)")
      .def_readwrite("pin_hash", &ModeratorRecord::pin_hash, "room::hash_pin of the moderator's login PIN");
  py::class_<GroupRecord>(m, "GroupRecord", "A dial-out group: members in dialling order.")
      .def(py::init([](const std::string& t, const std::string& n, std::vector<std::string> members) {
             return GroupRecord{t, n, std::move(members)};
           }),
           py::arg("tenant"), py::arg("name"), py::arg("members"))
      .def_readwrite("tenant", &GroupRecord::tenant, "Tenant the group belongs to.")
      .def_readwrite("name", &GroupRecord::name, "Group name (the owner's caller id for *100 auto-assembly).")
      .def_readwrite("members", &GroupRecord::members, "numbers or SIP URIs, in dialling order (at most 1000)");
  py::class_<DidRecord>(m, "DidRecord", "A dialled number (E.164) mapped to a room, the menu or the operator.")
      .def(py::init([](const std::string& number, const std::string& tenant, DidTarget target, const std::string& room,
                       room::BillingMode billing) { return DidRecord{number, tenant, target, room, billing}; }),
           py::arg("number"), py::arg("tenant"), py::arg("target") = DidTarget::menu, py::arg("room") = "",
           py::arg("billing") = room::BillingMode::caller_pays)
      .def_readwrite("number", &DidRecord::number, "E.164 digits with optional leading '+', 2..32 characters")
      .def_readwrite("tenant", &DidRecord::tenant, "Tenant the number belongs to.")
      .def_readwrite("target", &DidRecord::target, "Where the number leads (DidTarget).")
      .def_readwrite("room", &DidRecord::room, "for DidTarget::room")
      .def_readwrite("billing", &DidRecord::billing, "Who pays for calls to this number (BillingMode).");
  py::class_<BookingConfirmation>(m, "BookingConfirmation", "A booked conference: room, dial-in number and PINs (times ms).")
      .def_readonly("id", &BookingConfirmation::id, "Booking id.")
      .def_readonly("room", &BookingConfirmation::room, "\"booking-<id>\"")
      .def_readonly("dial_in", &BookingConfirmation::dial_in, "the tenant's menu DID with the asked billing mode")
      .def_readonly("participant_pin", &BookingConfirmation::participant_pin, "Participant PIN, in clear (only in the confirmation; the store keeps a hash).")
      .def_readonly("moderator_pin", &BookingConfirmation::moderator_pin, "Moderator PIN, in clear (only in the confirmation).")
      .def_readonly("start_ms", &BookingConfirmation::start_ms, "Start of the booked conference, ms since the Unix epoch (UTC).")
      .def_readonly("duration_ms", &BookingConfirmation::duration_ms, "Booked duration, ms.")
      .def_readonly("participants", &BookingConfirmation::participants, "Number of participants reserved.");
  py::class_<BookingRecord>(m, "BookingRecord", "A stored booking: room, topic, dial-in number, start (UTC ms), duration, participants reserved and billing mode.")
      .def_readonly("id", &BookingRecord::id, "Booking id.")
      .def_readonly("tenant", &BookingRecord::tenant, "Tenant the booking belongs to.")
      .def_readonly("room", &BookingRecord::room, "Room reserved for the booking.")
      .def_readonly("topic", &BookingRecord::topic, "Topic of the conference.")
      .def_readonly("dial_in", &BookingRecord::dial_in, "The number callers dial (a DID).")
      .def_readonly("start_ms", &BookingRecord::start_ms, "Start, ms since the Unix epoch (UTC).")
      .def_readonly("duration_ms", &BookingRecord::duration_ms, "Duration, ms.")
      .def_readonly("participants", &BookingRecord::participants, "Number of participants reserved (counts against the tenant's capacity).")
      .def_readonly("billing", &BookingRecord::billing, "Who pays for dial-ins (BillingMode).");

  py::class_<SqliteStore>(m, "SqliteStore",
                          "The default Store: one SQLite database file (WAL). Every write is one transaction.\n"
                          "Raises NotFound, AlreadyExists, QuotaExceeded, StoreError; InvalidArgument for bad\n"
                          "input. One thread at a time per object.")
      .def(py::init([](const std::string& path, bool full_sync, int busy_timeout_ms, bool fast_pin_hash) {
             SqliteOptions o;
             o.full_sync = full_sync;
             o.busy_timeout_ms = busy_timeout_ms;
             if (fast_pin_hash) o.pin_hash = room::PinHashParams::minimum();
             return std::make_unique<SqliteStore>(path, o);
           }),
           py::arg("path"), py::arg("full_sync") = true, py::arg("busy_timeout_ms") = 5000,
           py::arg("fast_pin_hash") = false,
           "Opens or creates the database and migrates it. fast_pin_hash: minimum Argon2 cost (tests only).")
      .def("add_tenant", [](SqliteStore& s, const TenantRecord& t) { check(s.add_tenant(t), "SqliteStore.add_tenant"); },
           py::arg("tenant"))
      .def("set_quota", [](SqliteStore& s, const std::string& t, const room::TenantQuota& q) {
             check(s.set_quota(t, q), "SqliteStore.set_quota");
           }, py::arg("tenant"), py::arg("quota"))
      .def("tenant", [](SqliteStore& s, const std::string& n) { return unwrap(s.tenant(n), "SqliteStore.tenant"); },
           py::arg("name"))
      .def("tenants", [](SqliteStore& s) { return unwrap(s.tenants(), "SqliteStore.tenants"); })
      .def("add_room", [](SqliteStore& s, const RoomRecord& r) { check(s.add_room(r), "SqliteStore.add_room"); },
           py::arg("room"))
      .def("update_room", [](SqliteStore& s, const RoomRecord& r) { check(s.update_room(r), "SqliteStore.update_room"); },
           py::arg("room"))
      .def("room", [](SqliteStore& s, const std::string& t, const std::string& n) { return unwrap(s.room(t, n), "SqliteStore.room"); },
           py::arg("tenant"), py::arg("name"))
      .def("rooms", [](SqliteStore& s, const std::string& t) { return unwrap(s.rooms(t), "SqliteStore.rooms"); },
           py::arg("tenant"))
      .def("remove_room", [](SqliteStore& s, const std::string& t, const std::string& n) {
             check(s.remove_room(t, n), "SqliteStore.remove_room");
           }, py::arg("tenant"), py::arg("name"))
      .def("put_moderator", [](SqliteStore& s, const ModeratorRecord& r) { check(s.put_moderator(r), "SqliteStore.put_moderator"); },
           py::arg("moderator"))
      .def("moderator", [](SqliteStore& s, const std::string& t, const std::string& n) {
             return unwrap(s.moderator(t, n), "SqliteStore.moderator");
           }, py::arg("tenant"), py::arg("name"))
      .def("moderators", [](SqliteStore& s, const std::string& t) { return unwrap(s.moderators(t), "SqliteStore.moderators"); },
           py::arg("tenant"))
      .def("remove_moderator", [](SqliteStore& s, const std::string& t, const std::string& n) {
             check(s.remove_moderator(t, n), "SqliteStore.remove_moderator");
           }, py::arg("tenant"), py::arg("name"))
      .def("put_caller_name",
           [](SqliteStore& s, const CallerNameRecord& r) { check(s.put_caller_name(r), "SqliteStore.put_caller_name"); },
           py::arg("record"), "Inserts or replaces a caller's name; an empty name removes it.")
      .def("caller_name", [](SqliteStore& s, const std::string& t, const std::string& c) {
             return unwrap(s.caller_name(t, c), "SqliteStore.caller_name");
           }, py::arg("tenant"), py::arg("caller_id"), "Raises NotFound when the number has no stored name.")
      .def("put_group", [](SqliteStore& s, const GroupRecord& g) { check(s.put_group(g), "SqliteStore.put_group"); },
           py::arg("group"))
      .def("group", [](SqliteStore& s, const std::string& t, const std::string& n) { return unwrap(s.group(t, n), "SqliteStore.group"); },
           py::arg("tenant"), py::arg("name"))
      .def("groups", [](SqliteStore& s, const std::string& t) { return unwrap(s.groups(t), "SqliteStore.groups"); },
           py::arg("tenant"))
      .def("put_did", [](SqliteStore& s, const DidRecord& d) { check(s.put_did(d), "SqliteStore.put_did"); }, py::arg("did"))
      .def("did", [](SqliteStore& s, const std::string& n) { return unwrap(s.did(n), "SqliteStore.did"); }, py::arg("number"))
      .def("dids", [](SqliteStore& s, const std::string& t) { return unwrap(s.dids(t), "SqliteStore.dids"); }, py::arg("tenant"))
      .def(
          "book",
          [](SqliteStore& s, const std::string& tenant, const std::string& topic, std::int64_t start_ms,
             std::int64_t duration_ms, int participants, room::BillingMode billing) {
            BookingRequest r{tenant, topic, start_ms, duration_ms, participants, billing};
            Result<BookingConfirmation> res = errc::invalid_state;
            {
              py::gil_scoped_release nogil;  // hashes two PINs
              res = s.book(r);
            }
            return unwrap(std::move(res), "SqliteStore.book");
          },
          py::arg("tenant"), py::arg("topic"), py::arg("start_ms"), py::arg("duration_ms"), py::arg("participants"),
          py::arg("billing") = room::BillingMode::caller_pays,
          "Reserves capacity (Unix ms start, 1 min..24 h duration, seats), creates room 'booking-<id>' with\n"
          "generated PINs and returns the confirmation with the tenant's menu DID of that billing mode.\n"
          "Raises QuotaExceeded when the tenant has no free capacity, NotFound without such a DID.")
      .def("bookings", [](SqliteStore& s, const std::string& t) { return unwrap(s.bookings(t), "SqliteStore.bookings"); },
           py::arg("tenant"))
      .def("cancel_booking", [](SqliteStore& s, const std::string& t, std::int64_t id) {
             check(s.cancel_booking(t, id), "SqliteStore.cancel_booking");
           }, py::arg("tenant"), py::arg("id"), "Frees the reservation and removes the booked room.");
}

}  // namespace libconf::python
