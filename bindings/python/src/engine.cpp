// libconf.Engine on its own virtual clock, with phones played from NumPy
// arrays (scenario::FileTransport): a leg speaks an np.int16 array and records
// what it hears into another one, both owned by Python and kept alive by the
// engine wrapper for the engine's lifetime.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/scenario/file_transport.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::engine;

class PyEngine {
 public:
  PyEngine(std::size_t workers, int ptime_ms) {
    EngineConfig c;
    c.workers = workers;
    c.ptime_ms = ptime_ms;
    engine_ = std::make_unique<Engine>(std::move(c));
  }
  ~PyEngine() {
    // Workers may touch the arrays until the engine is gone.
    py::gil_scoped_release nogil;
    engine_.reset();
  }

  Engine& get() { return *engine_; }

  RoomId create_room(const std::string& name, int rate, std::size_t max_legs, std::size_t top_n, float hysteresis) {
    RoomConfig rc;
    rc.name = name;
    rc.sample_rate_hz = rate;
    rc.max_legs = max_legs;
    rc.top_n = top_n;
    rc.talker_hysteresis_db = hysteresis;
    std::string why;
    const auto created = engine_->create_room(rc, &why);
    if (!created) raise_error(static_cast<errc>(created.error().value()), "Engine.create_room: " + why);
    const RoomId id = *created;
    room_rates_[id] = rate;
    return id;
  }

  LegId add_leg(RoomId room, const std::string& name, const std::string& codec_name, int codec_rate_hz,
                const py::object& input, std::optional<std::int64_t> input_start_us, const py::object& heard,
                std::int64_t record_start_us, const mix::LegMixState& mix, bool agc, double agc_target_dbfs,
                bool talker_detection, bool inband_dtmf, bool always_talking, int bitrate_bps, bool fec, bool dtx,
                int jitter_min_delay_ms, int jitter_max_delay_ms, MediaDirection direction) {
    auto room_it = room_rates_.find(room);
    if (room_it == room_rates_.end()) raise_error(errc::not_found, "Engine.add_leg: no room " + std::to_string(room));
    const int rate = natural_codec_rate(codec_name, codec_rate_hz, room_it->second);

    Arrays arrays;
    std::span<const std::int16_t> in;
    std::span<std::int16_t> out;
    if (!input.is_none()) {
      arrays.input = std::make_unique<Samples>(input);
      in = arrays.input->span();
    }
    if (!heard.is_none()) {
      if (!py::isinstance<py::array>(heard)) throw py::type_error("Engine.add_leg: heard must be a writable np.int16 array");
      arrays.heard = py::reinterpret_borrow<py::array>(heard);
      out = writable_samples(arrays.heard, "Engine.add_leg heard");
    }

    codec::CodecParams p;
    p.sample_rate_hz = rate;
    p.ptime_ms = engine_->ptime_ms();
    p.bitrate_bps = bitrate_bps;
    p.fec = fec;
    p.dtx = dtx;
    const auto& codecs = registry();
    auto encoder = codecs.create_or_throw(codec_name, p);
    auto decoder = codecs.create_or_throw(codec_name, p);

    LegConfig lc;
    lc.name = name;
    lc.codec = codec_name;
    lc.codec_rate_hz = rate;
    lc.codec_params.bitrate_bps = bitrate_bps;
    lc.codec_params.fec = fec;
    lc.codec_params.dtx = dtx;
    lc.mix = mix;
    lc.processing.agc = agc;
    lc.processing.agc_target_dbfs = agc_target_dbfs;
    lc.processing.talker_detection = talker_detection;
    lc.processing.inband_dtmf = inband_dtmf;
    lc.processing.always_talking = always_talking;
    lc.jitter_min_delay_ms = jitter_min_delay_ms;
    lc.jitter_max_delay_ms = jitter_max_delay_ms;
    lc.direction = direction;
    lc.transport = std::make_unique<scenario::FileTransport>(
        std::move(encoder), std::move(decoder), in, input_start_us.value_or(engine_->clock().now_us()),
        out, record_start_us, engine_->ptime_ms());
    std::string why;
    auto added = engine_->add_leg(room, std::move(lc), &why);
    if (!added) raise_error(added.error(), "Engine.add_leg: " + (why.empty() ? added.error().message() : why));
    const LegId id = *added;
    legs_[id] = std::move(arrays);
    return id;
  }

