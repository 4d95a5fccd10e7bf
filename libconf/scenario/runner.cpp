#include "libconf/scenario/runner.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/dsp/dtmf_generator.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/file_transport.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

constexpr std::int64_t kUsPerS = 1000000;

std::int64_t to_us(double s) { return static_cast<std::int64_t>(std::llround(s * kUsPerS)); }
double to_s(std::int64_t us) { return static_cast<double>(us) / kUsPerS; }

struct Live {
  const ParticipantSpec* spec = nullptr;
  int codec_rate = 8000;
  std::vector<std::int16_t> input;
  std::vector<std::int16_t> heard;
  engine::LegId leg = engine::kNoLeg;
  FileTransport* transport = nullptr;  // owned by the engine's leg
  mix::LegMixState mix;
  bool joined = false, left = false;
  std::int64_t talk_started_us = -1;
  ParticipantResult result;
  std::uint64_t sent = 0, received = 0;
};

// Mixes in-band DTMF for each dtmf action into the participant's input.
void add_dtmf(Live& p, const Action& a) {
  dsp::DtmfGeneratorConfig g;
  g.sample_rate_hz = p.codec_rate;
  g.level_dbm0 = -8.0;
  g.on_ms = 100;
  g.off_ms = 100;
  dsp::DtmfGenerator gen(g);
  if (!gen.queue(a.digits)) throw Error(errc::invalid_argument, "dtmf digits '" + a.digits + "'");
  const std::size_t total = a.digits.size() * static_cast<std::size_t>(p.codec_rate / 1000 * 200);
  std::vector<std::int16_t> tones(total);
  gen.generate(tones);
  const double offset_s = std::max(0.0, a.at_s - p.spec->input_start_s);
  const auto start = static_cast<std::size_t>(std::llround(offset_s * p.codec_rate));
  if (p.input.size() < start + total) p.input.resize(start + total, 0);
  for (std::size_t i = 0; i < total; ++i)
    p.input[start + i] = static_cast<std::int16_t>(std::clamp(p.input[start + i] + tones[i], -32768, 32767));
}

class Writer {
 public:
  explicit Writer(const std::filesystem::path& path) : out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw Error(errc::io_error, path.string() + ": cannot write");
  }
  void line(const json::object& o) { out_ << json::serialize(o) << '\n'; }
  void flush() { out_.flush(); }

 private:
  std::ofstream out_;
};

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

