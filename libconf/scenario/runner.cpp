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
#include "libconf/scenario/json_text.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

constexpr std::int64_t kUsPerS = 1000000;

std::int64_t to_us(double s) { return static_cast<std::int64_t>(std::llround(s * kUsPerS)); }
double to_s(std::int64_t us) { return static_cast<double>(us) / kUsPerS; }
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// One participant during the run. Its phone's counters are shared with the
// transport the engine owns: the runner never points into engine objects,
// which the engine may destroy (a refused join, a leg removed).
struct Live {
  const ParticipantSpec* spec = nullptr;
  int codec_rate = 8000;
  std::vector<std::int16_t> input;
  std::vector<std::int16_t> heard;
  engine::LegId leg = engine::kNoLeg;
  std::shared_ptr<const FileTransport::Counters> counters;
  mix::LegMixState mix;
  bool joined = false, left = false;
  std::int64_t talk_started_us = -1;
  ParticipantResult result;
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
  void line(const json::object& o) { out_ << detail::to_json_text(o) << '\n'; }
  void flush() { out_.flush(); }

 private:
  std::ofstream out_;
};

// The run, step by step: set_up() (rooms, inputs, duration), then per tick
// join_and_leave(), apply_actions(), the engine's tick and log_events(), then
// finish() and write_summary().
class Run {
 public:
  Run(const Scenario& sc, const std::filesystem::path& out_dir, const RunOptions& options)
      : sc_(sc), out_dir_(out_dir), options_(options), events_(prepare_dir(out_dir) / "events.jsonl") {
    result_.out_dir = out_dir;
  }

  RunResult run() {
    const auto wall_start = std::chrono::steady_clock::now();
    set_up();
    std::uint64_t last_progress = 0;
    for (std::uint64_t t = 0; t < ticks_; ++t) {
      const std::int64_t now = clock_->now_us();
      join_and_leave(now);
      apply_actions(now);
      engine_.tick().value();
      log_events(false);
      if (options_.progress && (t - last_progress) * 100 >= ticks_) {
        last_progress = t;
        options_.progress(static_cast<double>(t + 1) / static_cast<double>(ticks_));
      }
    }
    finish();
    if (options_.progress) options_.progress(1.0);
    write_summary();
    result_.duration_s = to_s(end_us_);
    result_.ticks = ticks_;
    result_.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    return std::move(result_);
  }

 private:
  static const std::filesystem::path& prepare_dir(const std::filesystem::path& dir) {
    std::error_code fs_error;
    std::filesystem::create_directories(dir, fs_error);
    if (fs_error) throw Error(errc::io_error, dir.string() + ": cannot create output folder: " + fs_error.message());
    return dir;
  }
  static engine::EngineConfig engine_config(const Scenario& sc, const RunOptions& options,
                                            std::shared_ptr<engine::VirtualClock> clock) {
    engine::EngineConfig ec;
    ec.workers = options.workers;
    ec.ptime_ms = sc.ptime_ms;
    ec.clock = std::move(clock);
    return ec;
  }

  void set_up() {
    create_rooms();
    load_inputs();
    for (const Action& a : sc_.timeline) end_s_ = std::max(end_s_, a.at_s + 1.0);
    if (sc_.duration_s > 0) end_s_ = sc_.duration_s;
    const std::int64_t ptime_us = static_cast<std::int64_t>(sc_.ptime_ms) * 1000;
    ticks_ = static_cast<std::uint64_t>((to_us(end_s_) + ptime_us - 1) / ptime_us);
    end_us_ = static_cast<std::int64_t>(ticks_) * ptime_us;
    for (Live& p : live_) p.heard.assign(static_cast<std::size_t>(to_s(end_us_) * p.codec_rate), 0);
  }

  void create_rooms() {
    for (const RoomSpec& r : sc_.rooms) {
      engine::RoomConfig rc;
      rc.name = r.name;
      rc.sample_rate_hz = r.sample_rate_hz;
      rc.top_n = r.top_n;
      rc.max_legs = r.max_legs;
      std::string why;
      const auto id = engine_.create_room(rc, &why);
      if (!id) throw Error(static_cast<errc>(id.error().value()), sc_.source + ": rooms '" + r.name + "': " + why);
      room_ids_[r.name] = *id;
      room_names_[*id] = r.name;
    }
  }

