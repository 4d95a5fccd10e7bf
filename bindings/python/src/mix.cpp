// libconf.Mixer: the N-1 mixer with NumPy views onto its buffers.
#include <string>

#include "libconf/mix/mixer.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::mix;

void require_leg(const Mixer& mx, LegId leg, const char* what) {
  if (!mx.contains(leg)) raise_error(errc::not_found, std::string(what) + ": no leg " + std::to_string(leg));
}
}  // namespace

void init_mix(py::module_& m) {
  m.attr("SHARED_GROUP") = kSharedGroup;
  m.attr("SILENT_GROUP") = kSilentGroup;
  m.attr("FIRST_UNIQUE_GROUP") = kFirstUniqueGroup;

  py::class_<LegMixState>(m, "LegMixState", "Per-leg mixing flags and gains (dB).")
      .def(py::init([](float talk_gain_db, float listen_gain_db, bool muted, bool deaf, bool listen_only) {
             LegMixState s;
             s.talk_gain_db = talk_gain_db;
             s.listen_gain_db = listen_gain_db;
             s.muted = muted;
             s.deaf = deaf;
             s.listen_only = listen_only;
             return s;
           }),
           py::arg("talk_gain_db") = 0.0f, py::arg("listen_gain_db") = 0.0f, py::arg("muted") = false,
           py::arg("deaf") = false, py::arg("listen_only") = false)
      .def_readwrite("talk_gain_db", &LegMixState::talk_gain_db, "Gain on what the leg says, dB.")
      .def_readwrite("listen_gain_db", &LegMixState::listen_gain_db, "Gain on what the leg hears, dB.")
      .def_readwrite("muted", &LegMixState::muted, "Never contributes to the room.")
      .def_readwrite("deaf", &LegMixState::deaf, "Hears nothing.")
      .def_readwrite("listen_only", &LegMixState::listen_only, "Hears the room, heard by no one (listen-in).")
      .def("__repr__", [](const LegMixState& s) {
        return "LegMixState(talk_gain_db=" + std::to_string(s.talk_gain_db) +
               ", listen_gain_db=" + std::to_string(s.listen_gain_db) + ", muted=" + (s.muted ? "True" : "False") +
               ", deaf=" + (s.deaf ? "True" : "False") + ", listen_only=" + (s.listen_only ? "True" : "False") + ")";
      });

  py::class_<Mixer>(m, "Mixer",
                    "The N-1 (mix-minus) mixer of one room. Per tick: write each leg's frame into\n"
                    "input(leg) (a writable np.int16 view of the mixer's buffer), set_voice(), mix(),\n"
                    "then read output(leg) (read-only views; valid until the next mix()). Views keep\n"
                    "the mixer alive. Not thread-safe.")
      .def(py::init([](int rate, int ptime, std::size_t max_legs, std::size_t top_n, float hysteresis,
                       std::size_t max_edges) {
             MixerConfig c;
             c.sample_rate_hz = rate;
             c.ptime_ms = ptime;
             c.max_legs = max_legs;
             c.top_n = top_n;
             c.talker_hysteresis_db = hysteresis;
             c.max_edges = max_edges;
             return std::make_unique<Mixer>(c);
           }),
           py::arg("sample_rate_hz") = 16000, py::arg("ptime_ms") = 20, py::arg("max_legs") = 64, py::arg("top_n") = 4,
           py::arg("talker_hysteresis_db") = 3.0f, py::arg("max_edges") = 64,
           "sample_rate_hz (Hz), ptime_ms (ms), capacity in legs and private edges, top_n talkers summed,\n"
           "hysteresis (dB). Raises UnsupportedSampleRate, UnsupportedFrameSize, InvalidArgument.")
      .def_property_readonly("frame_samples", &Mixer::frame_samples, "Samples per frame.")
      .def_property_readonly("sample_rate_hz", [](const Mixer& mx) { return mx.config().sample_rate_hz; })
      .def_property_readonly("ptime_ms", [](const Mixer& mx) { return mx.config().ptime_ms; })
      .def_property_readonly("leg_count", &Mixer::leg_count)
      .def("add_leg", [](Mixer& mx) { return unwrap(mx.add_leg(), "Mixer.add_leg"); },
           "Adds a silent, non-talking leg; returns its id. Raises CapacityExceeded.")
      .def(
          "remove_leg", [](Mixer& mx, LegId leg) { check(mx.remove_leg(leg), "Mixer.remove_leg"); }, py::arg("leg"),
          "Removes a leg and every edge naming it. Raises NotFound.")
      .def("contains", &Mixer::contains, py::arg("leg"), "Whether the leg exists.")
      .def(
          "set_state",
          [](Mixer& mx, LegId leg, const LegMixState& s) { check(mx.set_state(leg, s), "Mixer.set_state"); },
          py::arg("leg"), py::arg("state"), "Sets mute/deaf/listen-only and gains. Raises NotFound.")
      .def(
          "state",
          [](const Mixer& mx, LegId leg) {
            require_leg(mx, leg, "Mixer.state");
            return mx.state(leg);
          },
          py::arg("leg"))
      .def(
          "add_whisper",
          [](Mixer& mx, LegId from, LegId to, float gain_db) { check(mx.add_whisper(from, to, gain_db), "Mixer.add_whisper"); },
          py::arg("from_leg"), py::arg("to_leg"), py::arg("gain_db") = 0.0f,
          "from_leg is heard by to_leg only, at gain_db (dB). Raises NotFound, InvalidArgument, CapacityExceeded.")
      .def(
          "remove_whisper",
          [](Mixer& mx, LegId from, LegId to) { check(mx.remove_whisper(from, to), "Mixer.remove_whisper"); },
          py::arg("from_leg"), py::arg("to_leg"))
      .def(
          "set_source_gain",
          [](Mixer& mx, LegId listener, LegId source, float gain_db) {
            check(mx.set_source_gain(listener, source, gain_db), "Mixer.set_source_gain");
          },
          py::arg("listener"), py::arg("source"), py::arg("gain_db"),
          "listener hears source at gain_db relative to normal (dB; 0 removes the edge).")
      .def(
          "input",
          [](py::object self, LegId leg) {
            Mixer& mx = self.cast<Mixer&>();
            require_leg(mx, leg, "Mixer.input");
            return view(mx.input(leg), self, true);
          },
          py::arg("leg"),
          "Writable np.int16 view (frame_samples) of the leg's input buffer for this tick. Write into\n"
          "it (e.g. mixer.input(a)[:] = frame) before mix(); unwritten it keeps last tick's content.")
      .def(
          "set_voice",
          [](Mixer& mx, LegId leg, bool talking, float level_dbfs) {
            require_leg(mx, leg, "Mixer.set_voice");
            mx.set_voice(leg, talking, level_dbfs);
          },
          py::arg("leg"), py::arg("talking"), py::arg("level_dbfs") = -20.0f,
          "Talker state for this tick; level_dbfs (dBFS) ranks talkers for top-N. Only talking legs\n"
          "are summed into the room.")
      .def(
          "mix",
          [](Mixer& mx) {
            py::gil_scoped_release nogil;
            mx.mix();
          },
          "Mixes one tick (GIL released).")
      .def(
          "output_group",
          [](const Mixer& mx, LegId leg) {
            require_leg(mx, leg, "Mixer.output_group");
            return mx.output_group(leg);
          },
          py::arg("leg"), "After mix(): SHARED_GROUP, SILENT_GROUP or FIRST_UNIQUE_GROUP + leg.")
      .def(
          "output",
          [](py::object self, LegId leg) {
            const Mixer& mx = self.cast<const Mixer&>();
            require_leg(mx, leg, "Mixer.output");
            return view(mx.output(leg), self, false);
          },
          py::arg("leg"),
          "After mix(): read-only np.int16 view of what the leg hears. It is overwritten by the\n"
          "next mix(): copy it (np.array(view)) to keep it.")
      .def(
          "shared_output", [](py::object self) { return view(self.cast<Mixer&>().shared_output(), self, false); },
          "Read-only view of the room total every SHARED_GROUP listener hears.")
      .def(
          "selected_talkers",
          [](const Mixer& mx) {
            auto s = mx.selected_talkers();
            return std::vector<LegId>(s.begin(), s.end());
          },
          "After mix(): the legs summed this tick (at most top_n).")
      .def(
          "is_selected",
          [](const Mixer& mx, LegId leg) {
            require_leg(mx, leg, "Mixer.is_selected");
            return mx.is_selected(leg);
          },
          py::arg("leg"));
}

}  // namespace libconf::python