  py::object heard(LegId leg) const {
    auto it = legs_.find(leg);
    if (it == legs_.end()) raise_error(errc::not_found, "Engine.heard: no leg " + std::to_string(leg));
    return it->second.heard ? py::object(it->second.heard) : py::object(py::none());
  }

  void tick(int n) {
    py::gil_scoped_release nogil;
    for (int i = 0; i < n; ++i) engine_->tick().value();
  }

  std::vector<Event> poll_events() {
    std::vector<Event> all;
    std::array<Event, 256> buf;
    for (std::size_t n; (n = engine_->poll_events(buf)) > 0;) all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return all;
  }

 private:
  static const codec::CodecRegistry& registry() {
    static const codec::CodecRegistry r = codec::CodecRegistry::with_builtin_codecs();
    return r;
  }
  struct Arrays {
    std::unique_ptr<Samples> input;
    py::array heard;
  };
  // Declared before engine_: destroyed after it, so no worker reads a freed array.
  std::map<LegId, Arrays> legs_;
  std::map<RoomId, int> room_rates_;
  std::unique_ptr<Engine> engine_;
};

// Ids as Python sees them: None for "no id" (kNoRoom, kNoLeg).
std::optional<std::uint32_t> id_or_none(std::uint32_t id) {
  static_assert(kNoLeg == kNoRoom);
  return id == kNoLeg ? std::nullopt : std::optional<std::uint32_t>(id);
}

py::dict event_dict(const Event& e) {
  py::dict d;
  d["kind"] = to_string(e.kind);
  d["digit"] = e.digit ? std::string(1, e.digit) : std::string();
  d["error"] = e.error;
  d["room"] = id_or_none(e.room);
  d["leg"] = id_or_none(e.leg);
  d["other_room"] = id_or_none(e.other_room);
  d["other_leg"] = id_or_none(e.other_leg);
  d["value"] = e.value;
  d["time_us"] = e.time_us;
  return d;
}

}  // namespace

