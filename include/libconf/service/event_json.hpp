#pragma once
/// @file
/// ServiceEvent as a Boost.JSON object, for hosts that embed events in their
/// own JSON (the control API's event stream). The same serialiser as
/// service::to_json(); thread-safe.

#include <boost/json/object.hpp>

#include "libconf/service/service_event.hpp"

namespace libconf::service {

/// {"at_ms", "event", "call" (when set), "tenant" (when set), fields...}.
boost::json::object to_json_object(const ServiceEvent& e);

}  // namespace libconf::service
