#pragma once
/// @file
/// The host's answer to a LookupRoom, CheckPin or RecordName action.

#include "libconf/room/role.hpp"

namespace libconf::ivr {

struct HostReply {
  enum class Kind {
    room_found,    ///< answers LookupRoom
    room_unknown,  ///< answers LookupRoom or CheckPin
    pin_ok,        ///< answers CheckPin; role says with which role the caller joins
    pin_wrong,     ///< answers CheckPin
    locked_out,    ///< answers CheckPin: too many failures, no more tries
    recorded,      ///< answers RecordName: the host holds the recording
  };
  Kind kind = Kind::room_unknown;
  room::Role role = room::Role::participant;  ///< meaningful for pin_ok only

  static constexpr HostReply room_found() noexcept { return {Kind::room_found, room::Role::participant}; }
  static constexpr HostReply room_unknown() noexcept { return {Kind::room_unknown, room::Role::participant}; }
  static constexpr HostReply pin_ok(room::Role role) noexcept { return {Kind::pin_ok, role}; }
  static constexpr HostReply pin_wrong() noexcept { return {Kind::pin_wrong, room::Role::participant}; }
  static constexpr HostReply locked_out() noexcept { return {Kind::locked_out, room::Role::participant}; }
  static constexpr HostReply recorded() noexcept { return {Kind::recorded, room::Role::participant}; }
};

}  // namespace libconf::ivr