  // Inputs at each participant's codec rate, DTMF mixed in; the run's length.
  void load_inputs() {
    live_.resize(sc_.participants.size());
    for (std::size_t i = 0; i < live_.size(); ++i) {
      Live& p = live_[i];
      p.spec = &sc_.participants[i];
      const RoomSpec* room = sc_.room(p.spec->room);
      p.codec_rate = engine::natural_codec_rate(p.spec->codec, p.spec->codec_rate_hz, room->sample_rate_hz);
      if (!p.spec->input.empty()) {
        try {
          p.input = read_audio_file(p.spec->input, p.codec_rate).samples;
        } catch (const Error& e) {
          throw Error(e.code_enum(), sc_.source + ": participants '" + p.spec->name + "': " + e.detail());
        }
        if (p.spec->input_gain_db != 0.0) {
          const double g = audio::db_to_gain(p.spec->input_gain_db);
          for (auto& s : p.input) s = static_cast<std::int16_t>(std::clamp(std::lround(s * g), -32768L, 32767L));
        }
      }
      for (const Action& a : sc_.timeline)
        if (a.kind == ActionKind::dtmf && a.who == p.spec->name) add_dtmf(p, a);
      const double input_end = p.spec->input_start_s + static_cast<double>(p.input.size()) / p.codec_rate;
      end_s_ = std::max({end_s_, p.spec->join_s + 1.0, p.spec->leave_s.value_or(input_end + 0.5)});
      p.mix.muted = p.spec->muted;
      p.mix.deaf = p.spec->deaf;
      p.mix.listen_only = p.spec->listen_only;
      p.mix.talk_gain_db = static_cast<float>(p.spec->talk_gain_db);
      p.mix.listen_gain_db = static_cast<float>(p.spec->listen_gain_db);
      p.result.name = p.spec->name;
      p.result.sample_rate_hz = p.codec_rate;
    }
  }

  Live& find(const std::string& name) {
    for (Live& p : live_)
      if (p.spec->name == name) return p;
    throw Error(errc::not_found, sc_.source + ": no participant '" + name + "'");
  }

  // The participant's phone and its leg. A refused join (a full room) is an
  // outcome of the scenario, logged, not an error of the run.
  void join(Live& p, std::int64_t now) {
    p.joined = true;
    engine::LegConfig lc;
    lc.name = p.spec->name;
    lc.codec = p.spec->codec;
    lc.codec_rate_hz = p.codec_rate;
    lc.codec_params.bitrate_bps = p.spec->bitrate_bps;
    lc.codec_params.fec = p.spec->fec;
    lc.codec_params.dtx = p.spec->dtx;
    lc.mix = p.mix;
    lc.processing.agc = p.spec->agc;
    lc.processing.always_talking = p.spec->always_talking;
    codec::CodecParams params = lc.codec_params;
    params.sample_rate_hz = p.codec_rate;
    params.ptime_ms = sc_.ptime_ms;
    auto phone_enc = codecs_.create(p.spec->codec, params);
    auto phone_dec = codecs_.create(p.spec->codec, params);
    if (!phone_enc || !phone_dec)
      throw Error(errc::codec_error, sc_.source + ": participant '" + p.spec->name + "': codec " + p.spec->codec +
                                         " at " + std::to_string(p.codec_rate) + " Hz: " +
                                         (phone_enc ? phone_dec.error() : phone_enc.error()).message());
    auto transport = std::make_unique<FileTransport>(std::move(*phone_enc), std::move(*phone_dec), p.input,
                                                     to_us(p.spec->input_start_s), p.heard, 0, sc_.ptime_ms);
    p.counters = transport->counters();
    lc.transport = std::move(transport);
    std::string why;
    auto leg = engine_.add_leg(room_ids_.at(p.spec->room), std::move(lc), &why);
    if (!leg) {
      if (leg.error() != errc::capacity_exceeded)
        throw Error(errc::invalid_argument, sc_.source + ": participant '" + p.spec->name + "' could not join: " +
                                                (why.empty() ? leg.error().message() : why));
      p.left = true;
      p.result.exit_reason = "refused: " + why;
      events_.line({{"t", round3(to_s(now))}, {"event", "join_refused"}, {"room", p.spec->room},
                    {"participant", p.spec->name}, {"error", why}});
      ++result_.events;
      return;
    }
    p.leg = *leg;
    by_leg_[p.leg] = &p;
  }

  void leave(Live& p, const std::string& reason) {
    if (!p.joined || p.left) return;
    (void)engine_.remove_leg(p.leg);
    p.left = true;
    p.result.exit_reason = reason;
  }

