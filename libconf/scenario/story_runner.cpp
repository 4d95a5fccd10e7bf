// Runs a Story through service::ConferenceService and the real engine on a
// virtual clock, with simulated phones (FileTransport) and a simulated Dialer.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>

#include "libconf/audio/level.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/dsp/dtmf_generator.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/menu.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/file_transport.hpp"
#include "libconf/scenario/json_text.hpp"
#include "libconf/scenario/story.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

constexpr int kPtimeMs = 20;
constexpr std::int64_t kUsPerS = 1'000'000;
constexpr double kBusyAfterS = 1.0;  // a busy or unknown number fails this long after the dial

std::int64_t to_us(double s) { return static_cast<std::int64_t>(std::llround(s * kUsPerS)); }
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

struct Phone {
  std::string name;
  std::string codec;
  int rate = 8000;
  std::vector<std::int16_t> input;  // from story time 0
  std::vector<std::int16_t> heard;  // from story time 0
  const StoryCall* call_spec = nullptr;
  const StoryDialTarget* target = nullptr;
  service::CallId call = service::kNoCall;
  bool started = false, ended = false;
  std::optional<double> hangup_s;
};

void build_input(Phone& p, const StoryInput& in, const std::vector<StoryDtmf>& dtmf, const Story& story,
                 std::size_t total) {
  p.input.assign(total, 0);
  if (!in.file.empty()) {
    AudioBuffer b;
    try {
      b = read_audio_file(in.file, p.rate);
    } catch (const Error& e) {
      throw Error(e.code_enum(), story.source + ": '" + p.name + "'.input: " + e.detail());
    }
    const double start_s = p.call_spec ? p.call_spec->at_s : 0.0;
    const auto at = static_cast<std::size_t>(std::llround(start_s * p.rate));
    for (std::size_t i = 0; i < b.samples.size() && at + i < total; ++i) p.input[at + i] = b.samples[i];
  } else if (in.tone_hz > 0) {
    const double amp = audio::db_to_gain(in.tone_dbfs) * 32767.0 * std::numbers::sqrt2;
    const double w = 2.0 * std::numbers::pi * in.tone_hz / p.rate;
    for (std::size_t i = 0; i < total; ++i) {
      const double t = static_cast<double>(i) / p.rate;
      bool on = in.talk.empty();
      for (const auto& [a, b] : in.talk) on = on || (t >= a && t < b);
      if (on) p.input[i] = static_cast<std::int16_t>(std::lround(amp * std::sin(w * static_cast<double>(i))));
    }
  }
  for (const StoryDtmf& d : dtmf) {
    dsp::DtmfGeneratorConfig g;
    g.sample_rate_hz = p.rate;
    dsp::DtmfGenerator gen(g);
    if (!gen.queue(d.digits)) throw Error(errc::invalid_argument, story.source + ": '" + p.name + "'.dtmf '" + d.digits + "'");
    std::vector<std::int16_t> tones(d.digits.size() * static_cast<std::size_t>(p.rate / 1000 * 200));
    gen.generate(tones);
    const auto at = static_cast<std::size_t>(std::llround(d.at_s * p.rate));
    for (std::size_t i = 0; i < tones.size() && at + i < total; ++i)
      p.input[at + i] = static_cast<std::int16_t>(std::clamp(p.input[at + i] + tones[i], -32768, 32767));
  }
}

class SimDialer final : public service::Dialer {
 public:
  struct Pending {
    service::DialId id;
    const StoryDialTarget* target;  // null: unknown number
    std::string number;
    std::int64_t dialed_us;
  };
  SimDialer(const Story& story, const engine::Clock& clock) : story_(story), clock_(clock) {}
  Result<service::DialId> dial(const std::string& number, const std::string& caller_id, std::int64_t) override {
    const StoryDialTarget* t = nullptr;
    for (const auto& x : story_.dial_targets)
      if (x.number == number) t = &x;
    const service::DialId id = next_++;
    pending_.push_back(Pending{id, t, number, clock_.now_us()});
    presented_[number] = caller_id;
    return id;
  }
  void cancel(service::DialId id) override {
    std::erase_if(pending_, [&](const Pending& p) { return p.id == id; });
  }
  std::vector<Pending>& pending() { return pending_; }
  std::map<std::string, std::string> presented_;

 private:
  const Story& story_;
  const engine::Clock& clock_;
  std::vector<Pending> pending_;
  service::DialId next_ = 1;
};

