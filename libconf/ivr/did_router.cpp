#include "libconf/ivr/did_router.hpp"

#include <algorithm>
#include <string>

#include "libconf/ivr/json_config.hpp"
#include "libconf/ivr/menu.hpp"
#include "libconf/room/room_config.hpp"

namespace libconf::ivr {
namespace {

bool valid_number(std::string_view n) {
  if (n.empty() || n.size() > kMaxDidLength) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c == '+' && i == 0);
    if (!ok) return false;
  }
  return n != "+";
}

void check_route(const DidRoute& r, std::string_view pattern, bool is_prefix) {
  const std::string where = "DID route '" + std::string(pattern) + "'";
  if (!r.tenant.empty() && !room::is_valid_name(r.tenant)) {
    throw Error(errc::invalid_argument, where + ": tenant is not a valid name (1-64 of A-Z a-z 0-9 _ . -)");
  }
  switch (r.target) {
    case DidTarget::menu:
      if (r.menu.empty()) throw Error(errc::invalid_argument, where + ": target menu needs a menu name");
      if (!r.room.empty() || r.room_from_suffix) {
        throw Error(errc::invalid_argument, where + ": target menu takes no room");
      }
      break;
    case DidTarget::room:
      if (r.room.empty() == !r.room_from_suffix) {
        throw Error(errc::invalid_argument, where + ": target room needs either a room or room_from_suffix");
      }
      if (r.room.size() > kMaxDigits) {
        throw Error(errc::invalid_argument, where + ": room '" + r.room + "' is longer than " +
                                                std::to_string(kMaxDigits) + " characters");
      }
      if (r.room_from_suffix && !is_prefix) {
        throw Error(errc::invalid_argument, where + ": room_from_suffix needs a prefix route");
      }
      break;
    case DidTarget::operator_queue:
      if (!r.menu.empty() || !r.room.empty() || r.room_from_suffix) {
        throw Error(errc::invalid_argument, where + ": target operator takes no menu or room");
      }
      break;
  }
}

}  // namespace

std::string_view to_string(DidTarget target) noexcept {
  switch (target) {
    case DidTarget::menu: return "menu";
    case DidTarget::room: return "room";
    case DidTarget::operator_queue: return "operator";
  }
  return "unknown";
}

std::optional<DidTarget> did_target_from_string(std::string_view text) noexcept {
  for (DidTarget t : {DidTarget::menu, DidTarget::room, DidTarget::operator_queue})
    if (to_string(t) == text) return t;
  return std::nullopt;
}

void DidRouter::add_exact(std::string_view number, DidRoute route) {
  if (!valid_number(number)) {
    throw Error(errc::invalid_argument, "DID number '" + std::string(number.substr(0, 48)) +
                                            "' is not 1-32 of 0-9, *, # with an optional leading +");
  }
  check_route(route, number, false);
  if (size() >= kMaxDidRoutes) throw Error(errc::capacity_exceeded, "more than " + std::to_string(kMaxDidRoutes) + " DID routes");
  auto it = std::lower_bound(exact_.begin(), exact_.end(), number,
                             [](const Entry& e, std::string_view n) { return e.pattern < n; });
  if (it != exact_.end() && it->pattern == number) {
    throw Error(errc::already_exists, "DID number '" + std::string(number) + "' is routed twice");
  }
  exact_.insert(it, Entry{std::string(number), std::move(route)});
}

void DidRouter::add_prefix(std::string_view prefix, DidRoute route) {
  if (!valid_number(prefix)) {
    throw Error(errc::invalid_argument, "DID prefix '" + std::string(prefix.substr(0, 48)) +
                                            "' is not 1-32 of 0-9, *, # with an optional leading +");
  }
  check_route(route, prefix, true);
  if (size() >= kMaxDidRoutes) throw Error(errc::capacity_exceeded, "more than " + std::to_string(kMaxDidRoutes) + " DID routes");
  for (const auto& e : prefix_) {
    if (e.pattern == prefix) throw Error(errc::already_exists, "DID prefix '" + std::string(prefix) + "' is routed twice");
  }
  // Longest first, so the first prefix that matches is the longest.
  auto it = std::find_if(prefix_.begin(), prefix_.end(),
                         [&](const Entry& e) { return e.pattern.size() < prefix.size(); });
  prefix_.insert(it, Entry{std::string(prefix), std::move(route)});
}

