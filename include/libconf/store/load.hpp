#pragma once
/// @file
/// Start-up: the store's tenants and rooms (with their PIN hashes, policies
/// and the lock moderators left) into a room::Conference, so that a host that
/// restarts continues where it stopped. Blocking: call it before the service
/// takes calls, never from the control thread at run time.

#include <cstdint>

#include "libconf/error.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/store/store.hpp"

namespace libconf::store {

/// Creates each stored tenant (or sets its quota when the Conference has it)
/// and each of its rooms (a room the Conference has already is left as it
/// is). Errors: the store's (store_error, ...), or the Conference's refusal
/// (quota_exceeded when the stored rooms exceed the tenant's quota). Throws
/// libconf::Error for a stored room the Conference finds invalid.
Result<void> load_conference(Store& store, room::Conference& conference, std::int64_t now_ms);

}  // namespace libconf::store
