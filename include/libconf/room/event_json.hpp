#pragma once
/// @file
/// room::Event as a Boost.JSON object: {"event": event_name(e), "at_ms", and
/// the struct's fields by name}; enums by their snake_case names, errc by its
/// name. The one serialiser of room events (the service's and the Python
/// bindings' use it). Thread-safe.

#include <boost/json/object.hpp>

#include "libconf/room/events.hpp"

namespace libconf::room {

boost::json::object to_json(const Event& e);

}  // namespace libconf::room
