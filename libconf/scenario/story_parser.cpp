// Reads a story (docs/service.md) from JSON, naming file, field and value in errors.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "libconf/engine/engine.hpp"
#include "libconf/error.hpp"
#include "libconf/ivr/json_config.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/story.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

constexpr double kMaxStorySeconds = 3600.0;
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxStoryBytes = 4 << 20;

class Obj {
 public:
  Obj(const json::value& v, std::string path, const std::string& source) : path_(std::move(path)), source_(source) {
    if (!v.is_object()) fail(path_, "must be an object, got " + json::serialize(v));
    o_ = &v.as_object();
  }
  void allow(std::initializer_list<std::string_view> keys) const {
    for (const auto& kv : *o_)
      if (std::find(keys.begin(), keys.end(), std::string_view(kv.key())) == keys.end())
        fail(at(kv.key()), "unknown field");
  }
  const json::value* get(std::string_view k) const { return o_->if_contains(k); }
  std::string str(std::string_view k, std::optional<std::string> def = std::nullopt) const {
    const json::value* v = get(k);
    if (!v) {
      if (!def) fail(at(k), "is required");
      return *def;
    }
    if (!v->is_string()) fail(at(k), "must be a string, got " + json::serialize(*v));
    if (v->as_string().size() > 4096) fail(at(k), "is longer than 4096 characters");
    return std::string(v->as_string());
  }
  double num(std::string_view k, std::optional<double> def, double lo, double hi) const {
    const json::value* v = get(k);
    if (!v) {
      if (!def) fail(at(k), "is required");
      return *def;
    }
    if (!v->is_number()) fail(at(k), "must be a number, got " + json::serialize(*v));
    const double d = v->to_number<double>();
    if (!std::isfinite(d) || d < lo || d > hi) fail(at(k), json::serialize(*v) + " is outside " + fmt(lo) + ".." + fmt(hi));
    return d;
  }
  std::optional<double> opt_num(std::string_view k, double lo, double hi) const {
    if (!get(k)) return std::nullopt;
    return num(k, 0, lo, hi);
  }
  int integer(std::string_view k, int def, int lo, int hi) const {
    const json::value* v = get(k);
    if (!v) return def;
    if (!v->is_int64() && !v->is_uint64()) fail(at(k), "must be a whole number, got " + json::serialize(*v));
    const double d = v->to_number<double>();
    if (d < lo || d > hi) fail(at(k), json::serialize(*v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(d);
  }
  bool boolean(std::string_view k, bool def) const {
    const json::value* v = get(k);
    if (!v) return def;
    if (!v->is_bool()) fail(at(k), "must be true or false, got " + json::serialize(*v));
    return v->as_bool();
  }
  const json::array* arr(std::string_view k) const {
    const json::value* v = get(k);
    if (!v) return nullptr;
    if (!v->is_array()) fail(at(k), "must be an array");
    if (v->as_array().size() > kMaxItems) fail(at(k), "has more than " + std::to_string(kMaxItems) + " entries");
    return &v->as_array();
  }
  std::vector<std::string> strings(std::string_view k) const {
    std::vector<std::string> out;
    if (const json::array* a = arr(k)) {
      for (std::size_t i = 0; i < a->size(); ++i) {
        if (!(*a)[i].is_string()) fail(at(k) + "[" + std::to_string(i) + "]", "must be a string");
        out.emplace_back((*a)[i].as_string());
      }
    }
    return out;
  }
  std::string at(std::string_view k) const { return path_ + "." + std::string(k); }
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(errc::parse_error, source_ + ": " + where + ": " + what);
  }
  const json::object& object() const { return *o_; }

 private:
  static std::string fmt(double d) {
    std::ostringstream s;
    s << d;
    return s.str();
  }
  const json::object* o_ = nullptr;
  std::string path_;
  const std::string& source_;
};

StoryInput read_input(const Obj& o, const std::filesystem::path& base) {
  StoryInput in;
  if (o.get("input")) in.file = base / o.str("input");
  in.tone_hz = o.num("tone_hz", 0, 0, 3900);
  in.tone_dbfs = o.num("tone_dbfs", -20, -60, -3);
  if (const json::array* t = o.arr("talk")) {
    for (std::size_t i = 0; i < t->size(); ++i) {
      const auto& w = (*t)[i];
      if (!w.is_array() || w.as_array().size() != 2 || !w.as_array()[0].is_number() || !w.as_array()[1].is_number())
        o.fail(o.at("talk") + "[" + std::to_string(i) + "]", "must be [from_s, to_s]");
      const double a = w.as_array()[0].to_number<double>(), b = w.as_array()[1].to_number<double>();
      if (!(a >= 0 && b > a)) o.fail(o.at("talk") + "[" + std::to_string(i) + "]", "needs 0 <= from_s < to_s");
      in.talk.emplace_back(a, b);
    }
  }
  if (!in.file.empty() && in.tone_hz > 0) o.fail(o.at("tone_hz"), "give either input or tone_hz, not both");
  return in;
}

std::vector<StoryDtmf> read_dtmf(const Obj& o, const std::string& source, double duration) {
  std::vector<StoryDtmf> out;
  if (const json::array* a = o.arr("dtmf")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Obj d((*a)[i], o.at("dtmf") + "[" + std::to_string(i) + "]", source);
      d.allow({"at_s", "digits"});
      StoryDtmf x{d.num("at_s", std::nullopt, 0, duration), d.str("digits")};
      if (x.digits.empty() || x.digits.size() > 64 ||
          x.digits.find_first_not_of("0123456789*#ABCD") != std::string::npos)
        d.fail(d.at("digits"), "'" + x.digits.substr(0, 64) + "' is not 1..64 DTMF digits");
      out.push_back(std::move(x));
    }
  }
  return out;
}

}  // namespace