RunResult run_scenario(const Scenario& sc, const std::filesystem::path& out_dir, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  std::error_code fs_error;
  std::filesystem::create_directories(out_dir, fs_error);
  if (fs_error) throw Error(errc::io_error, out_dir.string() + ": cannot create output folder: " + fs_error.message());

  auto clock = std::make_shared<engine::VirtualClock>(0);
  engine::EngineConfig ec;
  ec.workers = options.workers;
  ec.ptime_ms = sc.ptime_ms;
  ec.clock = clock;
  engine::Engine eng(std::move(ec));
  const codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();

  std::map<std::string, engine::RoomId> room_ids;
  std::map<engine::RoomId, std::string> room_names;
  for (const RoomSpec& r : sc.rooms) {
    engine::RoomConfig rc;
    rc.name = r.name;
    rc.sample_rate_hz = r.sample_rate_hz;
    rc.top_n = r.top_n;
    rc.max_legs = r.max_legs;
    std::string why;
    const auto created = eng.create_room(rc, &why);
    if (!created) throw Error(errc::invalid_argument, sc.source + ": rooms '" + r.name + "': " + why);
    const engine::RoomId id = *created;
    room_ids[r.name] = id;
    room_names[id] = r.name;
  }

  // Inputs, at each participant's codec rate.
  std::vector<Live> live(sc.participants.size());
  double end_s = 1.0;
  for (std::size_t i = 0; i < live.size(); ++i) {
    Live& p = live[i];
    p.spec = &sc.participants[i];
    const RoomSpec* room = sc.room(p.spec->room);
    p.codec_rate = engine::natural_codec_rate(p.spec->codec, p.spec->codec_rate_hz, room->sample_rate_hz);
    if (!p.spec->input.empty()) {
      try {
        p.input = read_audio_file(p.spec->input, p.codec_rate).samples;
      } catch (const Error& e) {
        throw Error(e.code_enum(), sc.source + ": participants '" + p.spec->name + "': " + e.what());
      }
      if (p.spec->input_gain_db != 0.0) {
        const double g = audio::db_to_gain(p.spec->input_gain_db);
        for (auto& s : p.input) s = static_cast<std::int16_t>(std::clamp(std::lround(s * g), -32768L, 32767L));
      }
    }
    for (const Action& a : sc.timeline)
      if (a.kind == ActionKind::dtmf && a.who == p.spec->name) add_dtmf(p, a);
    const double input_end = p.spec->input_start_s + static_cast<double>(p.input.size()) / p.codec_rate;
    end_s = std::max({end_s, p.spec->join_s + 1.0, p.spec->leave_s.value_or(input_end + 0.5)});
    p.mix.muted = p.spec->muted;
    p.mix.deaf = p.spec->deaf;
    p.mix.listen_only = p.spec->listen_only;
    p.mix.talk_gain_db = static_cast<float>(p.spec->talk_gain_db);
    p.mix.listen_gain_db = static_cast<float>(p.spec->listen_gain_db);
    p.result.name = p.spec->name;
    p.result.sample_rate_hz = p.codec_rate;
  }
  for (const Action& a : sc.timeline) end_s = std::max(end_s, a.at_s + 1.0);
  if (sc.duration_s > 0) end_s = sc.duration_s;
  const std::int64_t ptime_us = static_cast<std::int64_t>(sc.ptime_ms) * 1000;
  const auto ticks = static_cast<std::uint64_t>((to_us(end_s) + ptime_us - 1) / ptime_us);
  const std::int64_t end_us = static_cast<std::int64_t>(ticks) * ptime_us;
  for (Live& p : live) p.heard.assign(static_cast<std::size_t>(to_s(end_us) * p.codec_rate), 0);

  std::map<engine::LegId, Live*> by_leg;
  auto find = [&](const std::string& name) -> Live& {
    for (Live& p : live)
      if (p.spec->name == name) return p;
    throw Error(errc::not_found, sc.source + ": no participant '" + name + "'");
  };

  Writer events(out_dir / "events.jsonl");
  RunResult result;
  result.out_dir = out_dir;
  auto log_action = [&](std::int64_t now, const Action& a, const char* outcome) {
    json::object o{{"t", round3(to_s(now))}, {"event", "action"}, {"action", to_string(a.kind)}, {"who", a.who}};
    if (!a.target.empty()) o["target"] = a.target;
    if (!a.digits.empty()) o["digits"] = a.digits;
    if (a.kind == ActionKind::kick) o["reason"] = a.reason;
    o["result"] = outcome;
    events.line(o);
    ++result.events;
  };

  auto leave = [&](Live& p, const std::string& reason) {
    if (!p.joined || p.left) return;
    (void)eng.remove_leg(p.leg);
    p.left = true;
    p.result.exit_reason = reason;
  };

  std::size_t next_action = 0;
  std::array<engine::Event, 1024> evbuf;
  std::uint64_t last_progress = 0;
  for (std::uint64_t t = 0; t < ticks; ++t) {
    const std::int64_t now = clock->now_us();
    for (Live& p : live) {
      if (!p.joined && now >= to_us(p.spec->join_s)) {
        auto enc = codecs.create(p.spec->codec, {});
        engine::LegConfig lc;
        lc.name = p.spec->name;
        lc.codec = p.spec->codec;
        lc.codec_rate_hz = p.codec_rate;
        lc.codec_params.bitrate_bps = p.spec->bitrate_bps;
        lc.codec_params.fec = p.spec->fec;
        lc.codec_params.dtx = p.spec->dtx;
        lc.mix = p.mix;
        lc.processing.agc = p.spec->agc;
        codec::CodecParams params = lc.codec_params;
        params.sample_rate_hz = p.codec_rate;
        params.ptime_ms = sc.ptime_ms;
        auto phone_enc = codecs.create(p.spec->codec, params);
        auto phone_dec = codecs.create(p.spec->codec, params);
        if (!phone_enc || !phone_dec)
          throw Error(errc::codec_error, sc.source + ": participant '" + p.spec->name + "': codec " + p.spec->codec +
                                             " at " + std::to_string(p.codec_rate) + " Hz: " +
                                             (phone_enc ? phone_dec.error() : phone_enc.error()).message());
        auto transport = std::make_unique<FileTransport>(std::move(*phone_enc), std::move(*phone_dec),
                                                         p.input, to_us(p.spec->input_start_s), p.heard, 0,
                                                         sc.ptime_ms);
        p.transport = transport.get();
        lc.transport = std::move(transport);
        auto leg = eng.add_leg(room_ids.at(p.spec->room), std::move(lc));
        if (!leg)
          throw Error(errc::invalid_argument, sc.source + ": participant '" + p.spec->name +
                                                  "' could not join: " + leg.error().message());
        p.leg = *leg;
        by_leg[p.leg] = &p;
        p.joined = true;
      }
      if (p.joined && !p.left && p.spec->leave_s && now >= to_us(*p.spec->leave_s)) {
        p.sent = p.transport->packets_sent();
        p.received = p.transport->packets_received();
        leave(p, "hangup");
      }
    }
    while (next_action < sc.timeline.size() && to_us(sc.timeline[next_action].at_s) <= now) {
      const Action& a = sc.timeline[next_action++];
      Live& p = find(a.who);
      if (a.kind == ActionKind::dtmf) {  // already mixed into the input
        log_action(now, a, "typed");
        continue;
      }
      if (!p.joined || p.left) {
        log_action(now, a, "ignored: not in a room");
        continue;
      }
      Result<void> r;
      switch (a.kind) {
        case ActionKind::mute: p.mix.muted = true; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::unmute: p.mix.muted = false; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::deaf: p.mix.deaf = true; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::undeaf: p.mix.deaf = false; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::listen_in: p.mix.listen_only = true; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::stop_listen_in: p.mix.listen_only = false; r = eng.set_mix_state(p.leg, p.mix); break;
        case ActionKind::set_gain:
          if (a.talk_gain_db) p.mix.talk_gain_db = static_cast<float>(*a.talk_gain_db);
          if (a.listen_gain_db) p.mix.listen_gain_db = static_cast<float>(*a.listen_gain_db);
          r = eng.set_mix_state(p.leg, p.mix);
          break;
        case ActionKind::whisper: {
          Live& to = find(a.target);
          r = to.joined && !to.left ? eng.add_whisper(p.leg, to.leg, static_cast<float>(a.gain_db))
                                    : Result<void>{errc::not_found};
          break;
        }
        case ActionKind::stop_whisper: {
          Live& to = find(a.target);
          r = to.joined && !to.left ? eng.remove_whisper(p.leg, to.leg) : Result<void>{errc::not_found};
          break;
        }
        case ActionKind::source_gain: {
          Live& src = find(a.target);
          r = src.joined && !src.left ? eng.set_source_gain(p.leg, src.leg, static_cast<float>(a.gain_db))
                                      : Result<void>{errc::not_found};
          break;
        }
        case ActionKind::move: r = eng.move_leg(p.leg, room_ids.at(a.target)); break;
        case ActionKind::kick:
          p.sent = p.transport->packets_sent();
          p.received = p.transport->packets_received();
          leave(p, "kicked: " + a.reason);
          break;
        case ActionKind::dtmf: break;
      }
      log_action(now, a, r ? "ok" : r.error().message().c_str());
    }

    eng.tick().value();

    for (std::size_t n; (n = eng.poll_events(evbuf)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) {
        const engine::Event& e = evbuf[i];
        json::object o{{"t", round3(to_s(e.time_us))}, {"event", engine::to_string(e.kind)}};
        if (e.room != engine::kNoRoom) o["room"] = room_names.count(e.room) ? room_names[e.room] : std::to_string(e.room);
        Live* p = by_leg.count(e.leg) ? by_leg[e.leg] : nullptr;
        if (p) o["participant"] = p->spec->name;
        if (e.other_room != engine::kNoRoom) o["from_room"] = room_names[e.other_room];
        if (e.other_leg != engine::kNoLeg && by_leg.count(e.other_leg)) o["other"] = by_leg[e.other_leg]->spec->name;
        if (e.digit) o["digit"] = std::string(1, e.digit);
        if (e.kind == engine::EventKind::dtmf_started) o["source"] = e.value == 1 ? "rfc4733" : "inband";
        if (e.kind == engine::EventKind::dtmf_ended) o["duration_ms"] = e.value;
        if (e.kind == engine::EventKind::mix_state_changed) {
          o["muted"] = (e.value & engine::kFlagMuted) != 0;
          o["deaf"] = (e.value & engine::kFlagDeaf) != 0;
          o["listen_only"] = (e.value & engine::kFlagListenOnly) != 0;
        }
        if (e.kind == engine::EventKind::source_gain_changed) o["gain_db"] = e.value / 100.0;
        if (e.kind == engine::EventKind::command_failed)
          o["error"] = std::error_code(make_error_code(e.error)).message();
        events.line(o);
        ++result.events;
        if (!p) continue;
        if (e.kind == engine::EventKind::talking_started) {
          p->talk_started_us = e.time_us;
          ++p->result.talk_spurts;
        } else if (e.kind == engine::EventKind::talking_stopped && p->talk_started_us >= 0) {
          p->result.talk_s += to_s(e.time_us - p->talk_started_us);
          p->talk_started_us = -1;
        } else if (e.kind == engine::EventKind::dtmf_ended) {
          p->result.digits.push_back(e.digit);
        }
      }
    }
    if (options.progress && (t - last_progress) * 100 >= ticks) {
      last_progress = t;
      options.progress(static_cast<double>(t + 1) / static_cast<double>(ticks));
    }
  }
  for (Live& p : live) {
    if (p.joined && !p.left) {
      p.sent = p.transport->packets_sent();
      p.received = p.transport->packets_received();
      leave(p, "scenario ended");
    }
  }
  eng.tick().value();  // apply the leaves, emit the final events
  for (std::size_t n; (n = eng.poll_events(evbuf)) > 0;) {
    for (std::size_t i = 0; i < n; ++i) {
      const engine::Event& e = evbuf[i];
      Live* p = by_leg.count(e.leg) ? by_leg[e.leg] : nullptr;
      json::object o{{"t", round3(to_s(e.time_us))}, {"event", engine::to_string(e.kind)}};
      if (e.room != engine::kNoRoom) o["room"] = room_names[e.room];
      if (p) o["participant"] = p->spec->name;
      events.line(o);
      ++result.events;
      if (p && e.kind == engine::EventKind::talking_stopped && p->talk_started_us >= 0) {
        p->result.talk_s += to_s(e.time_us - p->talk_started_us);
        p->talk_started_us = -1;
      }
    }
  }
  events.flush();
  if (options.progress) options.progress(1.0);

  json::array summary_parts;
  for (Live& p : live) {
    p.result.heard_wav = out_dir / (p.spec->name + ".wav");
    write_wav(p.result.heard_wav, p.heard, p.codec_rate);
    p.result.heard_level_dbfs = audio::rms_dbfs(p.heard);
    p.result.packets_sent = p.sent;
    p.result.packets_received = p.received;
    if (p.result.exit_reason.empty()) p.result.exit_reason = p.joined ? "scenario ended" : "never joined";
    summary_parts.push_back(json::object{
        {"name", p.spec->name},
        {"codec", p.spec->codec},
        {"codec_rate_hz", p.codec_rate},
        {"room", p.spec->room},
        {"join_s", p.spec->join_s},
        {"exit_reason", p.result.exit_reason},
        {"talk_s", round3(p.result.talk_s)},
        {"talk_spurts", p.result.talk_spurts},
        {"dtmf_digits", p.result.digits},
        {"packets_sent", p.result.packets_sent},
        {"packets_received", p.result.packets_received},
        {"heard_file", p.spec->name + ".wav"},
        {"heard_level_dbfs", round3(p.result.heard_level_dbfs)},
    });
    result.participants.push_back(p.result);
  }
  json::array summary_rooms;
  for (const RoomSpec& r : sc.rooms)
    summary_rooms.push_back(json::object{{"name", r.name}, {"sample_rate_hz", r.sample_rate_hz},
                                         {"top_n", r.top_n}, {"max_legs", r.max_legs}});
  json::object summary{{"scenario", std::filesystem::path(sc.source).filename().string()},
                       {"duration_s", round3(to_s(end_us))},
                       {"ptime_ms", sc.ptime_ms},
                       {"ticks", ticks},
                       {"events", result.events},
                       {"rooms", summary_rooms},
                       {"participants", summary_parts}};
  {
    std::ofstream out(out_dir / "summary.json", std::ios::binary | std::ios::trunc);
    if (!out) throw Error(errc::io_error, (out_dir / "summary.json").string() + ": cannot write");
    out << json::serialize(summary) << '\n';
  }
  result.duration_s = to_s(end_us);
  result.ticks = ticks;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace libconf::scenario