Result<DidMatch> DidRouter::route(std::string_view dialed) const noexcept {
  auto it = std::lower_bound(exact_.begin(), exact_.end(), dialed,
                             [](const Entry& e, std::string_view n) { return e.pattern < n; });
  if (it != exact_.end() && it->pattern == dialed) {
    return DidMatch{&it->route, it->pattern, true, it->route.room};
  }
  for (const auto& e : prefix_) {
    if (dialed.size() < e.pattern.size() || dialed.substr(0, e.pattern.size()) != e.pattern) continue;
    DidMatch m{&e.route, e.pattern, false, e.route.room};
    if (e.route.room_from_suffix) {
      m.room = dialed.substr(e.pattern.size());
      if (m.room.empty() || m.room.size() > kMaxDigits) return errc::not_found;
    }
    return m;
  }
  return errc::not_found;
}

DidRouter DidRouter::load_file(const std::filesystem::path& path) {
  return parse(detail::read_text_file(path, kMaxMenuFileBytes), path.string());
}

DidRouter DidRouter::parse(std::string_view json_text, std::string_view source_name) {
  namespace json = boost::json;
  detail::ConfigReader reader(source_name);
  json::value root_value = reader.parse(json_text);
  const json::object& root = reader.object(root_value, "");
  reader.only_fields(root, "", {"description", "routes"});
  const json::array& routes = reader.array(reader.required(root, "", "routes"), "routes");
  if (routes.size() > kMaxDidRoutes) {
    reader.fail(errc::invalid_argument, "routes", std::to_string(routes.size()) + " routes exceed the limit of " +
                                                      std::to_string(kMaxDidRoutes));
  }
  DidRouter router;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const std::string path = "routes[" + std::to_string(i) + "]";
    const json::object& obj = reader.object(routes[i], path);
    reader.only_fields(obj, path, {"number", "prefix", "menu", "room", "room_from_suffix", "operator", "billing",
                                   "tenant", "description"});
    auto sub = [&](std::string_view key) { return detail::join_path(path, key); };
    const auto* number = obj.if_contains("number");
    const auto* prefix = obj.if_contains("prefix");
    if ((number == nullptr) == (prefix == nullptr)) reader.fail(errc::invalid_argument, path, "needs exactly one of number and prefix");
    const std::string key = number ? "number" : "prefix";
    const std::string pattern = reader.string(number ? *number : *prefix, sub(key), kMaxDidLength);
    if (!valid_number(pattern)) {
      reader.fail(errc::invalid_argument, sub(key), "'" + pattern + "' is not 0-9, *, # with an optional leading +");
    }

    DidRoute route;
    bool to_operator = false;
    if (const auto* v = obj.if_contains("operator")) to_operator = reader.boolean(*v, sub("operator"));
    if (const auto* v = obj.if_contains("menu")) route.menu = reader.string(*v, sub("menu"), kMaxNameLength);
    if (const auto* v = obj.if_contains("room")) route.room = reader.string(*v, sub("room"), kMaxDigits);
    if (const auto* v = obj.if_contains("room_from_suffix")) route.room_from_suffix = reader.boolean(*v, sub("room_from_suffix"));
    if (const auto* v = obj.if_contains("tenant")) {
      route.tenant = reader.string(*v, sub("tenant"), room::kMaxNameLength);
      if (!room::is_valid_name(route.tenant)) {
        reader.fail(errc::invalid_argument, sub("tenant"), "'" + route.tenant + "' is not a valid tenant name");
      }
    }
    if (const auto* v = obj.if_contains("billing")) {
      const std::string billing = reader.string(*v, sub("billing"), kMaxNameLength);
      if (auto mode = room::billing_mode_from_string(billing)) {
        route.billing = *mode;
      } else {
        reader.fail(errc::invalid_argument, sub("billing"), "'" + billing + "' is not caller_pays or initiator_pays");
      }
    }
    if (to_operator) {
      if (!route.menu.empty() || !route.room.empty() || route.room_from_suffix) {
        reader.fail(errc::invalid_argument, sub("operator"), "an operator route takes no menu or room");
      }
      route.target = DidTarget::operator_queue;
    } else if (!route.room.empty() || route.room_from_suffix) {
      if (!route.room.empty() && route.room_from_suffix) {
        reader.fail(errc::invalid_argument, sub("room_from_suffix"), "true conflicts with room '" + route.room + "'");
      }
      if (route.room_from_suffix && number) {
        reader.fail(errc::invalid_argument, sub("room_from_suffix"), "needs a prefix route");
      }
      route.target = DidTarget::room;
    } else if (!route.menu.empty()) {
      route.target = DidTarget::menu;
    } else {
      reader.fail(errc::invalid_argument, path, "needs a menu, a room, room_from_suffix or operator");
    }
    try {
      if (number) {
        router.add_exact(pattern, std::move(route));
      } else {
        router.add_prefix(pattern, std::move(route));
      }
    } catch (const Error& e) {
      reader.fail(e.code_enum(), sub(key), e.what());
    }
  }
  return router;
}

}  // namespace libconf::ivr
