// Menu JSON -> validated Menu. The schema is in docs/ivr.md.
#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "libconf/ivr/json_config.hpp"
#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {
namespace {

namespace json = boost::json;
using detail::ConfigReader;
using detail::describe;
using detail::join_path;

struct ActionName {
  std::string_view name;
  StateAction action;
};
constexpr std::array kActionNames{
    ActionName{"collect_room", StateAction::collect_room},
    ActionName{"check_pin", StateAction::check_pin},
    ActionName{"dial_out", StateAction::dial_out},
    ActionName{"choice", StateAction::choice},
    ActionName{"join", StateAction::join},
    ActionName{"route_to_operator", StateAction::route_to_operator},
    ActionName{"hangup", StateAction::hangup},
    ActionName{"record_name", StateAction::record_name},
    ActionName{"goto", StateAction::goto_state},
};

constexpr std::array<ExitReason, 6> kAllReasons{ExitReason::requested,    ExitReason::no_input,
                                                ExitReason::invalid_input, ExitReason::wrong_pin,
                                                ExitReason::room_unknown, ExitReason::locked_out};

constexpr std::array<std::string_view, 4> kCommonFields{"action", "prompts", "barge_in", "description"};
constexpr std::array<std::string_view, 8> kCollectFields{
    "min_digits", "max_digits", "terminator", "timeout_ms", "inter_digit_timeout_ms",
    "retries",    "invalid_prompt", "on_failure"};
constexpr std::array<std::string_view, 5> kChoiceFields{"choices", "timeout_ms", "retries",
                                                        "invalid_prompt", "on_failure"};

/// The fields a state with this action may carry besides the common ones.
std::vector<std::string_view> fields_for(StateAction a) {
  std::vector<std::string_view> out;
  if (a == StateAction::choice) {
    out.assign(kChoiceFields.begin(), kChoiceFields.end());
    return out;
  }
  if (collects_digits(a)) out.assign(kCollectFields.begin(), kCollectFields.end());
  switch (a) {
    case StateAction::collect_room:
      out.insert(out.end(), {"lookup", "next"});
      break;
    case StateAction::check_pin:
      out.insert(out.end(), {"next", "max_attempts", "wrong_prompt", "on_room_unknown", "on_locked_out"});
      break;
    case StateAction::dial_out:
    case StateAction::record_name:
    case StateAction::goto_state:
      out.push_back("next");
      break;
    case StateAction::join:
      out.push_back("role");
      break;
    case StateAction::route_to_operator:
    case StateAction::hangup:
      out.push_back("reason");
      break;
    case StateAction::choice:
      break;
  }
  return out;
}

bool is_known_state_field(std::string_view key) {
  for (const auto& a : kActionNames) {
    auto f = fields_for(a.action);
    if (std::find(f.begin(), f.end(), key) != f.end()) return true;
  }
  return false;
}

bool valid_state_name(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

class MenuParser {
 public:
  explicit MenuParser(std::string_view source) : reader_(source) {}

  Menu parse(std::string_view text) {
    json::value root_value = reader_.parse(text);
    const json::object& root = reader_.object(root_value, "");
    reader_.only_fields(root, "", {"name", "description", "initial", "states"});

    Menu menu;
    menu.source_ = reader_.source();
    if (const auto* v = root.if_contains("name")) menu.name_ = reader_.string(*v, "name", kMaxNameLength);
    if (const auto* v = root.if_contains("description")) (void)reader_.string(*v, "description", 4096, true);

    const json::object& states = reader_.object(reader_.required(root, "", "states"), "states");
    if (states.empty()) reader_.fail(errc::invalid_argument, "states", "{} has no states");
    if (states.size() > kMaxStates) {
      reader_.fail(errc::invalid_argument, "states",
                   std::to_string(states.size()) + " states exceed the limit of " + std::to_string(kMaxStates));
    }
    // First pass: names, so that references may point forward.
    for (const auto& member : states) {
      std::string_view name(member.key().data(), member.key().size());
      std::string path = join_path("states", name);
      if (name.empty() || name.size() > kMaxNameLength || !valid_state_name(name)) {
        reader_.fail(errc::invalid_argument, path,
                     "state names are 1 to " + std::to_string(kMaxNameLength) +
                         " letters, digits, '_' or '-'");
      }
      names_.emplace_back(name);
    }
    menu.states_.reserve(states.size());
    for (const auto& member : states) {
      std::string_view name(member.key().data(), member.key().size());
      menu.states_.push_back(parse_state(name, member.value()));
    }
    menu.initial_ = reference(reader_.required(root, "", "initial"), "initial");
    check_goto_loops(menu);
    return menu;
  }

 private:
  StateIndex reference(const json::value& v, const std::string& path) const {
    std::string target = reader_.string(v, path, kMaxNameLength);
    auto it = std::find(names_.begin(), names_.end(), target);
    if (it == names_.end()) reader_.fail(errc::not_found, path, "unknown state '" + target + "'");
    return static_cast<StateIndex>(it - names_.begin());
  }

  std::string prompt(const json::value& v, const std::string& path) const {
    return reader_.string(v, path, kMaxNameLength);
  }

  MenuState parse_state(std::string_view name, const json::value& value) {
    const std::string path = join_path("states", name);
    const json::object& obj = reader_.object(value, path);
    MenuState s;
    s.name = std::string(name);

    const std::string action_path = join_path(path, "action");
    std::string action = reader_.string(reader_.required(obj, path, "action"), action_path, kMaxNameLength);
    auto it = std::find_if(kActionNames.begin(), kActionNames.end(),
                           [&](const ActionName& a) { return a.name == action; });
    if (it == kActionNames.end()) {
      std::string known;
      for (const auto& a : kActionNames) known += (known.empty() ? "" : ", ") + std::string(a.name);
      reader_.fail(errc::invalid_argument, action_path, "'" + action + "' is not an action (" + known + ")");
    }
    s.action = it->action;

    const auto allowed = fields_for(s.action);
    for (const auto& member : obj) {
      std::string_view key(member.key().data(), member.key().size());
      if (std::find(kCommonFields.begin(), kCommonFields.end(), key) != kCommonFields.end()) continue;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      if (is_known_state_field(key)) {
        reader_.fail(errc::invalid_argument, join_path(path, key),
                     "field not allowed for action '" + action + "'");
      }
      reader_.fail(errc::invalid_argument, join_path(path, key), "unknown field");
    }

    auto field = [&](std::string_view key) { return obj.if_contains(json::string_view(key.data(), key.size())); };
    auto sub = [&](std::string_view key) { return join_path(path, key); };

    if (const auto* v = field("description")) (void)reader_.string(*v, sub("description"), 4096, true);
    if (const auto* v = field("prompts")) {
      const json::array& prompts = reader_.array(*v, sub("prompts"));
      if (prompts.size() > kMaxPromptsPerState) {
        reader_.fail(errc::invalid_argument, sub("prompts"),
                     std::to_string(prompts.size()) + " prompts exceed the limit of " +
                         std::to_string(kMaxPromptsPerState));
      }
      for (std::size_t i = 0; i < prompts.size(); ++i) {
        s.prompts.push_back(prompt(prompts[i], sub("prompts") + "[" + std::to_string(i) + "]"));
      }
    }
    if (const auto* v = field("barge_in")) s.barge_in = reader_.boolean(*v, sub("barge_in"));

    if (s.action == StateAction::choice) {
      s.min_digits = 1;
      s.max_digits = 1;
      s.terminator = '\0';
    }
    if (const auto* v = field("max_digits")) {
      s.max_digits = static_cast<int>(reader_.integer(*v, sub("max_digits"), 1, static_cast<std::int64_t>(kMaxDigits)));
    }
    if (const auto* v = field("min_digits")) {
      s.min_digits = static_cast<int>(reader_.integer(*v, sub("min_digits"), 1, static_cast<std::int64_t>(kMaxDigits)));
    }
    if (s.min_digits > s.max_digits) {
      reader_.fail(errc::invalid_argument, sub("min_digits"),
                   std::to_string(s.min_digits) + " exceeds max_digits " + std::to_string(s.max_digits));
    }
    if (const auto* v = field("terminator")) {
      std::string t = reader_.string(*v, sub("terminator"), 1, true);
      if (t != "#" && !t.empty()) reader_.fail(errc::invalid_argument, sub("terminator"), describe(*v) + " is not \"#\" or \"\"");
      s.terminator = t.empty() ? '\0' : '#';
    }
    if (const auto* v = field("timeout_ms")) s.timeout_ms = reader_.integer(*v, sub("timeout_ms"), 1, kMaxTimeoutMs);
    if (const auto* v = field("inter_digit_timeout_ms")) {
      s.inter_digit_timeout_ms = reader_.integer(*v, sub("inter_digit_timeout_ms"), 1, kMaxTimeoutMs);
    }
    if (const auto* v = field("retries")) s.retries = static_cast<int>(reader_.integer(*v, sub("retries"), 0, kMaxRetries));
    if (const auto* v = field("invalid_prompt")) s.invalid_prompt = prompt(*v, sub("invalid_prompt"));
    if (const auto* v = field("lookup")) s.lookup = reader_.boolean(*v, sub("lookup"));
    if (const auto* v = field("max_attempts")) {
      s.max_attempts = static_cast<int>(reader_.integer(*v, sub("max_attempts"), 1, kMaxRetries));
    }
    if (const auto* v = field("wrong_prompt")) s.wrong_prompt = prompt(*v, sub("wrong_prompt"));
    if (const auto* v = field("role")) {
      std::string role = reader_.string(*v, sub("role"), kMaxNameLength);
      auto r = room::role_from_string(role);
      if (!r) reader_.fail(errc::invalid_argument, sub("role"), "'" + role + "' is not a role (superuser, moderator, participant, listener)");
      s.role = *r;
    }
    if (const auto* v = field("reason")) {
      std::string reason = reader_.string(*v, sub("reason"), kMaxNameLength);
      for (ExitReason r : kAllReasons) {
        if (to_string(r) == reason) s.reason = r;
      }
      if (!s.reason) reader_.fail(errc::invalid_argument, sub("reason"), "'" + reason + "' is not an exit reason");
    }

    // Transitions: which are required follows from the action.
    const bool needs_next = s.action == StateAction::collect_room || s.action == StateAction::check_pin ||
                            s.action == StateAction::dial_out || s.action == StateAction::record_name ||
                            s.action == StateAction::goto_state;
    if (needs_next) s.next = reference(reader_.required(obj, path, "next"), sub("next"));
    if (collects_digits(s.action)) {
      s.on_failure = reference(reader_.required(obj, path, "on_failure"), sub("on_failure"));
    }
    if (s.action == StateAction::check_pin) {
      s.on_room_unknown = s.on_failure;
      s.on_locked_out = s.on_failure;
      if (const auto* v = field("on_room_unknown")) s.on_room_unknown = reference(*v, sub("on_room_unknown"));
      if (const auto* v = field("on_locked_out")) s.on_locked_out = reference(*v, sub("on_locked_out"));
    }
    if (s.action == StateAction::choice) {
      s.choices.fill(kNoState);
      const std::string choices_path = sub("choices");
      const json::object& choices = reader_.object(reader_.required(obj, path, "choices"), choices_path);
      if (choices.empty()) reader_.fail(errc::invalid_argument, choices_path, "{} has no choices");
      for (const auto& member : choices) {
        std::string_view key(member.key().data(), member.key().size());
        const std::string key_path = join_path(choices_path, key);
        if (key.size() != 1 || digit_index(key[0]) < 0) {
          reader_.fail(errc::invalid_argument, key_path, "not a single DTMF digit (0-9, *, #, A-D)");
        }
        s.choices[static_cast<std::size_t>(digit_index(key[0]))] = reference(member.value(), key_path);
      }
    }
    return s;
  }

  // A goto state without prompts moves on at once; a ring of them would spin
  // forever inside one input, so it is refused here.
  void check_goto_loops(const Menu& menu) const {
    auto is_instant = [&](StateIndex i) {
      const MenuState& s = menu.states_[i];
      return s.action == StateAction::goto_state && s.prompts.empty();
    };
    for (StateIndex start = 0; start < menu.states_.size(); ++start) {
      if (!is_instant(start)) continue;
      std::vector<StateIndex> walk{start};
      StateIndex at = menu.states_[start].next;
      while (is_instant(at)) {
        if (std::find(walk.begin(), walk.end(), at) != walk.end()) {
          std::string ring;
          for (StateIndex i : walk) ring += menu.states_[i].name + " -> ";
          ring += menu.states_[at].name;
          reader_.fail(errc::invalid_argument, join_path(join_path("states", menu.states_[start].name), "next"),
                       "goto loop without a prompt: " + ring);
        }
        walk.push_back(at);
        at = menu.states_[at].next;
      }
    }
  }

  ConfigReader reader_;
  std::vector<std::string> names_;
};

Menu Menu::parse(std::string_view json_text, std::string_view source_name) {
  return MenuParser(source_name).parse(json_text);
}

Menu Menu::load_file(const std::filesystem::path& path) {
  return parse(detail::read_text_file(path, kMaxMenuFileBytes), path.string());
}

}  // namespace libconf::ivr
