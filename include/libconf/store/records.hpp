#pragma once
/// @file
/// The rows a Store keeps: tenants with quotas, rooms, moderators, groups, DIDs,
/// bookings, CDR. Plain values. Names follow libconf::room::validate_name.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/ivr/did_router.hpp"
#include "libconf/room/cdr.hpp"
#include "libconf/room/room_config.hpp"

namespace libconf::store {

struct TenantRecord {
  std::string name;
  room::TenantQuota quota;
};

struct RoomRecord {
  std::string tenant;
  room::RoomConfig config;  ///< PINs only as hashes (room::hash_pin)
  bool locked = false;      ///< a moderator locked it (kept across restarts)
};

/// The name a moderator gave a caller: the room lists and announces the caller
/// by it the next time that number calls. Names follow room::validate_text.
struct CallerNameRecord {
  std::string tenant;
  std::string caller_id;
  std::string name;
};

struct ModeratorRecord {
  std::string tenant;
  std::string name;
  std::string caller_id;  ///< the number the moderator usually calls from ("" if none)
  std::string pin_hash;   ///< room::hash_pin of the moderator's login PIN
};

/// A group for auto-assembly: dialling its service code calls every member.
struct GroupRecord {
  std::string tenant;
  std::string name;
  std::vector<std::string> members;  ///< numbers or SIP URIs, in dialling order (at most 1000)
};

/// What a dialled number leads to (the DID router's targets).
using ivr::DidTarget;

struct DidRecord {
  std::string number;  ///< E.164 digits with optional leading '+', 2..32 characters
  std::string tenant;
  DidTarget target = DidTarget::menu;
  std::string room;    ///< for DidTarget::room
  room::BillingMode billing = room::BillingMode::caller_pays;
};

/// A request to book a conference.
struct BookingRequest {
  std::string tenant;
  std::string topic;
  std::int64_t start_ms = 0;     ///< Unix time, ms
  std::int64_t duration_ms = 0;  ///< 1 minute .. 24 hours
  int participants = 0;          ///< seats reserved, 1..10000
  room::BillingMode billing = room::BillingMode::caller_pays;
};

/// What a booking confirmation tells the booker. The PINs appear only here, in
/// clear, once; the store keeps their hashes in the booked room.
struct BookingConfirmation {
  std::int64_t id = 0;
  std::string room;          ///< "booking-<id>"
  std::string dial_in;       ///< the tenant's menu DID with the asked billing mode
  std::string participant_pin;
  std::string moderator_pin;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  int participants = 0;
};

struct BookingRecord {
  std::int64_t id = 0;
  std::string tenant;
  std::string room;
  std::string topic;
  std::string dial_in;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  int participants = 0;
  room::BillingMode billing = room::BillingMode::caller_pays;
};

}  // namespace libconf::store