  void join_and_leave(std::int64_t now) {
    for (Live& p : live_) {
      if (!p.joined && now >= to_us(p.spec->join_s)) join(p, now);
      if (p.joined && !p.left && p.spec->leave_s && now >= to_us(*p.spec->leave_s)) leave(p, "hangup");
    }
  }

  void log_action(std::int64_t now, const Action& a, const char* outcome) {
    json::object o{{"t", round3(to_s(now))}, {"event", "action"}, {"action", to_string(a.kind)}, {"who", a.who}};
    if (!a.target.empty()) o["target"] = a.target;
    if (!a.digits.empty()) o["digits"] = a.digits;
    if (a.kind == ActionKind::kick) o["reason"] = a.reason;
    o["result"] = outcome;
    events_.line(o);
    ++result_.events;
  }

  // A pair action (whisper, source gain) on another participant in the call.
  template <class F>
  Result<void> with_other(const std::string& name, F&& f) {
    Live& other = find(name);
    return other.joined && !other.left ? f(other) : Result<void>{errc::not_found};
  }

  Result<void> apply(Live& p, const Action& a) {
    auto set_mix = [&](auto change) {
      change(p.mix);
      return engine_.set_mix_state(p.leg, p.mix);
    };
    switch (a.kind) {
      case ActionKind::mute: return set_mix([](auto& m) { m.muted = true; });
      case ActionKind::unmute: return set_mix([](auto& m) { m.muted = false; });
      case ActionKind::deaf: return set_mix([](auto& m) { m.deaf = true; });
      case ActionKind::undeaf: return set_mix([](auto& m) { m.deaf = false; });
      case ActionKind::listen_in: return set_mix([](auto& m) { m.listen_only = true; });
      case ActionKind::stop_listen_in: return set_mix([](auto& m) { m.listen_only = false; });
      case ActionKind::set_gain:
        return set_mix([&](auto& m) {
          if (a.talk_gain_db) m.talk_gain_db = static_cast<float>(*a.talk_gain_db);
          if (a.listen_gain_db) m.listen_gain_db = static_cast<float>(*a.listen_gain_db);
        });
      case ActionKind::whisper:
        return with_other(a.target, [&](Live& to) { return engine_.add_whisper(p.leg, to.leg, static_cast<float>(a.gain_db)); });
      case ActionKind::stop_whisper:
        return with_other(a.target, [&](Live& to) { return engine_.remove_whisper(p.leg, to.leg); });
      case ActionKind::source_gain:
        return with_other(a.target,
                          [&](Live& src) { return engine_.set_source_gain(p.leg, src.leg, static_cast<float>(a.gain_db)); });
      case ActionKind::move: return engine_.move_leg(p.leg, room_ids_.at(a.target));
      case ActionKind::kick: leave(p, "kicked: " + a.reason); return {};
      case ActionKind::dtmf: return {};
    }
    return {};
  }

  void apply_actions(std::int64_t now) {
    while (next_action_ < sc_.timeline.size() && to_us(sc_.timeline[next_action_].at_s) <= now) {
      const Action& a = sc_.timeline[next_action_++];
      Live& p = find(a.who);
      if (a.kind == ActionKind::dtmf) {  // already mixed into the input
        log_action(now, a, "typed");
        continue;
      }
      if (!p.joined || p.left) {
        log_action(now, a, "ignored: not in a room");
        continue;
      }
      const Result<void> r = apply(p, a);
      log_action(now, a, r ? "ok" : r.error().message().c_str());
    }
  }

  Live* participant_of(engine::LegId leg) {
    auto it = by_leg_.find(leg);
    return it == by_leg_.end() ? nullptr : it->second;
  }

