// The one serialiser of room events: Boost.Describe lists each struct's
// fields once, Boost.JSON turns them into an object.
#include "libconf/room/event_json.hpp"

#include <boost/describe/class.hpp>
#include <boost/json/value_from.hpp>

#include "libconf/room/json_enums.hpp"

namespace libconf::room::event {

BOOST_DESCRIBE_STRUCT(TenantCreated, (), (at_ms, tenant))
BOOST_DESCRIBE_STRUCT(QuotaChanged, (), (at_ms, tenant, max_participants, max_rooms))
BOOST_DESCRIBE_STRUCT(RoomCreated, (), (at_ms, tenant, room, overflow_of))
BOOST_DESCRIBE_STRUCT(RoomRemoved, (), (at_ms, tenant, room))
BOOST_DESCRIBE_STRUCT(RoomConfigured, (), (at_ms, tenant, room, by))
BOOST_DESCRIBE_STRUCT(Joined, (), (at_ms, id, tenant, room, caller_id, role, waiting))
BOOST_DESCRIBE_STRUCT(Left, (), (at_ms, id, tenant, room, reason, detail))
BOOST_DESCRIBE_STRUCT(Released, (), (at_ms, id, tenant, room))
BOOST_DESCRIBE_STRUCT(PinRejected, (), (at_ms, tenant, room, caller_id, failures))
BOOST_DESCRIBE_STRUCT(LockedOut, (), (at_ms, tenant, room, caller_id, room_wide, until_ms))
BOOST_DESCRIBE_STRUCT(PinThrottled, (), (at_ms, tenant, room, caller_id, until_ms))
BOOST_DESCRIBE_STRUCT(AccessDenied, (), (at_ms, tenant, room, caller_id))
BOOST_DESCRIBE_STRUCT(RoutedToOperator, (), (at_ms, tenant, room, caller_id, reason, ticket))
BOOST_DESCRIBE_STRUCT(QueueLeft, (), (at_ms, tenant, ticket, waited_ms, answered))
BOOST_DESCRIBE_STRUCT(OverflowOpened, (), (at_ms, tenant, room, overflow_room))
BOOST_DESCRIBE_STRUCT(MuteChanged, (), (at_ms, id, muted, by))
BOOST_DESCRIBE_STRUCT(MutedAll, (), (at_ms, tenant, room, count, by))
BOOST_DESCRIBE_STRUCT(DeafChanged, (), (at_ms, id, deaf, by))
BOOST_DESCRIBE_STRUCT(Moved, (), (at_ms, id, tenant, from, to, by))
BOOST_DESCRIBE_STRUCT(SideRoomOpened, (), (at_ms, tenant, main_room, side_room, members, by))
BOOST_DESCRIBE_STRUCT(SideRoomClosed, (), (at_ms, tenant, side_room))
BOOST_DESCRIBE_STRUCT(LockChanged, (), (at_ms, tenant, room, locked, by))
BOOST_DESCRIBE_STRUCT(MaxMembersChanged, (), (at_ms, tenant, room, max_members, by))
BOOST_DESCRIBE_STRUCT(NameChanged, (), (at_ms, id, name, by))
BOOST_DESCRIBE_STRUCT(ListenInGranted, (), (at_ms, tenant, room, by))
BOOST_DESCRIBE_STRUCT(WhisperGranted, (), (at_ms, target, by))
BOOST_DESCRIBE_STRUCT(RoomEnding, (), (at_ms, tenant, room, ends_at_ms))
BOOST_DESCRIBE_STRUCT(RoomEnded, (), (at_ms, tenant, room))
BOOST_DESCRIBE_STRUCT(ActionDenied, (), (at_ms, tenant, action, role, by, room))

}  // namespace libconf::room::event

namespace libconf::room {

boost::json::object to_json(const Event& e) {
  boost::json::object o;
  o["event"] = event_name(e);
  std::visit(
      [&](const auto& ev) {
        boost::json::value fields = boost::json::value_from(ev);
        for (auto& field : fields.as_object()) o.emplace(field.key(), std::move(field.value()));
      },
      e);
  return o;
}

}  // namespace libconf::room
