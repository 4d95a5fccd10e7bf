// The file host's scenario runner and audio files.
#include <pybind11/functional.h>
#include <pybind11/stl/filesystem.h>

#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/runner.hpp"
#include "libconf/scenario/scenario.hpp"

#include "common.hpp"

namespace libconf::python {

void init_scenario(py::module_& m) {
  using namespace libconf::scenario;

  m.def(
      "read_audio_file",
      [](const std::filesystem::path& path, int rate_hz) {
        AudioBuffer b;
        {
          py::gil_scoped_release nogil;
          b = rate_hz ? read_audio_file(path, rate_hz) : read_audio_file(path);
        }
        const int rate = b.sample_rate_hz;
        return py::make_tuple(to_numpy(std::move(b.samples)), rate);
      },
      py::arg("path"), py::arg("sample_rate_hz") = 0,
      "Reads any libsndfile format as mono np.int16 (channels averaged), resampled to sample_rate_hz\n"
      "(Hz; 0 keeps the file's rate). Returns (samples, sample_rate_hz). Raises IoError naming the file.");
  m.def(
      "write_wav",
      [](const std::filesystem::path& path, const py::handle& samples, int rate) {
        Samples s(samples);
        py::gil_scoped_release nogil;
        write_wav(path, s.span(), rate);
      },
      py::arg("path"), py::arg("samples"), py::arg("sample_rate_hz"), "Writes np.int16 samples as a 16-bit mono WAV.");

  py::class_<RoomSpec>(m, "RoomSpec", "A room of a scenario.")
      .def_readonly("name", &RoomSpec::name, "Room name (unique in the scenario).")
      .def_readonly("sample_rate_hz", &RoomSpec::sample_rate_hz, "Rate the room mixes at: 8000, 16000, 24000, 32000 or 48000.")
      .def_readonly("top_n", &RoomSpec::top_n, "Most talkers mixed at once.")
      .def_readonly("max_legs", &RoomSpec::max_legs, "Room capacity.");
  py::class_<ParticipantSpec>(m, "ParticipantSpec", "A participant of a scenario (times in s, gains in dB).")
      .def_readonly("name", &ParticipantSpec::name, "Participant name (also its output file name).")
      .def_readonly("room", &ParticipantSpec::room, "initial room (default: the first room)")
      .def_readonly("input", &ParticipantSpec::input, "audio file (any libsndfile format); empty: silent")
      .def_readonly("input_start_s", &ParticipantSpec::input_start_s, "when the input starts playing (default: at join)")
      .def_readonly("input_gain_db", &ParticipantSpec::input_gain_db, "applied to the input file before encoding")
      .def_readonly("codec", &ParticipantSpec::codec, "SDP codec name: PCMU, PCMA, L16 or opus.")
      .def_readonly("codec_rate_hz", &ParticipantSpec::codec_rate_hz, "0: natural rate for the codec (see LegConfig)")
      .def_readonly("join_s", &ParticipantSpec::join_s, "When the participant joins, seconds.")
      .def_readonly("leave_s", &ParticipantSpec::leave_s, "When it leaves, seconds (None: stays to the end).")
      .def_readonly("muted", &ParticipantSpec::muted, "Joins muted.")
      .def_readonly("deaf", &ParticipantSpec::deaf, "Joins deaf (hears nothing).")
      .def_readonly("listen_only", &ParticipantSpec::listen_only, "Joins listen-only (heard by nobody in the room).");
  py::class_<Action>(m, "Action", "A timeline action of a scenario.")
      .def_readonly("at_s", &Action::at_s, "When the action happens, seconds.")
      .def_property_readonly("kind", [](const Action& a) { return std::string(to_string(a.kind)); })
      .def_readonly("who", &Action::who, "the participant acted on (whisper: the whisperer)")
      .def_readonly("target", &Action::target, "whisper/source_gain: the other participant; move: the room")
      .def_readonly("gain_db", &Action::gain_db, "whisper and source_gain")
      .def_readonly("digits", &Action::digits, "dtmf: typed in-band on who's line")
      .def_readonly("reason", &Action::reason, "kick");
  py::class_<Scenario>(m, "Scenario", "A conference scenario (docs/scenario.md), validated on load.")
      .def_readonly("source", &Scenario::source, "file name, for messages")
      .def_readonly("base_dir", &Scenario::base_dir, "relative input paths resolve against it")
      .def_readonly("ptime_ms", &Scenario::ptime_ms, "Frame duration: 10, 20, 40 or 60 ms.")
      .def_readonly("duration_s", &Scenario::duration_s, "s; 0 = until the last participant leaves or its input ends.")
      .def_readonly("rooms", &Scenario::rooms, "The rooms (List[RoomSpec]).")
      .def_readonly("participants", &Scenario::participants, "The participants (List[ParticipantSpec]).")
      .def_readonly("timeline", &Scenario::timeline, "The actions, in time order (List[Action]).");

  m.def("load_scenario", &load_scenario, py::arg("path"),
        "Loads and validates a scenario JSON file. Raises ParseError (or another LibconfError)\n"
        "naming the file, the field and the bad value.");
  m.def(
      "parse_scenario",
      [](const std::string& json, const std::string& source_name, const std::filesystem::path& base_dir) {
        return parse_scenario(json, source_name, base_dir);
      },
      py::arg("json"), py::arg("source_name") = "<string>", py::arg("base_dir") = std::filesystem::path("."),
      "Parses a scenario from a JSON string; relative inputs resolve against base_dir.");

  py::class_<ParticipantResult>(m, "ParticipantResult", "What one participant did and heard (times in s, levels in dBFS).")
      .def_readonly("name", &ParticipantResult::name, "Participant name.")
      .def_readonly("heard_wav", &ParticipantResult::heard_wav, "Path of the WAV file with what the participant heard.")
      .def_readonly("sample_rate_hz", &ParticipantResult::sample_rate_hz, "Rate of that file (the participant's codec rate).")
      .def_readonly("talk_s", &ParticipantResult::talk_s, "Seconds the participant was detected talking.")
      .def_readonly("talk_spurts", &ParticipantResult::talk_spurts, "Number of talk spurts.")
      .def_readonly("digits", &ParticipantResult::digits, "DTMF digits detected on this leg, in order.")
      .def_readonly("heard_level_dbfs", &ParticipantResult::heard_level_dbfs, "Level of what it heard, dBFS.")
      .def_readonly("packets_sent", &ParticipantResult::packets_sent, "by the participant's phone")
      .def_readonly("packets_received", &ParticipantResult::packets_received, "by the participant's phone")
      .def_readonly("exit_reason", &ParticipantResult::exit_reason, "Why it left (e.g. left, kicked, end).");
  py::class_<RunResult>(m, "RunResult", "Result of run_scenario().")
      .def_readonly("out_dir", &RunResult::out_dir, "Folder the outputs were written to.")
      .def_readonly("duration_s", &RunResult::duration_s, "Scenario time run, s.")
      .def_readonly("ticks", &RunResult::ticks, "Engine ticks run.")
      .def_readonly("events", &RunResult::events, "Events written to events.jsonl.")
      .def_readonly("wall_s", &RunResult::wall_s, "Wall-clock time of the run, s.")
      .def_readonly("participants", &RunResult::participants, "Per-participant results (List[ParticipantResult]).");

  m.def(
      "run_scenario",
      [](const Scenario& s, const std::filesystem::path& out_dir, const py::object& progress, std::size_t workers) {
        RunOptions o;
        o.workers = workers;
        if (!progress.is_none()) {
          // Called on this thread with the GIL released: take it back for Python.
          o.progress = [progress](double fraction) {
            py::gil_scoped_acquire gil;
            progress(fraction);
          };
        }
        RunResult r;
        {
          py::gil_scoped_release nogil;
          r = run_scenario(s, out_dir, o);
        }
        return r;
      },
      py::arg("scenario"), py::arg("out_dir"), py::arg("progress") = py::none(), py::arg("workers") = 1,
      "Runs the scenario on a virtual clock (GIL released) and writes <name>.wav per participant,\n"
      "events.jsonl and summary.json into out_dir. progress(fraction 0..1) is called about every 1 %\n"
      "(with the GIL held); an exception it raises aborts the run. Raises LibconfError subclasses.");
}

}  // namespace libconf::python