  void log_event(const engine::Event& e, bool final_drain) {
    json::object o{{"t", round3(to_s(e.time_us))}, {"event", engine::to_string(e.kind)}};
    if (e.room != engine::kNoRoom) o["room"] = room_names_.count(e.room) ? room_names_[e.room] : std::to_string(e.room);
    Live* p = participant_of(e.leg);
    if (p) o["participant"] = p->spec->name;
    if (!final_drain) {
      if (e.other_room != engine::kNoRoom) o["from_room"] = room_names_[e.other_room];
      if (Live* other = participant_of(e.other_leg)) o["other"] = other->spec->name;
      if (e.digit) o["digit"] = std::string(1, e.digit);
      if (e.kind == engine::EventKind::dtmf_started) o["source"] = e.value == 1 ? "rfc4733" : "inband";
      if (e.kind == engine::EventKind::dtmf_ended) o["duration_ms"] = e.value;
      if (e.kind == engine::EventKind::mix_state_changed) {
        o["muted"] = (e.value & engine::kFlagMuted) != 0;
        o["deaf"] = (e.value & engine::kFlagDeaf) != 0;
        o["listen_only"] = (e.value & engine::kFlagListenOnly) != 0;
      }
      if (e.kind == engine::EventKind::source_gain_changed) o["gain_db"] = e.value / 100.0;
      if (e.kind == engine::EventKind::command_failed) o["error"] = std::error_code(make_error_code(e.error)).message();
    }
    events_.line(o);
    ++result_.events;
    if (!p) return;
    if (e.kind == engine::EventKind::talking_started && !final_drain) {
      p->talk_started_us = e.time_us;
      ++p->result.talk_spurts;
    } else if (e.kind == engine::EventKind::talking_stopped && p->talk_started_us >= 0) {
      p->result.talk_s += to_s(e.time_us - p->talk_started_us);
      p->talk_started_us = -1;
    } else if (e.kind == engine::EventKind::dtmf_ended && !final_drain) {
      p->result.digits.push_back(e.digit);
    }
  }

  void log_events(bool final_drain) {
    for (std::size_t n; (n = engine_.poll_events(evbuf_)) > 0;)
      for (std::size_t i = 0; i < n; ++i) log_event(evbuf_[i], final_drain);
  }

  // Everyone still in the call hangs up; the last tick applies it.
  void finish() {
    for (Live& p : live_) leave(p, "scenario ended");
    engine_.tick().value();
    log_events(true);
    events_.flush();
  }

  void write_summary() {
    json::array summary_parts;
    for (Live& p : live_) {
      p.result.heard_wav = out_dir_ / (p.spec->name + ".wav");
      write_wav(p.result.heard_wav, p.heard, p.codec_rate);
      p.result.heard_level_dbfs = audio::rms_dbfs(p.heard);
      if (p.counters) {
        p.result.packets_sent = p.counters->packets_sent.load(std::memory_order_relaxed);
        p.result.packets_received = p.counters->packets_received.load(std::memory_order_relaxed);
      }
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
      result_.participants.push_back(p.result);
    }
    json::array summary_rooms;
    for (const RoomSpec& r : sc_.rooms)
      summary_rooms.push_back(json::object{{"name", r.name}, {"sample_rate_hz", r.sample_rate_hz},
                                           {"top_n", r.top_n}, {"max_legs", r.max_legs}});
    json::object summary{{"scenario", std::filesystem::path(sc_.source).filename().string()},
                         {"duration_s", round3(to_s(end_us_))},
                         {"ptime_ms", sc_.ptime_ms},
                         {"ticks", ticks_},
                         {"events", result_.events},
                         {"rooms", summary_rooms},
                         {"participants", summary_parts}};
    std::ofstream out(out_dir_ / "summary.json", std::ios::binary | std::ios::trunc);
    if (!out) throw Error(errc::io_error, (out_dir_ / "summary.json").string() + ": cannot write");
    out << detail::to_json_text(summary) << '\n';
  }

  const Scenario& sc_;
  std::filesystem::path out_dir_;
  const RunOptions& options_;
  Writer events_;
  RunResult result_;
  // Declared before the engine: the phones' buffers outlive every leg.
  std::vector<Live> live_;
  std::shared_ptr<engine::VirtualClock> clock_ = std::make_shared<engine::VirtualClock>(0);
  engine::Engine engine_{engine_config(sc_, options_, clock_)};
  const codec::CodecRegistry codecs_ = codec::CodecRegistry::with_builtin_codecs();
  std::map<std::string, engine::RoomId> room_ids_;
  std::map<engine::RoomId, std::string> room_names_;
  std::map<engine::LegId, Live*> by_leg_;
  std::size_t next_action_ = 0;
  std::array<engine::Event, 1024> evbuf_;
  double end_s_ = 1.0;
  std::uint64_t ticks_ = 0;
  std::int64_t end_us_ = 0;
};

}  // namespace

RunResult run_scenario(const Scenario& sc, const std::filesystem::path& out_dir, const RunOptions& options) {
  return Run(sc, out_dir, options).run();
}

}  // namespace libconf::scenario
