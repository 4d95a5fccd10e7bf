#pragma once
/// @file
/// Who pays for a dial-in: the billing mode a dialled number (DID) carries into
/// the call's CDR. Plain values, thread-safe.

#include <optional>
#include <string_view>

namespace libconf::room {

/// Who pays the call: every caller (premium number), or the booking's initiator
/// (toll-free number for the others).
enum class BillingMode { caller_pays, initiator_pays };
/// "caller_pays", "initiator_pays".
std::string_view to_string(BillingMode mode) noexcept;
/// The inverse of to_string; nullopt for any other text.
std::optional<BillingMode> billing_mode_from_string(std::string_view text) noexcept;

}  // namespace libconf::room