class Log {
 public:
  explicit Log(const std::filesystem::path& p) : out_(p, std::ios::binary | std::ios::trunc) {
    if (!out_) throw Error(errc::io_error, p.string() + ": cannot write");
  }
  void line(const json::object& o) { out_ << detail::to_json_text(o) << '\n'; }

 private:
  std::ofstream out_;
};

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(errc::io_error, p.string() + ": cannot write");
  out << text;
}

}  // namespace

const StoryPhone* StoryResult::phone(std::string_view name) const noexcept {
  for (const auto& p : phones)
    if (p.name == name) return &p;
  return nullptr;
}

const room::LegRecord* StoryResult::cdr_of(std::string_view caller_id) const noexcept {
  for (const auto& r : cdr)
    if (r.caller_id == caller_id) return &r;
  return nullptr;
}

StoryResult run_story(const Story& story, const std::filesystem::path& out_dir) {
  std::error_code fs_error;
  std::filesystem::create_directories(out_dir, fs_error);
  if (fs_error) throw Error(errc::io_error, out_dir.string() + ": cannot create output folder: " + fs_error.message());

  auto clock = std::make_shared<engine::VirtualClock>(0);
  engine::EngineConfig ec;
  ec.workers = 1;
  ec.ptime_ms = kPtimeMs;
  ec.clock = clock;
  engine::Engine eng(std::move(ec));
  const codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();

  // The tenant and its rooms.
  room::ConferenceOptions co;
  co.pin_hash = room::PinHashParams::minimum();  // a story is a test bench, not a vault
  room::Conference conf(co);
  (void)conf.create_tenant(story.tenant, room::TenantQuota{story.max_participants, story.max_rooms}, 0);
  const room::Actor console{story.tenant, room::Role::superuser, room::kConsole};
  for (std::size_t i = 0; i < story.rooms.size(); ++i) {
    const StoryRoom& r = story.rooms[i];
    const std::string where = story.source + ": rooms[" + std::to_string(i) + "]";
    room::RoomConfig rc;
    rc.name = r.name;
    rc.topic = r.topic;
    rc.max_members = r.max_members;
    rc.when_full = r.when_full == "overflow" ? room::FullPolicy::overflow : room::FullPolicy::route_to_operator;
    rc.wait_for_moderator = r.wait_for_moderator;
    rc.end_with_last_moderator = r.end_with_last_moderator;
    rc.end_grace_ms = static_cast<std::int64_t>(r.end_grace_s * 1000);
    try {
      if (auto ok = conf.create_room(console, rc, 0); !ok)
        throw Error(ok.error().value() ? static_cast<errc>(ok.error().value()) : errc::invalid_argument,
                    where + ".name: '" + r.name + "': " + ok.error().message());
      const std::pair<room::PinKind, const std::string*> pins[] = {{room::PinKind::participant, &r.pin},
                                                                   {room::PinKind::moderator, &r.moderator_pin},
                                                                   {room::PinKind::listener, &r.listener_pin}};
      for (const auto& [kind, pin] : pins)
        if (!pin->empty()) (void)conf.set_pin(console, r.name, kind, *pin, 0);
    } catch (const Error& e) {
      throw Error(e.code_enum(), where + ": " + e.detail());
    }
  }

  service::ServiceConfig sc;
  sc.tenant = story.tenant;
  sc.room_rate_hz = story.room_rate_hz;
  sc.dial_out_allowed = story.dial_out_allowed;
  if (!story.routes_json.empty()) sc.router = ivr::DidRouter::parse(story.routes_json, story.source + ": routes");
  for (const auto& [name, path] : story.menus)
    sc.menus[name] = std::make_shared<const ivr::Menu>(ivr::Menu::load_file(path));
  service::PromptLibrary prompts(story.room_rate_hz);
  for (const auto& [id, path] : story.prompts) {
    AudioBuffer b;
    try {
      b = read_audio_file(path);
    } catch (const Error& e) {
      throw Error(e.code_enum(), story.source + ": prompts." + id + ": " + e.detail());
    }
    auto p = std::make_shared<engine::Prompt>();
    p->samples = std::move(b.samples);
    p->sample_rate_hz = b.sample_rate_hz;
    prompts.set(id, std::move(p));
  }
  SimDialer dialer(story, *clock);
  service::ConferenceService svc(eng, conf, std::move(sc), std::move(prompts), &dialer);
  for (const auto& [owner, members] : story.groups) svc.set_group(owner, members);

  // Phones.
  const std::int64_t ptime_us = kPtimeMs * 1000;
  const auto ticks = static_cast<std::uint64_t>((to_us(story.duration_s) + ptime_us - 1) / ptime_us);
  const std::int64_t end_us = static_cast<std::int64_t>(ticks) * ptime_us;
  std::vector<Phone> phones(story.calls.size() + story.dial_targets.size());
  for (std::size_t i = 0; i < phones.size(); ++i) {
    Phone& p = phones[i];
    const bool is_call = i < story.calls.size();
    if (is_call) {
      p.call_spec = &story.calls[i];
      p.name = p.call_spec->name;
      p.codec = p.call_spec->codec;
      p.hangup_s = p.call_spec->hangup_s;
    } else {
      p.target = &story.dial_targets[i - story.calls.size()];
      p.name = p.target->name;
      p.codec = p.target->codec;
      p.hangup_s = p.target->hangup_s;
    }
    if (!codecs.contains(p.codec))
      throw Error(errc::unknown_codec, story.source + ": '" + p.name + "'.codec: unknown codec '" + p.codec + "'");
    p.rate = engine::natural_codec_rate(p.codec, 0, story.room_rate_hz);
    const auto total = static_cast<std::size_t>(end_us * p.rate / kUsPerS);
    build_input(p, is_call ? p.call_spec->input : p.target->input, is_call ? p.call_spec->dtmf : p.target->dtmf, story,
                total);
    p.heard.assign(total, 0);
  }
  auto make_leg = [&](Phone& p, std::int64_t now_us) {
    codec::CodecParams params;
    params.sample_rate_hz = p.rate;
    params.ptime_ms = kPtimeMs;
    auto enc = codecs.create(p.codec, params);
    auto dec = codecs.create(p.codec, params);
    if (!enc || !dec)
      throw Error(errc::codec_error, story.source + ": '" + p.name + "': codec " + p.codec + " at " +
                                         std::to_string(p.rate) + " Hz");
    const auto first = static_cast<std::size_t>(now_us * p.rate / kUsPerS);
    engine::LegConfig lc;
    lc.name = p.name;
    lc.codec = p.codec;
    lc.codec_rate_hz = p.rate;
    // Steady test tones look like line noise to talker detection (by design),
    // so a tone phone is mixed whenever it is unmuted, as in the engine's tests.
    const StoryInput& in = p.call_spec ? p.call_spec->input : p.target->input;
    if (in.tone_hz > 0 || in.file.empty()) {
      lc.processing.agc = false;
      lc.processing.talker_detection = false;
    }
    lc.transport = std::make_unique<FileTransport>(std::move(*enc), std::move(*dec),
                                                   std::span<const std::int16_t>(p.input).subspan(first), now_us,
                                                   p.heard, 0, kPtimeMs);
    p.started = true;
    return lc;
  };
  auto phone_named = [&](const std::string& name) -> Phone* {
    for (Phone& p : phones)
      if (p.name == name) return &p;
    return nullptr;
  };
  auto call_of = [&](const std::string& name) -> service::CallId {
    const Phone* p = phone_named(name);
    return p && p->started && !p->ended ? p->call : service::kNoCall;
  };
  auto name_of_call = [&](service::CallId id) -> std::string {
    for (const Phone& p : phones)
      if (p.call == id && id != service::kNoCall) return p.name;
    return {};
  };

  Log log(out_dir / "events.jsonl");
  StoryResult result;
  result.out_dir = out_dir;
  auto drain_service = [&]() {
    for (service::ServiceEvent& e : svc.take_events()) {
      json::object o{{"t", round3(static_cast<double>(e.at_ms) / 1000.0)}, {"event", "service"}, {"kind", e.kind}};
      if (e.call) o["call"] = name_of_call(e.call);
      if (!e.room.empty()) o["room"] = e.room;
      if (!e.detail.empty()) o["detail"] = e.detail;
      log.line(o);
      result.events.push_back(std::move(e));
    }
  };
  auto actor_of = [&](const std::string& name) -> Result<room::Actor> {
    if (name == "operator") return console;
    return svc.actor_of(call_of(name));
  };
  auto perform = [&](const StoryAction& a) -> std::string {
    auto actor = actor_of(a.actor);
    if (!actor) return "actor '" + a.actor + "': " + actor.error().message();
    auto msg = [](const auto& r) -> std::string { return r ? "ok" : r.error().message(); };
    const std::string& x = a.action;
    if (x == "take_from_queue") {
      auto role = room::role_from_string(a.role);
      if (!role) return "unknown role '" + a.role + "'";
      return msg(svc.take_from_queue(*actor, a.room, *role));
    }
    if (x == "create_side_room") {
      std::vector<service::CallId> ids;
      for (const auto& m : a.members) ids.push_back(call_of(m));
      auto r = svc.create_side_room(*actor, a.room, ids);
      return r ? "ok: " + *r : r.error().message();
    }
    if (x == "bring_back") return msg(svc.bring_back(*actor, a.room));
    if (x == "listen_in") return msg(svc.listen_in(*actor, call_of(a.who), a.room));
    if (x == "stop_listen_in") return msg(svc.stop_listen_in(call_of(a.who)));
    if (x == "whisper") return msg(svc.whisper(*actor, call_of(a.who), call_of(a.to)));
    if (x == "stop_whisper") return msg(svc.stop_whisper(call_of(a.who), call_of(a.to)));
    if (x == "mute" || x == "unmute") return msg(svc.set_muted(*actor, call_of(a.who), x == "mute"));
    if (x == "deaf" || x == "undeaf") return msg(svc.set_deaf(*actor, call_of(a.who), x == "deaf"));
    if (x == "mute_all") return msg(svc.mute_all(*actor, a.room));
    if (x == "kick") return msg(svc.kick(*actor, call_of(a.who), a.reason));
    if (x == "move") return msg(svc.move(*actor, call_of(a.who), a.room));
    if (x == "lock" || x == "unlock") return msg(svc.set_locked(*actor, a.room, x == "lock"));
    if (x == "set_max_members") return msg(svc.set_max_members(*actor, a.room, a.value));
    if (x == "invite") {
      const Phone* me = phone_named(a.actor);
      const std::string cid = me && me->call_spec ? me->call_spec->caller_id : std::string();
      return msg(svc.invite(*actor, a.room, a.number, cid));
    }
    if (x == "record") {
      // Preallocated for the rest of the story (the recorder runs on the media thread).
      service::RecordingLimits limits;
      limits.max_duration_ms = static_cast<std::int64_t>((story.duration_s - a.at_s) * 1000.0) + 1000;
      return msg(svc.start_room_recording(*actor, a.room, a.prefix, limits));
    }
    if (x == "stop_recording") return msg(svc.stop_room_recording(*actor, a.room));
    if (x == "set_name") return msg(svc.set_name(*actor, call_of(a.who), a.text));
    if (x == "hold") return msg(svc.hold(call_of(a.who)));
    if (x == "resume") return msg(svc.resume(call_of(a.who)));
    if (x == "hangup") {
      Phone* p = phone_named(a.who);
      if (!p || !p->started || p->ended) return "not on a call";
      p->ended = true;
      return msg(svc.hangup(p->call));
    }
    return "unknown action";
  };

  // Finished room recordings become WAV files here, on the host's thread.
  auto write_recordings = [&]() {
    for (service::RoomRecording& rec : svc.take_recordings()) {
      StoryRecording sr;
      sr.room = rec.room;
      sr.prefix = rec.out_prefix;
      sr.sample_rate_hz = rec.sample_rate_hz;
      sr.stop_reason = rec.stop_reason;
      sr.mix_file = out_dir / (rec.out_prefix + "-mix.wav");
      write_wav(sr.mix_file, rec.mix, rec.sample_rate_hz);
      for (const auto& t : rec.tracks) {
        std::string who = name_of_call(t.call);
        if (who.empty()) who = "leg-" + std::to_string(t.leg);
        const auto file = out_dir / (rec.out_prefix + "-" + who + ".wav");
        write_wav(file, t.samples, rec.sample_rate_hz);
        sr.track_files[who] = file;
      }
      log.line(json::object{{"t", round3(static_cast<double>(rec.stopped_ms) / 1000.0)},
                            {"event", "recording_written"},
                            {"room", sr.room},
                            {"prefix", sr.prefix},
                            {"tracks", sr.track_files.size()}});
      result.recordings.push_back(std::move(sr));
    }
  };

  std::size_t next_action = 0;
  std::array<engine::Event, 1024> evbuf;
  for (std::uint64_t t = 0; t < ticks; ++t) {
    const std::int64_t now = clock->now_us();
    svc.tick(now / 1000);
    for (Phone& p : phones) {
      if (p.call_spec && !p.started && now >= to_us(p.call_spec->at_s)) {
        engine::LegConfig lc = make_leg(p, now);
        auto id = p.call_spec->operator_phone
                      ? svc.operator_call(p.call_spec->caller_id, std::move(lc))
                      : svc.incoming_call(service::CallInfo{p.call_spec->did, p.call_spec->caller_id, p.name},
                                          std::move(lc));
        log.line(json::object{{"t", round3(static_cast<double>(now) / kUsPerS)}, {"event", "call"}, {"phone", p.name},
                              {"result", id ? "ok" : id.error().message()}});
        if (id) {
          p.call = *id;
        } else {
          p.ended = true;
        }
      }
      if (p.started && !p.ended && p.hangup_s && now >= to_us(*p.hangup_s)) {
        p.ended = true;
        (void)svc.hangup(p.call);
      }
    }
    for (auto it = dialer.pending().begin(); it != dialer.pending().end();) {
      const StoryDialTarget* tg = it->target;
      const double since = static_cast<double>(now - it->dialed_us) / kUsPerS;
      if (tg && !tg->busy && tg->answer_after_s && since >= *tg->answer_after_s) {
        Phone* p = phone_named(tg->name);
        if (p->started) {  // already on a call: busy
          svc.dial_failed(it->id, "busy");
        } else {
          auto id = svc.dial_answered(it->id, make_leg(*p, now));
          if (id) {
            p->call = *id;
          } else {
            p->ended = true;
          }
        }
        it = dialer.pending().erase(it);
      } else if ((!tg || tg->busy) && since >= kBusyAfterS) {
        svc.dial_failed(it->id, tg ? "busy" : "unknown number");
        it = dialer.pending().erase(it);
      } else {
        ++it;
      }
    }
    while (next_action < story.actions.size() && to_us(story.actions[next_action].at_s) <= now) {
      const StoryAction& a = story.actions[next_action++];
      json::object o{{"t", round3(static_cast<double>(now) / kUsPerS)}, {"event", "action"}, {"action", a.action},
                     {"actor", a.actor}};
      if (!a.who.empty()) o["who"] = a.who;
      if (!a.room.empty()) o["room"] = a.room;
      o["result"] = perform(a);
      log.line(o);
    }
    drain_service();
    eng.tick().value();
    for (std::size_t n; (n = eng.poll_events(evbuf)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) {
        const engine::Event& e = evbuf[i];
        json::object o{{"t", round3(static_cast<double>(e.time_us) / kUsPerS)}, {"event", engine::to_string(e.kind)}};
        if (e.room != engine::kNoRoom) o["room_id"] = e.room;
        if (auto c = svc.call_of_leg(e.leg)) o["call"] = name_of_call(*c);
        if (e.digit) o["digit"] = std::string(1, e.digit);
        if (e.kind == engine::EventKind::command_failed) o["error"] = make_error_code(e.error).message();
        log.line(o);
      }
      svc.on_engine_events(std::span<const engine::Event>(evbuf.data(), n));
    }
    drain_service();
    write_recordings();
  }
  // The story ends: record each phone's state, then hang everyone up so the CDR is complete.
  for (Phone& p : phones) {
    StoryPhone sp;
    sp.name = p.name;
    sp.sample_rate_hz = p.rate;
    sp.call = p.call;
    sp.final_state = "never called";
    if (p.started) {
      if (auto v = svc.call(p.call)) {
        sp.final_state = std::string(service::to_string(v->state));
        sp.room = v->room;
      }
    }
    if (p.started && !p.ended) (void)svc.hangup(p.call);
    result.phones.push_back(std::move(sp));
  }
  eng.tick().value();
  for (std::size_t n; (n = eng.poll_events(evbuf)) > 0;) svc.on_engine_events(std::span<const engine::Event>(evbuf.data(), n));
  drain_service();
  write_recordings();
  result.cdr = svc.take_cdr();
  result.moderator_sessions = svc.take_moderator_sessions();
  result.duration_s = static_cast<double>(end_us) / kUsPerS;

  json::array parts;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    StoryPhone& sp = result.phones[i];
    sp.heard = std::move(phones[i].heard);
    write_wav(out_dir / (sp.name + ".wav"), sp.heard, sp.sample_rate_hz);
    parts.push_back(json::object{{"name", sp.name},
                                 {"final_state", sp.final_state},
                                 {"room", sp.room},
                                 {"heard_file", sp.name + ".wav"},
                                 {"heard_level_dbfs", round3(audio::rms_dbfs(sp.heard))}});
  }
  write_text(out_dir / "summary.json",
             detail::to_json_text(json::object{{"story", std::filesystem::path(story.source).filename().string()},
                                          {"duration_s", result.duration_s},
                                          {"ptime_ms", kPtimeMs},
                                          {"ticks", ticks},
                                          {"phones", parts}}) +
                 "\n");
  write_text(out_dir / "cdr.csv", room::to_csv(result.cdr));
  write_text(out_dir / "cdr.jsonl", room::to_json_lines(result.cdr));
  write_text(out_dir / "moderators.csv", room::to_csv(result.moderator_sessions));
  return result;
}

}  // namespace libconf::scenario