Story parse_story(std::string_view text, std::string source, std::filesystem::path base_dir) {
  if (text.size() > kMaxStoryBytes) throw Error(errc::parse_error, source + ": larger than 4 MiB");
  // Syntax errors name line and column (never Boost's own source location).
  const json::value root = ivr::detail::ConfigReader(source).parse(text);
  Story s;
  s.source = source;
  s.base_dir = base_dir;
  Obj r(root, "$", s.source);
  r.allow({"description", "duration_s", "tenant", "max_participants", "max_rooms", "room_rate_hz", "rooms", "routes",
           "menus", "prompts", "groups", "dial_out_allowed", "calls", "dial_targets", "actions", "answer_mode"});
  s.duration_s = r.num("duration_s", std::nullopt, 1, kMaxStorySeconds);
  s.tenant = r.str("tenant", "default");
  s.max_participants = r.integer("max_participants", 100, 1, 100000);
  s.max_rooms = r.integer("max_rooms", 10, 1, 10000);
  s.room_rate_hz = r.integer("room_rate_hz", 16000, 8000, 48000);
  const std::string answer_mode = r.str("answer_mode", "answer_first");
  if (answer_mode == "early_media") {
    s.answer_mode = service::AnswerMode::early_media;
  } else if (answer_mode != "answer_first") {
    r.fail("$.answer_mode", "'" + answer_mode + "' is not answer_first or early_media");
  }
  if (const json::array* a = r.arr("rooms")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Obj o((*a)[i], "rooms[" + std::to_string(i) + "]", s.source);
      o.allow({"name", "topic", "pin", "moderator_pin", "listener_pin", "max_members", "when_full",
               "wait_for_moderator", "end_with_last_moderator", "end_grace_s"});
      StoryRoom rm;
      rm.name = o.str("name");
      rm.topic = o.str("topic", "");
      rm.pin = o.str("pin", "");
      rm.moderator_pin = o.str("moderator_pin", "");
      rm.listener_pin = o.str("listener_pin", "");
      rm.max_members = o.integer("max_members", 50, 1, 10000);
      rm.when_full = o.str("when_full", "route_to_operator");
      if (rm.when_full != "route_to_operator" && rm.when_full != "overflow")
        o.fail(o.at("when_full"), "'" + rm.when_full + "' is not route_to_operator or overflow");
      rm.wait_for_moderator = o.boolean("wait_for_moderator", false);
      rm.end_with_last_moderator = o.boolean("end_with_last_moderator", false);
      rm.end_grace_s = o.num("end_grace_s", 0, 0, 3600);
      s.rooms.push_back(std::move(rm));
    }
  }
  if (const json::value* v = r.get("routes")) {
    if (!v->is_array()) r.fail("$.routes", "must be an array");
    s.routes_json = json::serialize(json::object{{"routes", *v}});
  }
  for (const char* key : {"menus", "prompts"}) {
    if (const json::value* v = r.get(key)) {
      Obj m(*v, std::string("$.") + key, s.source);
      for (const auto& kv : m.object()) {
        if (!kv.value().is_string()) m.fail(m.at(kv.key()), "must be a file name");
        (std::string(key) == "menus" ? s.menus : s.prompts)[std::string(kv.key())] =
            base_dir / std::string(kv.value().as_string());
      }
    }
  }
  if (const json::value* v = r.get("groups")) {
    Obj g(*v, "$.groups", s.source);
    for (const auto& kv : g.object()) s.groups[std::string(kv.key())] = g.strings(kv.key());
  }
  s.dial_out_allowed = r.strings("dial_out_allowed");
  std::set<std::string> names;
  auto unique = [&](const Obj& o, const std::string& name) {
    if (name.empty() || name.size() > 64 || name.find_first_of("/\\.") != std::string::npos)
      o.fail(o.at("name"), "'" + name + "' is not a usable name (1..64 characters, no '/', '\\', '.')");
    if (!names.insert(name).second) o.fail(o.at("name"), "'" + name + "' is used twice");
  };
  if (const json::array* a = r.arr("calls")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Obj o((*a)[i], "calls[" + std::to_string(i) + "]", s.source);
      o.allow({"name", "caller_id", "did", "codec", "at_s", "hangup_s", "operator", "input", "tone_hz", "tone_dbfs",
               "talk", "dtmf"});
      StoryCall c;
      c.name = o.str("name");
      unique(o, c.name);
      c.operator_phone = o.boolean("operator", false);
      c.caller_id = o.str("caller_id", c.name);
      c.did = c.operator_phone ? o.str("did", "") : o.str("did");
      c.codec = o.str("codec", "PCMU");
      c.at_s = o.num("at_s", 0, 0, s.duration_s);
      c.hangup_s = o.opt_num("hangup_s", c.at_s, s.duration_s);
      c.input = read_input(o, base_dir);
      c.dtmf = read_dtmf(o, s.source, s.duration_s);
      s.calls.push_back(std::move(c));
    }
  }
  if (const json::array* a = r.arr("dial_targets")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Obj o((*a)[i], "dial_targets[" + std::to_string(i) + "]", s.source);
      o.allow({"number", "name", "answer_after_s", "busy", "codec", "hangup_s", "input", "tone_hz", "tone_dbfs", "talk",
               "dtmf"});
      StoryDialTarget t;
      t.number = o.str("number");
      t.name = o.str("name", t.number);
      unique(o, t.name);
      t.answer_after_s = o.opt_num("answer_after_s", 0, 600);
      t.busy = o.boolean("busy", false);
      t.codec = o.str("codec", "PCMU");
      t.hangup_s = o.opt_num("hangup_s", 0, s.duration_s);
      t.input = read_input(o, base_dir);
      t.dtmf = read_dtmf(o, s.source, s.duration_s);
      s.dial_targets.push_back(std::move(t));
    }
  }
  static const std::set<std::string> kActions{
      "take_from_queue", "create_side_room", "bring_back", "listen_in", "stop_listen_in", "whisper", "stop_whisper",
      "mute",            "unmute",           "mute_all",   "deaf",      "undeaf",         "kick",    "move",
      "lock",            "unlock",           "set_max_members", "invite", "hold",       "resume",  "hangup",
      "record",          "stop_recording",   "set_name",   "transfer"};
  if (const json::array* a = r.arr("actions")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Obj o((*a)[i], "actions[" + std::to_string(i) + "]", s.source);
      o.allow({"at_s", "action", "actor", "who", "to", "members", "room", "number", "role", "reason", "value", "prefix",
               "text"});
      StoryAction x;
      x.at_s = o.num("at_s", std::nullopt, 0, s.duration_s);
      x.action = o.str("action");
      if (!kActions.count(x.action)) o.fail(o.at("action"), "unknown action '" + x.action + "'");
      x.actor = o.str("actor", "operator");
      x.who = o.str("who", "");
      x.to = o.str("to", "");
      x.members = o.strings("members");
      x.room = o.str("room", "");
      x.number = o.str("number", "");
      x.role = o.str("role", "participant");
      x.reason = o.str("reason", "");
      x.value = o.integer("value", 0, 0, 100000);
      x.prefix = o.str("prefix", x.room);
      x.text = o.str("text", "");
      s.actions.push_back(std::move(x));
    }
  }
  // Every name an action uses must be a call or dial target.
  auto known = [&](const std::string& n) { return n.empty() || n == "operator" || names.count(n) > 0; };
  for (std::size_t i = 0; i < s.actions.size(); ++i) {
    const StoryAction& x = s.actions[i];
    for (const std::string* n : {&x.actor, &x.who, &x.to})
      if (!known(*n))
        throw Error(errc::parse_error, s.source + ": actions[" + std::to_string(i) + "]: no call named '" + *n + "'");
    for (const std::string& n : x.members)
      if (!known(n))
        throw Error(errc::parse_error, s.source + ": actions[" + std::to_string(i) + "].members: no call named '" + n + "'");
  }
  std::stable_sort(s.actions.begin(), s.actions.end(),
                   [](const StoryAction& a, const StoryAction& b) { return a.at_s < b.at_s; });
  // Every phone holds its input and what it hears for the whole story.
  std::uint64_t bytes = 0;
  auto phone = [&](const std::string& codec) {
    bytes += 2 * sizeof(std::int16_t) *
             static_cast<std::uint64_t>(std::ceil(s.duration_s * engine::natural_codec_rate(codec, 0, s.room_rate_hz)));
  };
  for (const auto& c : s.calls) phone(c.codec);
  for (const auto& t : s.dial_targets) phone(t.codec);
  check_audio_budget(bytes, s.source,
                     std::to_string(s.calls.size() + s.dial_targets.size()) + " phones x " +
                         std::to_string(static_cast<long long>(s.duration_s)) + " s");
  return s;
}

Story load_story(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(errc::io_error, path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_story(text.str(), path.string(), path.parent_path());
}

}  // namespace libconf::scenario
