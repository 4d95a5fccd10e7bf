#pragma once
/// @file
/// The dialed number (DID) chooses the way in: a DTMF menu, straight into one
/// room (optionally behind a PIN-only menu), or the operator queue; each number
/// carries the billing mode of its booking (premium "every caller pays" or
/// toll-free "the initiator pays").
///
/// Routes are exact numbers or prefixes; an exact number beats any prefix, a
/// longer prefix beats a shorter one. A prefix route may take the room from
/// the digits after the prefix ("*100" + "4711" -> room 4711).
///
/// Thread-safety: configure (add_*, parse) on one thread; route() is const,
/// allocation-free and safe from any number of threads afterwards.
/// Errors: configuration throws libconf::Error naming source, field and value;
/// route() returns not_found for a number no route covers.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/billing.hpp"

namespace libconf::ivr {

enum class DidTarget {
  menu,            ///< run the DTMF menu named by menu
  room,            ///< straight into room; run menu (e.g. a PIN-only menu) first when set
  operator_queue,  ///< hand the caller to the operator
};
/// "menu", "room", "operator" (the JSON and store spelling).
std::string_view to_string(DidTarget target) noexcept;
/// The inverse of to_string; nullopt for any other text.
std::optional<DidTarget> did_target_from_string(std::string_view text) noexcept;

struct DidRoute {
  DidTarget target = DidTarget::menu;
  std::string menu;               ///< menu name (target menu; optional for target room)
  std::string room;               ///< target room: the room, unless room_from_suffix
  bool room_from_suffix = false;  ///< prefix routes: the rest of the number is the room
  room::BillingMode billing = room::BillingMode::caller_pays;
  /// The tenant the number belongs to (room::validate_name); empty: the
  /// host's default tenant (ServiceConfig::default_tenant).
  std::string tenant = {};
};

/// The answer for one dialed number. Views the router and the dialed string.
struct DidMatch {
  const DidRoute* route = nullptr;
  std::string_view pattern;  ///< the number or prefix that matched
  bool exact = false;
  std::string_view room;     ///< the room to use (route->room or the suffix); empty for none
};

/// Numbers and prefixes: 1-32 characters of 0-9, '*', '#', with an optional leading '+'.
inline constexpr std::size_t kMaxDidLength = 32;
inline constexpr std::size_t kMaxDidRoutes = 100'000;

class DidRouter {
 public:
  /// Throws Error: invalid_argument for a malformed number or an inconsistent
  /// route, already_exists when the same number or prefix is added twice.
  void add_exact(std::string_view number, DidRoute route);
  void add_prefix(std::string_view prefix, DidRoute route);

  /// Which way in the dialed number takes. not_found when no route covers it,
  /// or when a room_from_suffix route leaves no room digits (or more than 32).
  Result<DidMatch> route(std::string_view dialed) const noexcept;

  std::size_t size() const noexcept { return exact_.size() + prefix_.size(); }

  /// Reads the routes JSON of docs/ivr.md. Throws libconf::Error.
  static DidRouter parse(std::string_view json_text, std::string_view source_name);
  static DidRouter load_file(const std::filesystem::path& path);

 private:
  struct Entry {
    std::string pattern;
    DidRoute route;
  };
  std::vector<Entry> exact_;   ///< sorted by pattern
  std::vector<Entry> prefix_;  ///< sorted by pattern length, longest first
};

}  // namespace libconf::ivr
