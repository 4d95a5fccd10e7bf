// libconf room model: the Conference (tenants, rooms, PIN admission, moderation,
// side rooms, operator queue) and the PIN helpers. Pure logic, no audio.
#include <boost/json/value.hpp>

#include "libconf/room/conference.hpp"
#include "libconf/room/event_json.hpp"
#include "libconf/room/pin.hpp"
#include "libconf/room/role.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::room;

// One dict per event, from the library's one serialiser (room::to_json):
// "event" (its name), "at_ms", and the struct's fields, enums by name.
py::object event_dict(const Event& e) { return to_python(boost::json::value(to_json(e))); }

ConferenceOptions options(bool fast_pin_hash) {
  ConferenceOptions o;
  if (fast_pin_hash) o.pin_hash = PinHashParams::minimum();
  return o;
}

}  // namespace

void init_room(py::module_& m) {
  m.attr("CONSOLE") = kConsole;
  m.attr("MIN_PIN_DIGITS") = kMinPinDigits;
  m.attr("MAX_PIN_DIGITS") = kMaxPinDigits;

  py::enum_<Role>(m, "Role", "Who a caller is in a conference.")
      .value("superuser", Role::superuser)
      .value("moderator", Role::moderator)
      .value("participant", Role::participant)
      .value("listener", Role::listener);
  py::enum_<PinKind>(m, "PinKind")
      .value("participant", PinKind::participant)
      .value("moderator", PinKind::moderator)
      .value("listener", PinKind::listener);
  py::enum_<FullPolicy>(m, "FullPolicy", "What happens to a caller who arrives at a full room.")
      .value("route_to_operator", FullPolicy::route_to_operator)
      .value("overflow", FullPolicy::overflow);
  py::enum_<ExitReason>(m, "ExitReason")
      .value("hangup", ExitReason::hangup)
      .value("kicked", ExitReason::kicked)
      .value("room_ended", ExitReason::room_ended)
      .value("transferred", ExitReason::transferred)
      .value("error", ExitReason::error);
  py::enum_<AdmitOutcome>(m, "AdmitOutcome", "What Conference.admit() decided.")
      .value("joined", AdmitOutcome::joined)
      .value("wait_for_moderator", AdmitOutcome::wait_for_moderator)
      .value("overflow", AdmitOutcome::overflow)
      .value("wrong_pin", AdmitOutcome::wrong_pin)
      .value("locked_out", AdmitOutcome::locked_out)
      .value("route_to_operator", AdmitOutcome::route_to_operator)
      .value("denied", AdmitOutcome::denied);

  m.def("is_well_formed_pin", &is_well_formed_pin, py::arg("pin"), "True for 4..16 ASCII digits.");
  m.def("hash_pin", [](const std::string& pin, bool fast) {
        return hash_pin(pin, fast ? PinHashParams::minimum() : PinHashParams::interactive());
      },
      py::arg("pin"), py::arg("fast") = false,
      "Argon2id hash text of a PIN ('$argon2id$...'). fast=True uses libsodium's minimum cost\n"
      "(tests only). Raises InvalidArgument naming the rule a malformed PIN breaks.");
  m.def("verify_pin", &verify_pin, py::arg("hash"), py::arg("pin"), "Constant-time check of pin against hash_pin()'s text.");
  m.def("generate_pin", &generate_pin, py::arg("digits"), "A uniformly random PIN of 4..16 digits.");

  py::class_<TenantQuota>(m, "TenantQuota", "What a tenant's contract allows at any moment.")
      .def(py::init([](int max_participants, int max_rooms) {
             TenantQuota q;
             q.max_participants = max_participants;
             q.max_rooms = max_rooms;
             return q;
           }),
           py::arg("max_participants") = 100, py::arg("max_rooms") = 10)
      .def_readwrite("max_participants", &TenantQuota::max_participants, "Concurrent participants over all rooms.")
      .def_readwrite("max_rooms", &TenantQuota::max_rooms, "Rooms, incl. overflow rooms (not side rooms).");

  py::class_<RoomConfig>(m, "RoomConfig", "A room's configuration (PINs are set with Conference.set_pin).")
      .def(py::init([](const std::string& name, const std::string& topic, int max_members, FullPolicy when_full,
                       bool wait_for_moderator, bool end_with_last_moderator, std::int64_t end_grace_ms,
                       std::vector<std::string> allow, std::vector<std::string> deny) {
             RoomConfig c;
             c.name = name;
             c.topic = topic;
             c.max_members = max_members;
             c.when_full = when_full;
             c.wait_for_moderator = wait_for_moderator;
             c.end_with_last_moderator = end_with_last_moderator;
             c.end_grace_ms = end_grace_ms;
             c.acl.allow = std::move(allow);
             c.acl.deny = std::move(deny);
             return c;
           }),
           py::arg("name"), py::arg("topic") = "", py::arg("max_members") = 50,
           py::arg("when_full") = FullPolicy::route_to_operator, py::arg("wait_for_moderator") = false,
           py::arg("end_with_last_moderator") = false, py::arg("end_grace_ms") = 0,
           py::arg("acl_allow") = std::vector<std::string>{}, py::arg("acl_deny") = std::vector<std::string>{},
           "acl_allow/acl_deny: caller-ID glob patterns; end_grace_ms in ms.")
      .def_readwrite("name", &RoomConfig::name, "unique within the tenant, see validate_name")
      .def_readwrite("topic", &RoomConfig::topic, "free text, shown to operators; copied to overflow rooms")
      .def_readwrite("max_members", &RoomConfig::max_members, "seats incl. side-room members of this room, 1..kMaxRoomMembers")
      .def_readwrite("when_full", &RoomConfig::when_full, "What happens to a caller when the room is full (WhenFull).")
      .def_readwrite("wait_for_moderator", &RoomConfig::wait_for_moderator, "non-moderators wait (music on hold) until a moderator is in")
      .def_readwrite("end_with_last_moderator", &RoomConfig::end_with_last_moderator, "end the room when the last moderator leaves...")
      .def_readwrite("end_grace_ms", &RoomConfig::end_grace_ms, "...after this grace time, unless one returns");

  py::class_<Actor>(m, "Actor",
                    "Who performs an operation: tenant, role, own participant id (CONSOLE = 0), and for a console\n"
                    "actor below superuser the main room of its authority (a superuser acts tenant-wide; anyone\n"
                    "else on its room, that room's side rooms and overflow rooms).")
      .def(py::init([](const std::string& tenant, Role role, ParticipantId id, const std::string& room) {
             return Actor{tenant, role, id, room};
           }),
           py::arg("tenant"), py::arg("role") = Role::superuser, py::arg("id") = kConsole, py::arg("room") = "")
      .def_readwrite("tenant", &Actor::tenant, "Tenant the actor belongs to.")
      .def_readwrite("role", &Actor::role, "The actor's role (Role); decides what it may do.")
      .def_readwrite("id", &Actor::id, "the actor's own participant, or kConsole")
      .def_readwrite("room", &Actor::room, "A console actor's room of authority ('' for tenant-wide).");

  py::class_<Participant>(m, "Participant", "A participant snapshot (times in ms on the caller's clock).")
      .def_readonly("id", &Participant::id, "Participant id, unique in the room model.")
      .def_readonly("tenant", &Participant::tenant, "Tenant of the participant's room.")
      .def_readonly("caller_id", &Participant::caller_id, "Caller id as received (e.g. an E.164 number).")
      .def_readonly("name", &Participant::name, "Display name (chosen by the caller or set by a moderator).")
      .def_readonly("role", &Participant::role, "Role in the room (Role).")
      .def_readonly("room", &Participant::room, "where the participant is now (a side room is a room too)")
      .def_readonly("home_room", &Participant::home_room, "the main room whose seat it holds")
      .def_readonly("muted", &Participant::muted, "True while muted (heard by no one).")
      .def_readonly("deaf", &Participant::deaf, "True while deaf (hears nothing).")
      .def_readonly("waiting", &Participant::waiting, "on hold until a moderator joins")
      .def_readonly("joined_at_ms", &Participant::joined_at_ms, "When the participant joined, ms on the model's clock.")
      .def_readonly("room_since_ms", &Participant::room_since_ms, "entered `room`");

  py::class_<RoomView>(m, "RoomView", "A room snapshot for listings.")
      .def_readonly("tenant", &RoomView::tenant, "Tenant of the room.")
      .def_readonly("name", &RoomView::name, "Room name (its number).")
      .def_readonly("topic", &RoomView::topic, "Topic shown to operators.")
      .def_readonly("parent", &RoomView::parent, "Main room of a side room; '' for a main room.")
      .def_readonly("overflow_of", &RoomView::overflow_of, "the room this overflow room relieves; empty otherwise")
      .def_readonly("locked", &RoomView::locked, "True while locked (nobody new may join).")
      .def_readonly("max_members", &RoomView::max_members, "Most participants the room admits.")
      .def_readonly("seats_taken", &RoomView::seats_taken, "present + own members away in side rooms")
      .def_readonly("members", &RoomView::members, "present, in order of arrival")
      .def_readonly("moderator_present", &RoomView::moderator_present, "True while a moderator is in the room.")
      .def_readonly("ends_at_ms", &RoomView::ends_at_ms, "set while the end-with-last-moderator grace runs");

  py::class_<AdmitDecision>(m, "AdmitDecision", "Outcome of Conference.admit().")
      .def_readonly("outcome", &AdmitDecision::outcome, "What admission decided (AdmitOutcome).")
      .def_readonly("participant", &AdmitDecision::participant, "set for joined, wait_for_moderator, overflow")
      .def_readonly("role", &AdmitDecision::role, "The role the caller joins with when admitted.")
      .def_readonly("room", &AdmitDecision::room, "the room joined (the overflow room for overflow)")
      .def_readonly("retry_at_ms", &AdmitDecision::retry_at_ms, "locked_out: when PIN entry opens again")
      .def_readonly("reason", &AdmitDecision::reason, "Errc: why a caller was routed to the operator.")
      .def_readonly("queue_ticket", &AdmitDecision::queue_ticket, "route_to_operator");

  py::class_<QueueEntry>(m, "QueueEntry", "A caller waiting for the operator.")
      .def_readonly("ticket", &QueueEntry::ticket, "Position ticket in the operator queue (increasing).")
      .def_readonly("tenant", &QueueEntry::tenant, "Tenant of the waiting caller.")
      .def_readonly("room", &QueueEntry::room, "the room the caller asked for")
      .def_readonly("caller_id", &QueueEntry::caller_id, "Caller id of the waiting caller.")
      .def_readonly("reason", &QueueEntry::reason, "Why the caller waits (e.g. wrong PIN, room full).")
      .def_readonly("enqueued_at_ms", &QueueEntry::enqueued_at_ms, "When the caller entered the queue, ms.")
      .def_readonly("waited_ms", &QueueEntry::waited_ms, "filled when taken");

  // Every mutating call takes now_ms last (a monotonic ms clock of the caller's choosing).
  py::class_<Conference>(m, "Conference",
                         "The conference domain model: tenants, rooms, PIN admission with lock-out, roles,\n"
                         "moderation, side rooms and the operator queue. Pure logic (no audio); times are\n"
                         "now_ms on any monotonic ms clock. Refusals raise PermissionDenied, RoomFull,\n"
                         "QuotaExceeded, NotFound, InvalidState, AlreadyExists. Not thread-safe.")
      .def(py::init([](bool fast) { return std::make_unique<Conference>(options(fast)); }), py::arg("fast_pin_hash") = false,
           "fast_pin_hash=True hashes PINs at libsodium's minimum cost (tests only).")
      .def(
          "create_tenant",
          [](Conference& c, const std::string& t, const TenantQuota& q, std::int64_t now) {
            check(c.create_tenant(t, q, now), "Conference.create_tenant");
          },
          py::arg("tenant"), py::arg("quota") = TenantQuota{}, py::arg("now_ms") = 0)
      .def(
          "create_room",
          [](Conference& c, const Actor& a, const RoomConfig& rc, std::int64_t now) {
            check(c.create_room(a, rc, now), "Conference.create_room");
          },
          py::arg("actor"), py::arg("config"), py::arg("now_ms") = 0)
      .def(
          "remove_room",
          [](Conference& c, const Actor& a, const std::string& r, std::int64_t now) {
            check(c.remove_room(a, r, now), "Conference.remove_room");
          },
          py::arg("actor"), py::arg("room"), py::arg("now_ms") = 0)
      .def(
          "set_pin",
          [](Conference& c, const Actor& a, const std::string& r, PinKind k, const std::string& pin, std::int64_t now) {
            Result<void> res;
            {
              py::gil_scoped_release nogil;  // Argon2id: ~0.1 s at production cost
              res = c.set_pin(a, r, k, pin, now);
            }
            check(res, "Conference.set_pin");
          },
          py::arg("actor"), py::arg("room"), py::arg("kind"), py::arg("pin"), py::arg("now_ms") = 0,
          "Hashes and sets a PIN ('' clears it). Raises InvalidArgument for a malformed PIN.")
      .def(
          "admit",
          [](Conference& c, const std::string& tenant, const std::string& room, const std::string& caller_id,
             const std::string& pin, const std::string& name, std::int64_t now) {
            AdmitRequest req{tenant, room, caller_id, pin, name};
            Result<AdmitDecision> res = errc::invalid_state;
            {
              py::gil_scoped_release nogil;
              res = c.admit(req, now);
            }
            return unwrap(std::move(res), "Conference.admit");
          },
          py::arg("tenant"), py::arg("room"), py::arg("caller_id"), py::arg("pin") = "", py::arg("name") = "",
          py::arg("now_ms") = 0,
          "Decides what happens to a caller who asked for a room with a PIN; returns an AdmitDecision.\n"
          "Raises NotFound for an unknown tenant or room.")
      .def(
          "admit_direct",
          [](Conference& c, const Actor& a, const std::string& room, const std::string& caller_id, Role role,
             std::int64_t now) { return unwrap(c.admit_direct(a, room, caller_id, role, now), "Conference.admit_direct"); },
          py::arg("actor"), py::arg("room"), py::arg("caller_id"), py::arg("role") = Role::participant,
          py::arg("now_ms") = 0, "Places an invited callee or a caller from the queue without PIN; returns its id.")
      .def(
          "leave",
          [](Conference& c, ParticipantId id, ExitReason r, std::int64_t now) { check(c.leave(id, r, now), "Conference.leave"); },
          py::arg("id"), py::arg("reason") = ExitReason::hangup, py::arg("now_ms") = 0)
      .def(
          "set_muted",
          [](Conference& c, const Actor& a, ParticipantId t, bool v, std::int64_t now) {
            check(c.set_muted(a, t, v, now), "Conference.set_muted");
          },
          py::arg("actor"), py::arg("target"), py::arg("muted"), py::arg("now_ms") = 0)
      .def(
          "mute_all",
          [](Conference& c, const Actor& a, const std::string& r, std::int64_t now) {
            check(c.mute_all(a, r, now), "Conference.mute_all");
          },
          py::arg("actor"), py::arg("room"), py::arg("now_ms") = 0)
      .def(
          "set_deaf",
          [](Conference& c, const Actor& a, ParticipantId t, bool v, std::int64_t now) {
            check(c.set_deaf(a, t, v, now), "Conference.set_deaf");
          },
          py::arg("actor"), py::arg("target"), py::arg("deaf"), py::arg("now_ms") = 0)
      .def(
          "kick",
          [](Conference& c, const Actor& a, ParticipantId t, const std::string& reason, std::int64_t now) {
            check(c.kick(a, t, reason, now), "Conference.kick");
          },
          py::arg("actor"), py::arg("target"), py::arg("reason") = "", py::arg("now_ms") = 0)
      .def(
          "move",
          [](Conference& c, const Actor& a, ParticipantId t, const std::string& r, std::int64_t now) {
            check(c.move(a, t, r, now), "Conference.move");
          },
          py::arg("actor"), py::arg("target"), py::arg("room"), py::arg("now_ms") = 0)
      .def(
          "create_side_room",
          [](Conference& c, const Actor& a, const std::string& main, const std::vector<ParticipantId>& members,
             std::int64_t now) { return unwrap(c.create_side_room(a, main, members, now), "Conference.create_side_room"); },
          py::arg("actor"), py::arg("main_room"), py::arg("members"), py::arg("now_ms") = 0,
          "Opens a séparée '<main_room>/side-N' and moves members into it; returns its name.")
      .def(
          "bring_back",
          [](Conference& c, const Actor& a, const std::string& side, std::int64_t now) {
            check(c.bring_back(a, side, now), "Conference.bring_back");
          },
          py::arg("actor"), py::arg("side_room"), py::arg("now_ms") = 0)
      .def(
          "check_listen_in",
          [](Conference& c, const Actor& a, const std::string& r, std::int64_t now) {
            check(c.check_listen_in(a, r, now), "Conference.check_listen_in");
          },
          py::arg("actor"), py::arg("room"), py::arg("now_ms") = 0, "Raises PermissionDenied unless the actor may listen in.")
      .def(
          "check_whisper",
          [](Conference& c, const Actor& a, ParticipantId t, std::int64_t now) {
            check(c.check_whisper(a, t, now), "Conference.check_whisper");
          },
          py::arg("actor"), py::arg("target"), py::arg("now_ms") = 0)
      .def(
          "set_locked",
          [](Conference& c, const Actor& a, const std::string& r, bool v, std::int64_t now) {
            check(c.set_locked(a, r, v, now), "Conference.set_locked");
          },
          py::arg("actor"), py::arg("room"), py::arg("locked"), py::arg("now_ms") = 0)
      .def(
          "set_max_members",
          [](Conference& c, const Actor& a, const std::string& r, int n, std::int64_t now) {
            check(c.set_max_members(a, r, n, now), "Conference.set_max_members");
          },
          py::arg("actor"), py::arg("room"), py::arg("max_members"), py::arg("now_ms") = 0)
      .def(
          "set_name",
          [](Conference& c, const Actor& a, ParticipantId t, const std::string& n, std::int64_t now) {
            check(c.set_name(a, t, n, now), "Conference.set_name");
          },
          py::arg("actor"), py::arg("target"), py::arg("name"), py::arg("now_ms") = 0)
      .def(
          "end_room",
          [](Conference& c, const Actor& a, const std::string& r, std::int64_t now) {
            check(c.end_room(a, r, now), "Conference.end_room");
          },
          py::arg("actor"), py::arg("room"), py::arg("now_ms") = 0)
      .def(
          "take_from_queue",
          [](Conference& c, const Actor& a, std::int64_t now) { return unwrap(c.take_from_queue(a, now), "Conference.take_from_queue"); },
          py::arg("actor"), py::arg("now_ms") = 0, "The longest-waiting caller of the tenant. Raises NotFound when empty.")
      .def("queue", &Conference::queue, py::arg("tenant"))
      .def("tick", &Conference::tick, py::arg("now_ms"), "Advances timers (end-with-last-moderator grace).")
      .def(
          "participant", [](const Conference& c, ParticipantId id) { return unwrap(c.participant(id), "Conference.participant"); },
          py::arg("id"))
      .def(
          "actor_of", [](const Conference& c, ParticipantId id) { return unwrap(c.actor_of(id), "Conference.actor_of"); },
          py::arg("id"), "The Actor for a participant acting from its phone.")
      .def(
          "room",
          [](const Conference& c, const std::string& t, const std::string& r) { return unwrap(c.room(t, r), "Conference.room"); },
          py::arg("tenant"), py::arg("name"))
      .def("rooms", &Conference::rooms, py::arg("tenant"))
      .def("roster", &Conference::roster, py::arg("tenant"), py::arg("room"))
      .def("participant_count", &Conference::participant_count, py::arg("tenant"))
      .def(
          "drain_events",
          [](Conference& c) {
            py::list out;
            for (const auto& e : c.drain_events()) out.append(event_dict(e));
            return out;
          },
          "Events since the last call, oldest first, as dicts: 'event' (name), 'at_ms' and the event's fields.");
}

}  // namespace libconf::python
