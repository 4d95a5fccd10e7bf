#pragma once
/// @file
/// Boost.JSON conversions of the room layer's enums (and errc): each becomes
/// its snake_case name, as to_string() gives it. Found by argument-dependent
/// lookup, so boost::json::value_from() of any struct holding them works.

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include "libconf/error.hpp"
#include "libconf/room/billing.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/room/events.hpp"
#include "libconf/room/permissions.hpp"
#include "libconf/room/role.hpp"

namespace libconf {
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, errc e) { v = to_string(e); }
}  // namespace libconf

namespace libconf::room {
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, Role r) { v = to_string(r); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, Action a) { v = to_string(a); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, ExitReason r) { v = to_string(r); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, BillingMode m) { v = to_string(m); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, AdmitOutcome o) { v = to_string(o); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, PinKind k) { v = to_string(k); }
}  // namespace libconf::room
