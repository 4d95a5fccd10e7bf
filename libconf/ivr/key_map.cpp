#include "libconf/ivr/key_map.hpp"

#include <array>
#include <string>

#include "libconf/ivr/json_config.hpp"
#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {
namespace {

constexpr std::array<std::string_view, 14> kKeyActionNames{
    "toggle_mute",       "talk_volume_up",    "talk_volume_down", "listen_volume_up", "listen_volume_down",
    "participant_count", "call_operator",     "invite",           "lock",             "unlock",
    "mute_all",          "kick_last",         "move_to_side_room", "bring_back"};


}  // namespace

std::string_view to_string(KeyAction action) noexcept {
  auto i = static_cast<std::size_t>(action);
  return i < kKeyActionNames.size() ? kKeyActionNames[i] : "unknown";
}

std::optional<KeyAction> key_action_from_string(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kKeyActionNames.size(); ++i) {
    if (kKeyActionNames[i] == text) return static_cast<KeyAction>(i);
  }
  return std::nullopt;
}

std::span<const KeyBinding> KeyMap::bindings(room::Role role) const noexcept {
  auto i = static_cast<std::size_t>(role);
  return i < 4 ? std::span<const KeyBinding>(roles_[i]) : std::span<const KeyBinding>{};
}

KeyMap KeyMap::load_file(const std::filesystem::path& path) {
  return parse(detail::read_text_file(path, kMaxMenuFileBytes), path.string());
}

KeyMap KeyMap::parse(std::string_view json_text, std::string_view source_name) {
  namespace json = boost::json;
  detail::ConfigReader reader(source_name);
  json::value root_value = reader.parse(json_text);
  const json::object& root = reader.object(root_value, "");
  reader.only_fields(root, "", {"description", "inter_digit_timeout_ms", "number_timeout_ms", "roles"});

  KeyMap map;
  if (const auto* v = root.if_contains("description")) (void)reader.string(*v, "description", 4096, true);
  if (const auto* v = root.if_contains("inter_digit_timeout_ms")) {
    map.inter_digit_timeout_ms_ = reader.integer(*v, "inter_digit_timeout_ms", 1, kMaxTimeoutMs);
  }
  if (const auto* v = root.if_contains("number_timeout_ms")) {
    map.number_timeout_ms_ = reader.integer(*v, "number_timeout_ms", 1, kMaxTimeoutMs);
  }
  const json::object& roles = reader.object(reader.required(root, "", "roles"), "roles");
  reader.only_fields(roles, "roles", {"superuser", "moderator", "participant", "listener"});
  for (room::Role role : room::kAllRoles) {
    const std::string role_name(to_string(role));
    const auto* v = roles.if_contains(role_name);
    if (!v) continue;
    const std::string role_path = "roles." + role_name;
    const json::object& keys = reader.object(*v, role_path);
    if (keys.size() > kMaxBindingsPerRole) {
      reader.fail(errc::invalid_argument, role_path,
                  std::to_string(keys.size()) + " keys exceed the limit of " + std::to_string(kMaxBindingsPerRole));
    }
    auto& list = map.roles_[static_cast<std::size_t>(role)];
    for (const auto& member : keys) {
      std::string_view sequence(member.key().data(), member.key().size());
      const std::string path = detail::join_path(role_path, sequence);
      bool ok = !sequence.empty() && sequence.size() <= kMaxKeySequence;
      for (char c : sequence) ok = ok && is_dtmf_digit(c);
      if (!ok) {
        reader.fail(errc::invalid_argument, path,
                    "not a key sequence (1 to " + std::to_string(kMaxKeySequence) + " of 0-9, *, #, A-D)");
      }
      const std::string name = reader.string(member.value(), path, kMaxNameLength);
      auto action = key_action_from_string(name);
      if (!action) reader.fail(errc::invalid_argument, path, "'" + name + "' is not an in-room action");
      if (is_moderator_action(*action) && !room::is_moderating(role)) {
        reader.fail(errc::invalid_argument, path, "'" + name + "' is a moderator action");
      }
      KeyBinding binding;
      (void)binding.sequence.assign(sequence);
      binding.action = *action;
      list.push_back(binding);
    }
  }
  return map;
}

}  // namespace libconf::ivr
