#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "libconf/audio/format.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/error.hpp"
#include "libconf/ivr/json_config.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/scenario.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

constexpr double kMaxScenarioSeconds = 24 * 3600.0;
constexpr std::size_t kMaxParticipants = 10000;

// Reads one JSON object field by field, naming the path in every error.
class Reader {
 public:
  Reader(const json::value& v, std::string path, const std::string& source) : path_(std::move(path)), source_(source) {
    if (!v.is_object()) fail(path_, "must be an object, got " + json::serialize(v));
    obj_ = &v.as_object();
  }

  void allow(std::initializer_list<std::string_view> keys) const {
    for (const auto& kv : *obj_) {
      if (std::find(keys.begin(), keys.end(), std::string_view(kv.key())) == keys.end()) {
        std::string known;
        for (auto k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
        fail(path_ + "." + std::string(kv.key()), "unknown field (known: " + known + ")");
      }
    }
  }
  bool has(std::string_view key) const { return obj_->contains(key); }
  const json::value* get(std::string_view key) const { return obj_->if_contains(key); }

  std::string string(std::string_view key, std::optional<std::string> fallback = std::nullopt) const {
    const json::value* v = get(key);
    if (!v) return required(key, fallback);
    if (!v->is_string()) fail(field(key), "must be a string, got " + json::serialize(*v));
    std::string s(v->as_string());
    if (s.size() > 4096) fail(field(key), "is longer than 4096 characters");
    return s;
  }
  double number(std::string_view key, std::optional<double> fallback, double lo, double hi) const {
    const json::value* v = get(key);
    if (!v) return required(key, fallback);
    if (!v->is_number()) fail(field(key), "must be a number, got " + json::serialize(*v));
    const double d = v->to_number<double>();
    if (!std::isfinite(d) || d < lo || d > hi)
      fail(field(key), json::serialize(*v) + " is outside " + fmt(lo) + ".." + fmt(hi));
    return d;
  }
  int integer(std::string_view key, std::optional<int> fallback, int lo, int hi) const {
    const json::value* v = get(key);
    if (!v) return required(key, fallback);
    if (!v->is_int64() && !v->is_uint64()) fail(field(key), "must be a whole number, got " + json::serialize(*v));
    const double d = v->to_number<double>();
    if (d < lo || d > hi) fail(field(key), json::serialize(*v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(d);
  }
  bool boolean(std::string_view key, bool fallback) const {
    const json::value* v = get(key);
    if (!v) return fallback;
    if (!v->is_bool()) fail(field(key), "must be true or false, got " + json::serialize(*v));
    return v->as_bool();
  }
  std::string field(std::string_view key) const { return path_ + "." + std::string(key); }
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(errc::parse_error, source_ + ": " + where + ": " + what);
  }

 private:
  template <class T>
  T required(std::string_view key, const std::optional<T>& fallback) const {
    if (!fallback) fail(field(key), "is required");
    return *fallback;
  }
  static std::string fmt(double d) {
    std::ostringstream s;
    s << d;
    return s.str();
  }
  const json::object* obj_ = nullptr;
  std::string path_;
  const std::string& source_;
};

ActionKind action_kind(const Reader& r, const std::string& name, const std::string& where) {
  static const std::pair<const char*, ActionKind> kinds[] = {
      {"mute", ActionKind::mute},           {"unmute", ActionKind::unmute},
      {"deaf", ActionKind::deaf},           {"undeaf", ActionKind::undeaf},
      {"listen_in", ActionKind::listen_in}, {"stop_listen_in", ActionKind::stop_listen_in},
      {"whisper", ActionKind::whisper},     {"stop_whisper", ActionKind::stop_whisper},
      {"kick", ActionKind::kick},           {"move", ActionKind::move},
      {"set_gain", ActionKind::set_gain},   {"source_gain", ActionKind::source_gain},
      {"dtmf", ActionKind::dtmf},
  };
  for (auto& [n, k] : kinds)
    if (name == n) return k;
  std::string known;
  for (auto& [n, k] : kinds) known += (known.empty() ? "" : ", ") + std::string(n);
  r.fail(where, "unknown action '" + name + "' (known: " + known + ")");
}

const json::array& array_field(const json::object& root, std::string_view key, const std::string& source) {
  const json::value* v = root.if_contains(key);
  if (!v || !v->is_array())
    throw Error(errc::parse_error, source + ": " + std::string(key) + ": must be an array" +
                                       (v ? ", got " + json::serialize(*v) : " (missing)"));
  return v->as_array();
}

// The run holds every participant's input and what it hears, 16-bit at its
// codec rate, for the whole run: fail now, naming the figures, rather than
// after gigabytes were allocated. The run's length is what the runner will
// use: duration_s, or the last join, leave, input end or action.
void check_budget(const Scenario& s, const std::vector<double>& input_seconds) {
  double end_s = 1.0;
  for (std::size_t i = 0; i < s.participants.size(); ++i) {
    const ParticipantSpec& p = s.participants[i];
    end_s = std::max({end_s, p.join_s + 1.0, p.leave_s.value_or(p.input_start_s + input_seconds[i] + 0.5)});
  }
  for (const Action& a : s.timeline) end_s = std::max(end_s, a.at_s + 1.0);
  if (s.duration_s > 0) end_s = s.duration_s;
  std::uint64_t bytes = 0;
  for (const ParticipantSpec& p : s.participants) {
    const int rate = engine::natural_codec_rate(p.codec, p.codec_rate_hz, s.room(p.room)->sample_rate_hz);
    bytes += 2 * sizeof(std::int16_t) * static_cast<std::uint64_t>(std::ceil(end_s * rate));
  }
  check_audio_budget(bytes, s.source,
                     std::to_string(s.participants.size()) + " participants x " +
                         std::to_string(static_cast<long long>(std::ceil(end_s))) + " s");
}

}  // namespace

const char* to_string(ActionKind kind) noexcept {
  switch (kind) {
    case ActionKind::mute: return "mute";
    case ActionKind::unmute: return "unmute";
    case ActionKind::deaf: return "deaf";
    case ActionKind::undeaf: return "undeaf";
    case ActionKind::listen_in: return "listen_in";
    case ActionKind::stop_listen_in: return "stop_listen_in";
    case ActionKind::whisper: return "whisper";
    case ActionKind::stop_whisper: return "stop_whisper";
    case ActionKind::kick: return "kick";
    case ActionKind::move: return "move";
    case ActionKind::set_gain: return "set_gain";
    case ActionKind::source_gain: return "source_gain";
    case ActionKind::dtmf: return "dtmf";
  }
  return "unknown";
}

const ParticipantSpec* Scenario::participant(std::string_view name) const noexcept {
  for (const auto& p : participants)
    if (p.name == name) return &p;
  return nullptr;
}

const RoomSpec* Scenario::room(std::string_view name) const noexcept {
  for (const auto& r : rooms)
    if (r.name == name) return &r;
  return nullptr;
}

Scenario load_scenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(errc::io_error, path.string() + ": cannot open scenario file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.size() > 16 * 1024 * 1024) throw Error(errc::invalid_argument, path.string() + ": larger than 16 MiB");
  return parse_scenario(text, path.string(), path.parent_path());
}

Scenario parse_scenario(std::string_view text, std::string source, std::filesystem::path base_dir) {
  // Syntax errors name line and column; a repeated key is an error too.
  const json::value root = ivr::detail::ConfigReader(source).parse(text);
  Scenario s;
  s.source = source;
  s.base_dir = std::move(base_dir);
  Reader top(root, "$", s.source);
  top.allow({"ptime_ms", "duration_s", "room", "rooms", "participants", "timeline", "description"});
  s.ptime_ms = top.integer("ptime_ms", 20, 10, 60);
  if (!audio::is_supported_ptime(s.ptime_ms))
    top.fail("$.ptime_ms", std::to_string(s.ptime_ms) + " is not 10, 20, 40 or 60");
  s.duration_s = top.number("duration_s", 0.0, 0.0, kMaxScenarioSeconds);

  auto read_room = [&](const json::value& v, const std::string& path) {
    Reader r(v, path, s.source);
    r.allow({"name", "sample_rate_hz", "top_n", "max_legs"});
    RoomSpec room;
    room.name = r.string("name");
    if (room.name.empty()) r.fail(r.field("name"), "must not be empty");
    room.sample_rate_hz = r.integer("sample_rate_hz", 16000, 8000, 48000);
    if (!audio::is_supported_sample_rate(room.sample_rate_hz))
      r.fail(r.field("sample_rate_hz"), std::to_string(room.sample_rate_hz) + " is not 8000, 16000, 24000, 32000 or 48000");
    room.top_n = static_cast<std::size_t>(r.integer("top_n", 4, 1, 64));
    room.max_legs = static_cast<std::size_t>(r.integer("max_legs", 64, 1, 10000));
    if (s.room(room.name)) r.fail(r.field("name"), "room '" + room.name + "' is defined twice");
    s.rooms.push_back(std::move(room));
  };
  const json::object& obj = root.as_object();
  if (obj.contains("room") && obj.contains("rooms")) top.fail("$", "give either 'room' or 'rooms', not both");
  if (const json::value* r = obj.if_contains("room")) {
    read_room(*r, "room");
  } else if (obj.contains("rooms")) {
    const auto& rooms = array_field(obj, "rooms", s.source);
    for (std::size_t i = 0; i < rooms.size(); ++i) read_room(rooms[i], "rooms[" + std::to_string(i) + "]");
  }
  if (s.rooms.empty()) top.fail("$", "needs a 'room' object or a non-empty 'rooms' array");

  const codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();
  const auto& parts = array_field(obj, "participants", s.source);
  if (parts.size() > kMaxParticipants)
    top.fail("participants", "has " + std::to_string(parts.size()) + " entries, more than " +
                                 std::to_string(kMaxParticipants));
  std::vector<double> input_seconds;
  if (parts.empty()) top.fail("participants", "must list at least one participant");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string path = "participants[" + std::to_string(i) + "]";
    Reader r(parts[i], path, s.source);
    r.allow({"name", "room", "input", "input_start_s", "input_gain_db", "codec", "codec_rate_hz", "bitrate_bps", "fec",
             "dtx", "join_s", "leave_s", "talk_gain_db", "listen_gain_db", "agc", "always_talking", "muted", "deaf",
             "listen_only"});
    ParticipantSpec p;
    p.name = r.string("name");
    if (p.name.empty() || p.name.size() > 64 ||
        !std::all_of(p.name.begin(), p.name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }))
      r.fail(r.field("name"), "'" + p.name + "' must be 1..64 letters, digits, '_' or '-' (it names output files)");
    if (s.participant(p.name)) r.fail(r.field("name"), "participant '" + p.name + "' is defined twice");
    p.room = r.string("room", s.rooms.front().name);
    if (!s.room(p.room)) r.fail(r.field("room"), "no room named '" + p.room + "'");
    double input_s = 0.0;
    if (r.has("input")) {
      p.input = r.string("input");
      if (p.input.is_relative()) p.input = s.base_dir / p.input;
      if (!std::filesystem::exists(p.input)) r.fail(r.field("input"), "file '" + p.input.string() + "' does not exist");
      try {
        input_s = probe_audio_file(p.input).duration_s();
      } catch (const Error& e) {
        r.fail(r.field("input"), e.detail());
      }
    }
    p.codec = r.string("codec", std::string("PCMU"));
    if (!codecs.contains(p.codec)) {
      std::string known;
      for (auto& n : codecs.names()) known += (known.empty() ? "" : ", ") + n;
      r.fail(r.field("codec"), "unknown codec '" + p.codec + "' (known: " + known + ")");
    }
    p.codec_rate_hz = r.integer("codec_rate_hz", 0, 0, 48000);
    if (p.codec_rate_hz != 0 && !audio::is_supported_sample_rate(p.codec_rate_hz))
      r.fail(r.field("codec_rate_hz"), std::to_string(p.codec_rate_hz) + " is not 8000, 16000, 24000, 32000 or 48000");
    {
      // The codec must run at the rate the participant will use (opus has
      // no 32 kHz mode, G.711 is 8 kHz only): say so here, with the path.
      codec::CodecParams params;
      params.sample_rate_hz =
          engine::natural_codec_rate(p.codec, p.codec_rate_hz, s.room(p.room)->sample_rate_hz);
      try {
        (void)codecs.create_or_throw(p.codec, params);
      } catch (const Error& e) {
        r.fail(r.field(p.codec_rate_hz != 0 ? "codec_rate_hz" : "codec"), e.detail());
      }
    }
    p.bitrate_bps = r.integer("bitrate_bps", 0, 0, 510000);
    p.fec = r.boolean("fec", false);
    p.dtx = r.boolean("dtx", false);
    p.join_s = r.number("join_s", 0.0, 0.0, kMaxScenarioSeconds);
    if (r.has("leave_s")) {
      p.leave_s = r.number("leave_s", std::nullopt, 0.0, kMaxScenarioSeconds);
      if (*p.leave_s <= p.join_s)
        r.fail(r.field("leave_s"), std::to_string(*p.leave_s) + " is not after join_s " + std::to_string(p.join_s) +
                                       " (time going backwards)");
    }
    p.input_start_s = r.number("input_start_s", p.join_s, 0.0, kMaxScenarioSeconds);
    p.input_gain_db = r.number("input_gain_db", 0.0, -60.0, 40.0);
    p.talk_gain_db = r.number("talk_gain_db", 0.0, -60.0, 40.0);
    p.listen_gain_db = r.number("listen_gain_db", 0.0, -60.0, 40.0);
    p.agc = r.boolean("agc", true);
    p.always_talking = r.boolean("always_talking", false);
    p.muted = r.boolean("muted", false);
    p.deaf = r.boolean("deaf", false);
    p.listen_only = r.boolean("listen_only", false);
    input_seconds.push_back(input_s);
    s.participants.push_back(std::move(p));
  }

  if (obj.contains("timeline")) {
    const auto& tl = array_field(obj, "timeline", s.source);
    double last = 0;
    for (std::size_t i = 0; i < tl.size(); ++i) {
      const std::string path = "timeline[" + std::to_string(i) + "]";
      Reader r(tl[i], path, s.source);
      Action a;
      a.at_s = r.number("at_s", std::nullopt, 0.0, kMaxScenarioSeconds);
      if (a.at_s < last)
        r.fail(r.field("at_s"), std::to_string(a.at_s) + " is before the previous action's " + std::to_string(last) +
                                    " (time going backwards)");
      last = a.at_s;
      a.kind = action_kind(r, r.string("action"), r.field("action"));
      switch (a.kind) {
        case ActionKind::whisper:
          r.allow({"at_s", "action", "who", "to", "gain_db"});
          a.target = r.string("to");
          a.gain_db = r.number("gain_db", 0.0, -60.0, 20.0);
          break;
        case ActionKind::stop_whisper:
          r.allow({"at_s", "action", "who", "to"});
          a.target = r.string("to");
          break;
        case ActionKind::source_gain:
          r.allow({"at_s", "action", "who", "source", "gain_db"});
          a.target = r.string("source");
          a.gain_db = r.number("gain_db", std::nullopt, -60.0, 20.0);
          break;
        case ActionKind::move:
          r.allow({"at_s", "action", "who", "room"});
          a.target = r.string("room");
          if (!s.room(a.target)) r.fail(r.field("room"), "no room named '" + a.target + "'");
          break;
        case ActionKind::set_gain:
          r.allow({"at_s", "action", "who", "talk_gain_db", "listen_gain_db"});
          if (r.has("talk_gain_db")) a.talk_gain_db = r.number("talk_gain_db", std::nullopt, -60.0, 40.0);
          if (r.has("listen_gain_db")) a.listen_gain_db = r.number("listen_gain_db", std::nullopt, -60.0, 40.0);
          if (!a.talk_gain_db && !a.listen_gain_db) r.fail(path, "set_gain needs talk_gain_db or listen_gain_db");
          break;
        case ActionKind::dtmf:
          r.allow({"at_s", "action", "who", "digits"});
          a.digits = r.string("digits");
          if (a.digits.empty() || a.digits.size() > 32 ||
              a.digits.find_first_not_of("0123456789*#ABCD") != std::string::npos)
            r.fail(r.field("digits"), "'" + a.digits.substr(0, 40) + "' must be 1..32 of 0-9 * # A-D");
          break;
        case ActionKind::kick:
          r.allow({"at_s", "action", "who", "reason"});
          a.reason = r.string("reason", std::string("kicked"));
          break;
        default:
          r.allow({"at_s", "action", "who"});
      }
      a.who = r.string("who");
      if (!s.participant(a.who)) r.fail(r.field("who"), "no participant named '" + a.who + "'");
      if ((a.kind == ActionKind::whisper || a.kind == ActionKind::stop_whisper || a.kind == ActionKind::source_gain)) {
        if (!s.participant(a.target))
          r.fail(r.field(a.kind == ActionKind::source_gain ? "source" : "to"), "no participant named '" + a.target + "'");
        if (a.target == a.who) r.fail(path, "'" + a.who + "' cannot act on itself");
      }
      s.timeline.push_back(std::move(a));
    }
  }
  check_budget(s, input_seconds);
  return s;
}

}  // namespace libconf::scenario