void init_engine(py::module_& m) {
  m.attr("FLAG_MUTED") = kFlagMuted;
  m.attr("FLAG_DEAF") = kFlagDeaf;
  m.attr("FLAG_LISTEN_ONLY") = kFlagListenOnly;

  py::enum_<EventKind> kinds(m, "EventKind", "Kinds of engine events.");
  for (int k = 0; k <= static_cast<int>(EventKind::leg_updated); ++k)
    kinds.value(to_string(static_cast<EventKind>(k)), static_cast<EventKind>(k));
  m.def("is_critical", [](EventKind k) { return is_critical(k); }, py::arg("kind"),
        "True for events the engine never drops (command outcomes, playback ends); False for\n"
        "talking_* and dtmf_*, which are counted in health() when a full queue drops them.");

  py::enum_<MediaDirection>(m, "MediaDirection",
                            "A leg's media direction as the bridge's own SDP says it: sendrecv; sendonly (the leg\n"
                            "hears the room, is not heard: on hold by the bridge); recvonly (the peer holds the call:\n"
                            "neither heard nor sent anything); inactive.")
      .value("sendrecv", MediaDirection::sendrecv)
      .value("sendonly", MediaDirection::sendonly)
      .value("recvonly", MediaDirection::recvonly)
      .value("inactive", MediaDirection::inactive);

  py::class_<WorkerHealth>(m, "WorkerHealth",
                           "One engine worker's figures: counters since start, tick times (us) over the last 3000 ticks.")
      .def_readonly("rooms", &WorkerHealth::rooms)
      .def_readonly("legs", &WorkerHealth::legs, "Legs in its rooms now.")
      .def_readonly("ticks", &WorkerHealth::ticks)
      .def_readonly("late_ticks", &WorkerHealth::late_ticks, "Ticks started more than ptime/4 after their deadline.")
      .def_readonly("overruns", &WorkerHealth::overruns, "Ticks that took longer than one ptime.")
      .def_readonly("skipped_ticks", &WorkerHealth::skipped_ticks)
      .def_readonly("max_late_us", &WorkerHealth::max_late_us)
      .def_readonly("tick_p50_us", &WorkerHealth::tick_p50_us)
      .def_readonly("tick_p99_us", &WorkerHealth::tick_p99_us)
      .def_readonly("tick_max_us", &WorkerHealth::tick_max_us)
      .def_readonly("load", &WorkerHealth::load, "Mean tick time / ptime (1.0: a full core).")
      .def_readonly("commands_applied", &WorkerHealth::commands_applied)
      .def_readonly("commands_queued", &WorkerHealth::commands_queued)
      .def_readonly("budget_deferred_ticks", &WorkerHealth::budget_deferred_ticks)
      .def_readonly("events_queued", &WorkerHealth::events_queued)
      .def_readonly("events_dropped", &WorkerHealth::events_dropped, "talking/DTMF events lost to a full queue.")
      .def_readonly("critical_events_dropped", &WorkerHealth::critical_events_dropped, "Always 0.")
      .def_readonly("retired_on_worker", &WorkerHealth::retired_on_worker);
  py::class_<EngineHealth>(m, "EngineHealth", "Engine.health(): ptime and one WorkerHealth per worker.")
      .def_readonly("ptime_ms", &EngineHealth::ptime_ms)
      .def_readonly("workers", &EngineHealth::workers);

  py::class_<Event>(m, "Event",
                    "One engine event. Ids are the engine's room/leg ids; time_us is the engine clock\n"
                    "(us) of the tick that produced it. value: leg_left 0 removed / 1 moved; dtmf_started\n"
                    "0 in-band / 1 RFC 4733; dtmf_ended duration ms; mix_state_changed FLAG_* bitmask;\n"
                    "source_gain_changed centi-dB.")
      .def_readonly("kind", &Event::kind, "What happened (EventKind).")
      .def_property_readonly("digit", [](const Event& e) { return e.digit ? std::string(1, e.digit) : std::string(); })
      .def_readonly("error", &Event::error, "Errc (command_failed).")
      .def_property_readonly("room", [](const Event& e) { return id_or_none(e.room); }, "Room the event is about, or None.")
      .def_property_readonly("leg", [](const Event& e) { return id_or_none(e.leg); }, "Leg the event is about, or None.")
      .def_property_readonly("other_room", [](const Event& e) { return id_or_none(e.other_room); },
                             "Second room (a move's destination), or None.")
      .def_property_readonly("other_leg", [](const Event& e) { return id_or_none(e.other_leg); },
                             "The other leg (a whisper's target), or the playback id (playback_*), or None.")
      .def_readonly("value", &Event::value, "Event-specific number (a digit's duration in ms, a playback's end reason...).")
      .def_readonly("time_us", &Event::time_us, "Engine clock time (us) of the tick that produced it.")
      .def("as_dict", &event_dict, "The event as a dict (kind as its name string).")
      .def("__repr__", [](const Event& e) {
        return std::string("Event(") + to_string(e.kind) + ", room=" + std::to_string(e.room) + ", leg=" +
               std::to_string(e.leg) + ", value=" + std::to_string(e.value) + ", time_us=" + std::to_string(e.time_us) +
               (e.digit ? std::string(", digit='") + e.digit + "'" : std::string()) + ")";
      });

  py::class_<LegStats>(m, "LegStats", "Per-leg media statistics (snapshot).")
      .def_readonly("frames_in", &LegStats::frames_in, "ticks with a decoded frame")
      .def_readonly("frames_concealed", &LegStats::frames_concealed, "PLC frames")
      .def_readonly("frames_fec", &LegStats::frames_fec, "frames rebuilt from FEC")
      .def_readonly("frames_silent", &LegStats::frames_silent, "nothing to play (DTX, not started)")
      .def_readonly("packets_out", &LegStats::packets_out, "encoded frames handed to the transport")
      .def_readonly("decode_errors", &LegStats::decode_errors, "Packets the codec could not decode.")
      .def_readonly("dtmf_digits", &LegStats::dtmf_digits, "Digits received (in-band or RFC 4733).")
      .def_readonly("jitter_late", &LegStats::jitter_late, "Packets that arrived too late to be played.")
      .def_readonly("jitter_lost", &LegStats::jitter_lost, "Packets never received.")
      .def_readonly("jitter_delay_ms", &LegStats::jitter_delay_ms, "ms.")
      .def_readonly("talking", &LegStats::talking, "True while the leg is talking.")
      .def_readonly("level_dbfs", &LegStats::level_dbfs, "Smoothed speech level, dBFS.")
      .def_readonly("agc_gain_db", &LegStats::agc_gain_db, "dB.")
      .def_readonly("output_group", &LegStats::output_group, "see mix::kSharedGroup");

  m.def("natural_codec_rate", &natural_codec_rate, py::arg("codec"), py::arg("requested_rate_hz"),
        py::arg("room_rate_hz"),
        "PCM rate (Hz) a leg's codec runs at: requested_rate_hz, or when 0, 8000 for G.711 and the\n"
        "room's rate for L16/opus (48000 for opus in a 32 kHz room).");

  py::class_<PyEngine>(m, "Engine",
                       "The conference engine on its own virtual clock: every tick() advances one ptime\n"
                       "and runs every room once, as fast as the CPU allows (GIL released). Legs are phones\n"
                       "fed from np.int16 arrays. Use from one Python thread at a time.")
      .def(py::init<std::size_t, int>(), py::arg("workers") = 1, py::arg("ptime_ms") = 20,
           "workers: engine worker threads (1 keeps runs deterministic); ptime_ms: 10/20/40/60 ms.")
      .def_property_readonly("now_us", [](PyEngine& e) { return e.get().clock().now_us(); }, "Virtual clock, us.")
      .def_property_readonly("ptime_ms", [](PyEngine& e) { return e.get().ptime_ms(); })
      .def_property_readonly("worker_count", [](PyEngine& e) { return e.get().worker_count(); })
      .def("create_room", &PyEngine::create_room, py::arg("name") = "", py::arg("sample_rate_hz") = 16000,
           py::arg("max_legs") = 64, py::arg("top_n") = 4, py::arg("talker_hysteresis_db") = 3.0f,
           "Creates a room mixing at sample_rate_hz (Hz); returns its id. Raises on a bad rate or capacity.")
      .def(
          "close_room", [](PyEngine& e, RoomId r) { check(e.get().close_room(r), "Engine.close_room"); }, py::arg("room"),
          "Closes a room at the next tick: its legs leave, then room_closed. Raises NotFound.")
      .def("add_leg", &PyEngine::add_leg, py::arg("room"), py::kw_only(), py::arg("name") = "",
           py::arg("codec") = "PCMU", py::arg("codec_rate_hz") = 0, py::arg("input") = py::none(),
           py::arg("input_start_us") = py::none(), py::arg("heard") = py::none(), py::arg("record_start_us") = 0,
           py::arg("mix") = mix::LegMixState{}, py::arg("agc") = true, py::arg("agc_target_dbfs") = -20.0,
           py::arg("talker_detection") = true, py::arg("inband_dtmf") = true, py::arg("always_talking") = false,
           py::arg("bitrate_bps") = 0, py::arg("fec") = false, py::arg("dtx") = false,
           py::arg("jitter_min_delay_ms") = 20, py::arg("jitter_max_delay_ms") = 300,
           py::arg("direction") = MediaDirection::sendrecv,
           "Adds a phone to room; it joins at the next tick. input: np.int16 voice at the codec's PCM\n"
           "rate (natural_codec_rate()), played from input_start_us (us, default now); heard: a\n"
           "writable np.int16 array the phone records into, covering [record_start_us, +len samples).\n"
           "Both arrays are used in place and kept alive by the engine; do not resize them.\n"
           "A leg is mixed only while it talks, and only level-modulated sound (speech) counts as\n"
           "talk: a steady sine or steady music is never heard (hold music must not take the floor).\n"
           "always_talking=True mixes the leg whenever it is not muted (music, a prompt source, a test tone).\n"
           "Returns the leg id. Raises NotFound, UnknownCodec, UnsupportedSampleRate, CapacityExceeded\n"
           "(the room holds max_legs: refused here, not later).")
      .def("heard", &PyEngine::heard, py::arg("leg"), "The recording array given to add_leg (or None).")
      .def(
          "remove_leg", [](PyEngine& e, LegId l) { check(e.get().remove_leg(l), "Engine.remove_leg"); }, py::arg("leg"),
          "Removes a leg at the next tick (leg_left). Raises NotFound.")
      .def(
          "move_leg", [](PyEngine& e, LegId l, RoomId r) { check(e.get().move_leg(l, r), "Engine.move_leg"); },
          py::arg("leg"), py::arg("to_room"),
          "Moves a leg to another room at the next tick. Raises CapacityExceeded when that room is full\n"
          "(the leg stays where it is), NotFound, InvalidArgument (already there).")
      .def(
          "update_leg",
          [](PyEngine& e, LegId l, MediaDirection direction) {
            std::string why;
            auto r = e.get().update_leg(l, {.direction = direction}, &why);
            if (!r) raise_error(r.error(), "Engine.update_leg: " + (why.empty() ? r.error().message() : why));
          },
          py::arg("leg"), py::kw_only(), py::arg("direction"),
          "Holds or resumes a leg at the next tick (leg_updated). The phones of this Engine play files\n"
          "with a fixed codec, so only the direction changes here; a SIP host also changes codec,\n"
          "address and SRTP keys (C++ Engine::update_leg). Raises NotFound.")
      .def(
          "health", [](PyEngine& e) { return e.get().health(); },
          "EngineHealth: per worker rooms, legs, ticks, tick-time percentiles, queues, dropped events.")
      .def(
          "set_mix_state",
          [](PyEngine& e, LegId l, const mix::LegMixState& s) { check(e.get().set_mix_state(l, s), "Engine.set_mix_state"); },
          py::arg("leg"), py::arg("state"), "Mute/deaf/listen-only and gains (dB) from the next tick. Raises NotFound.")
      .def(
          "add_whisper",
          [](PyEngine& e, LegId f, LegId t, float g) { check(e.get().add_whisper(f, t, g), "Engine.add_whisper"); },
          py::arg("from_leg"), py::arg("to_leg"), py::arg("gain_db") = 0.0f, "from_leg is heard by to_leg only (dB gain).")
      .def(
          "whisper",
          [](PyEngine& e, LegId f, LegId t, float g) { check(e.get().add_whisper(f, t, g), "Engine.whisper"); },
          py::arg("from_leg"), py::arg("to_leg"), py::arg("gain_db") = 0.0f, "Alias of add_whisper().")
      .def(
          "remove_whisper",
          [](PyEngine& e, LegId f, LegId t) { check(e.get().remove_whisper(f, t), "Engine.remove_whisper"); },
          py::arg("from_leg"), py::arg("to_leg"), "Ends a whisper. Raises NotFound.")
      .def(
          "set_source_gain",
          [](PyEngine& e, LegId l, LegId s, float g) { check(e.get().set_source_gain(l, s, g), "Engine.set_source_gain"); },
          py::arg("listener"), py::arg("source"), py::arg("gain_db"),
          "listener hears source at gain_db (dB) relative to normal; 0 removes the edge.")
      .def("tick", &PyEngine::tick, py::arg("n") = 1, "Advances the virtual clock by n ptimes, running every room each time.")
      .def("poll_events", &PyEngine::poll_events, "Drains and returns every pending Event (a list).")
      .def(
          "leg_stats", [](PyEngine& e, LegId l) { return unwrap(e.get().leg_stats(l), "Engine.leg_stats"); },
          py::arg("leg"), "LegStats snapshot. Raises NotFound.")
      .def(
          "room_of", [](PyEngine& e, LegId l) { return id_or_none(e.get().room_of(l)); }, py::arg("leg"),
          "Room of a leg as the commands so far leave it, or None if unknown.");
}

}  // namespace libconf::python
