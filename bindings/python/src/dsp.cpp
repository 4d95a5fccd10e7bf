// libconf DSP: DTMF detector and generator, tone generator, comfort noise,
// AGC, talker detector.
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/dsp/agc.hpp"
#include "libconf/dsp/comfort_noise.hpp"
#include "libconf/dsp/dtmf.hpp"
#include "libconf/dsp/dtmf_detector.hpp"
#include "libconf/dsp/dtmf_generator.hpp"
#include "libconf/dsp/talker_detector.hpp"
#include "libconf/dsp/tone_generator.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::dsp;

std::string digit_str(char c) { return c ? std::string(1, c) : std::string(); }

// Runs fn(out_span) for a new array of n samples.
template <class F>
py::array_t<std::int16_t> generate(std::size_t n, F&& fn) {
  std::vector<std::int16_t> out(n);
  {
    py::gil_scoped_release nogil;
    fn(std::span<std::int16_t>(out));
  }
  return to_numpy(std::move(out));
}

}  // namespace

void init_dsp(py::module_& m) {
  m.attr("DTMF_DIGITS") = std::string(kDtmfDigits);

  // ---- DTMF detector -----------------------------------------------------------------
  py::class_<DtmfDigitEvent>(m, "DtmfDigitEvent",
                             "A DTMF digit start or end. start_sample counts samples of the detector's input\n"
                             "since construction/reset; duration_ms: tone so far (start) or in total (end).")
      .def(py::init([](const std::string& digit, bool end, std::int64_t start_sample, std::uint32_t duration_ms) {
             DtmfDigitEvent e;
             e.digit = digit.empty() ? 0 : digit[0];
             e.end = end;
             e.start_sample = start_sample;
             e.duration_ms = duration_ms;
             return e;
           }),
           py::arg("digit"), py::arg("end"), py::arg("start_sample") = 0, py::arg("duration_ms") = 0)
      .def_property_readonly("digit", [](const DtmfDigitEvent& e) { return digit_str(e.digit); },
                             "'0'-'9', '*', '#', 'A'-'D'.")
      .def_readonly("end", &DtmfDigitEvent::end, "False: the digit started; True: it ended.")
      .def_readonly("start_sample", &DtmfDigitEvent::start_sample, "Estimated first sample of the tone.")
      .def_readonly("duration_ms", &DtmfDigitEvent::duration_ms, "ms of tone so far (start) or in total (end).")
      .def("__repr__", [](const DtmfDigitEvent& e) {
        return "DtmfDigitEvent(digit='" + digit_str(e.digit) + "', end=" + (e.end ? "True" : "False") +
               ", start_sample=" + std::to_string(e.start_sample) + ", duration_ms=" + std::to_string(e.duration_ms) + ")";
      });

  py::class_<DtmfDetectorConfig>(m, "DtmfDetectorConfig", "Settings of DtmfDetector (see the C++ header for ranges).")
      .def(py::init<>())
      .def_readwrite("sample_rate_hz", &DtmfDetectorConfig::sample_rate_hz, "Input rate, Hz (8000..48000).")
      .def_readwrite("min_tone_dbm0", &DtmfDetectorConfig::min_tone_dbm0, "Weakest tone that operates, dBm0.")
      .def_readwrite("max_normal_twist_db", &DtmfDetectorConfig::max_normal_twist_db, "dB.")
      .def_readwrite("max_reverse_twist_db", &DtmfDetectorConfig::max_reverse_twist_db, "dB.")
      .def_readwrite("max_frequency_deviation_percent", &DtmfDetectorConfig::max_frequency_deviation_percent, "%.")
      .def_readwrite("min_tone_energy_share", &DtmfDetectorConfig::min_tone_energy_share, "0.1..1.");

  py::class_<DtmfDetector>(m, "DtmfDetector",
                           "In-band DTMF detector (ITU-T Q.24) for one stream of np.int16 audio. Not thread-safe.")
      .def(py::init([](int sample_rate_hz, std::optional<DtmfDetectorConfig> config) {
             DtmfDetectorConfig c = config.value_or(DtmfDetectorConfig{});
             if (!config) c.sample_rate_hz = sample_rate_hz;
             return std::make_unique<DtmfDetector>(c);
           }),
           py::arg("sample_rate_hz") = 8000, py::arg("config") = py::none(),
           "sample_rate_hz: 8000..48000 Hz (ignored when config is given). Raises UnsupportedSampleRate.")
      .def(
          "process",
          [](DtmfDetector& self, const py::handle& samples) {
            Samples in(samples);
            std::vector<DtmfDigitEvent> events;
            {
              py::gil_scoped_release nogil;
              std::array<DtmfDigitEvent, 32> buf;
              constexpr std::size_t kChunk = 4096;  // at most a few digits per chunk: the 32-slot queue never fills
              auto s = in.span();
              for (std::size_t pos = 0; pos < s.size(); pos += kChunk) {
                const std::size_t n = self.process(s.subspan(pos, std::min(kChunk, s.size() - pos)), buf);
                events.insert(events.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
              }
            }
            return events;
          },
          py::arg("samples"),
          "Analyses the next np.int16 samples of the stream (any length) and returns the digit\n"
          "events they completed: a list of DtmfDigitEvent (a start and an end per digit).")
      .def(
          "digits",
          [](DtmfDetector& self, const py::handle& samples) {
            Samples in(samples);
            std::string digits;
            {
              py::gil_scoped_release nogil;
              std::array<DtmfDigitEvent, 32> buf;
              constexpr std::size_t kChunk = 4096;
              auto s = in.span();
              for (std::size_t pos = 0; pos < s.size(); pos += kChunk) {
                const std::size_t n = self.process(s.subspan(pos, std::min(kChunk, s.size() - pos)), buf);
                for (std::size_t i = 0; i < n; ++i)
                  if (!buf[i].end) digits.push_back(buf[i].digit);
              }
            }
            return digits;
          },
          py::arg("samples"), "Like process() but returns just the digits that started, as a string.")
      .def("reset", &DtmfDetector::reset, "Forgets the stream (sample counter back to 0).")
      .def_property_readonly("sample_rate_hz", &DtmfDetector::sample_rate_hz)
      .def_property_readonly("active_digit", [](const DtmfDetector& d) { return digit_str(d.active_digit()); },
                             "The digit held down now, or ''.")
      .def_property_readonly("samples_processed", &DtmfDetector::samples_processed);

  // ---- DTMF generator ----------------------------------------------------------------
  py::class_<DtmfGenerator>(m, "DtmfGenerator",
                            "In-band DTMF digits (Q.23 pairs), produced block by block. Not thread-safe.")
      .def(py::init([](int rate, double level_dbm0, double high_minus_low_db, int on_ms, int off_ms) {
             DtmfGeneratorConfig c;
             c.sample_rate_hz = rate;
             c.level_dbm0 = level_dbm0;
             c.high_minus_low_db = high_minus_low_db;
             c.on_ms = on_ms;
             c.off_ms = off_ms;
             return std::make_unique<DtmfGenerator>(c);
           }),
           py::arg("sample_rate_hz") = 8000, py::arg("level_dbm0") = -8.0, py::arg("high_minus_low_db") = 2.0,
           py::arg("on_ms") = 100, py::arg("off_ms") = 100,
           "level_dbm0: low-group tone level (dBm0, -60..3); high_minus_low_db: twist (dB);\n"
           "on_ms/off_ms: tone and pause per digit for queue() (ms). Raises InvalidArgument.")
      .def(
          "queue", [](DtmfGenerator& g, std::string_view digits) { check(g.queue(digits), "DtmfGenerator.queue"); },
          py::arg("digits"), "Appends digits ('0'-'9', '*', '#', 'A'-'D'). Raises InvalidArgument, CapacityExceeded.")
      .def(
          "play",
          [](DtmfGenerator& g, const std::string& digit, int on_ms, int off_ms) {
            if (digit.size() != 1) raise_error(errc::invalid_argument, "DtmfGenerator.play: one digit expected, got '" + digit + "'");
            check(g.play(digit[0], on_ms, off_ms), "DtmfGenerator.play");
          },
          py::arg("digit"), py::arg("on_ms"), py::arg("off_ms"), "Appends one digit with its own timing (ms).")
      .def(
          "generate",
          [](DtmfGenerator& g, std::size_t n) { return generate(n, [&](std::span<std::int16_t> s) { g.generate(s); }); },
          py::arg("samples"), "The next `samples` samples (np.int16): queued digits, then silence.")
      .def("clear", &DtmfGenerator::clear)
      .def_property_readonly("idle", &DtmfGenerator::idle, "True when nothing is queued or playing.")
      .def_property_readonly("sample_rate_hz", &DtmfGenerator::sample_rate_hz);

  // ---- Tones ---------------------------------------------------------------------------
  py::enum_<ToneRegion>(m, "ToneRegion", "Regional call-progress tone plans.")
      .value("EUROPE", ToneRegion::kEurope)
      .value("NORTH_AMERICA", ToneRegion::kNorthAmerica)
      .value("UNITED_KINGDOM", ToneRegion::kUnitedKingdom)
      .value("GERMANY", ToneRegion::kGermany)
      .value("SWITZERLAND", ToneRegion::kSwitzerland)
      .value("JAPAN", ToneRegion::kJapan);
  py::enum_<CallProgressTone>(m, "CallProgressTone")
      .value("DIAL", CallProgressTone::kDial)
      .value("RINGBACK", CallProgressTone::kRingback)
      .value("BUSY", CallProgressTone::kBusy)
      .value("CONGESTION", CallProgressTone::kCongestion);
  py::class_<ToneSpec>(m, "ToneSpec",
                       "Up to two summed frequencies (Hz, 0 = unused), optional AM (Hz), level per\n"
                       "component (dBm0) and an on/off cadence in ms (all zero = continuous).")
      .def(py::init([](std::vector<double> freqs, double modulation_hz, double level_dbm0, std::vector<int> cadence) {
             ToneSpec s;
             if (freqs.size() > 2) raise_error(errc::invalid_argument, "ToneSpec: at most 2 frequencies");
             if (cadence.size() > 6) raise_error(errc::invalid_argument, "ToneSpec: at most 6 cadence entries");
             for (std::size_t i = 0; i < freqs.size(); ++i) s.frequencies_hz[i] = freqs[i];
             for (std::size_t i = 0; i < cadence.size(); ++i) s.cadence_ms[i] = cadence[i];
             s.modulation_hz = modulation_hz;
             s.level_dbm0 = level_dbm0;
             return s;
           }),
           py::arg("frequencies_hz"), py::arg("modulation_hz") = 0.0, py::arg("level_dbm0") = -13.0,
           py::arg("cadence_ms") = std::vector<int>{})
      .def_property_readonly("frequencies_hz", [](const ToneSpec& s) { return py::make_tuple(s.frequencies_hz[0], s.frequencies_hz[1]); })
      .def_readonly("modulation_hz", &ToneSpec::modulation_hz, "Amplitude modulation rate, Hz (0: none). Depth is kModulationDepth.")
      .def_readonly("level_dbm0", &ToneSpec::level_dbm0, "Level of each frequency component, dBm0 (rms of that sine; for a modulated tone, of the sine at the envelope's peak).")
      .def_property_readonly("cadence_ms", [](const ToneSpec& s) {
        py::list l;
        for (int c : s.cadence_ms) l.append(c);
        return py::tuple(l);
      });
  m.def("tone_spec", &tone_spec, py::arg("region"), py::arg("tone"), "The preset ToneSpec of a region and tone.");
  m.def(
      "tone_region_from_name",
      [](std::string_view name) { return unwrap(tone_region_from_name(name), "tone_region_from_name"); },
      py::arg("name"), "'europe', 'north_america', 'uk', 'germany', 'switzerland', 'japan'. Raises NotFound.");
  py::class_<ToneGenerator>(m, "ToneGenerator", "Plays a ToneSpec block by block (phase and cadence kept). Not thread-safe.")
      .def(py::init<int>(), py::arg("sample_rate_hz"), "Silent until set_tone().")
      .def(py::init<int, const ToneSpec&>(), py::arg("sample_rate_hz"), py::arg("spec"))
      .def(
          "set_tone", [](ToneGenerator& g, const ToneSpec& s) { check(g.set_tone(s), "ToneGenerator.set_tone"); },
          py::arg("spec"), "Starts spec from the beginning of its cadence. Raises InvalidArgument.")
      .def(
          "generate",
          [](ToneGenerator& g, std::size_t n) { return generate(n, [&](std::span<std::int16_t> s) { g.generate(s); }); },
          py::arg("samples"), "The next `samples` samples (np.int16); silence when stopped.")
      .def("stop", &ToneGenerator::stop)
      .def_property_readonly("playing", &ToneGenerator::playing)
      .def_property_readonly("sample_rate_hz", &ToneGenerator::sample_rate_hz);

  // ---- Comfort noise -------------------------------------------------------------------
  py::enum_<NoiseColor>(m, "NoiseColor").value("WHITE", NoiseColor::kWhite).value("PINK", NoiseColor::kPink);
  py::class_<ComfortNoise>(m, "ComfortNoise", "Deterministic background noise at a level (dBFS RMS). Not thread-safe.")
      .def(py::init([](double level_dbfs, NoiseColor color, std::uint32_t seed) {
             ComfortNoiseConfig c;
             c.level_dbfs = level_dbfs;
             c.color = color;
             c.seed = seed;
             return std::make_unique<ComfortNoise>(c);
           }),
           py::arg("level_dbfs") = -60.0, py::arg("color") = NoiseColor::kPink, py::arg("seed") = 1u,
           "level_dbfs: RMS level (dBFS, <= 0). Same seed, same samples.")
      .def(
          "generate",
          [](ComfortNoise& g, std::size_t n) { return generate(n, [&](std::span<std::int16_t> s) { g.generate(s); }); },
          py::arg("samples"), "The next `samples` samples of noise (np.int16).")
      .def_property("level_dbfs", &ComfortNoise::level_dbfs, &ComfortNoise::set_level_dbfs, "RMS level, dBFS.")
      .def("reset", &ComfortNoise::reset, "Restarts the sequence from the seed.");

  // ---- Talker detector -----------------------------------------------------------------
  py::class_<TalkerUpdate>(m, "TalkerUpdate", "What one frame changed in a TalkerDetector (levels in dBFS).")
      .def_readonly("talking", &TalkerUpdate::talking, "state after this frame")
      .def_readonly("started", &TalkerUpdate::started, "this frame started a talk spurt")
      .def_readonly("stopped", &TalkerUpdate::stopped, "this frame ended a talk spurt (hangover expired or force_stop)")
      .def_readonly("level_dbfs", &TalkerUpdate::level_dbfs, "Smoothed speech level while talking, else -120.")
      .def_readonly("speech_frame", &TalkerUpdate::speech_frame, "this frame alone is above floor + active margin")
      .def_readonly("modulated", &TalkerUpdate::modulated, "Speech-like level modulation (not noise or a tone).")
      .def_readonly("frame_level_dbfs", &TalkerUpdate::frame_level_dbfs, "this frame's level (DC removed)")
      .def_readonly("noise_floor_dbfs", &TalkerUpdate::noise_floor_dbfs, "the floor this frame was judged against")
      .def("__repr__", [](const TalkerUpdate& u) {
        return "TalkerUpdate(talking=" + std::string(u.talking ? "True" : "False") +
               ", level_dbfs=" + std::to_string(u.level_dbfs) + ")";
      });
  py::class_<TalkerDetector>(m, "TalkerDetector", "Energy VAD with an adaptive noise floor, one frame at a time. Not thread-safe.")
      .def(py::init([](int rate, std::size_t frame, int hangover_ms, int start_ms, double active_margin_db,
                       double start_margin_db, double min_speech_level_dbfs) {
             TalkerDetectorConfig c;
             c.sample_rate_hz = rate;
             c.frame_samples = frame ? frame : audio::samples_per_frame(rate, 20);
             c.hangover_ms = hangover_ms;
             c.start_ms = start_ms;
             c.active_margin_db = active_margin_db;
             c.start_margin_db = start_margin_db;
             c.min_speech_level_dbfs = min_speech_level_dbfs;
             return std::make_unique<TalkerDetector>(c);
           }),
           py::arg("sample_rate_hz") = 8000, py::arg("frame_samples") = 0, py::arg("hangover_ms") = 300,
           py::arg("start_ms") = 40, py::arg("active_margin_db") = 8.0, py::arg("start_margin_db") = 15.0,
           py::arg("min_speech_level_dbfs") = -60.0,
           "frame_samples: 10/20/40/60 ms at sample_rate_hz (0: 20 ms). Margins in dB, levels in dBFS, times in ms.")
      .def(
          "process", [](TalkerDetector& d, const py::handle& frame) { return d.process(Samples(frame).span()); },
          py::arg("frame"), "Analyses one frame (frame_samples of np.int16); returns a TalkerUpdate.")
      .def("force_stop", &TalkerDetector::force_stop)
      .def("reset", &TalkerDetector::reset)
      .def_property_readonly("talking", &TalkerDetector::talking)
      .def_property_readonly("level_dbfs", &TalkerDetector::level_dbfs)
      .def_property_readonly("noise_floor_dbfs", &TalkerDetector::noise_floor_dbfs)
      .def_property_readonly("frame_samples", [](const TalkerDetector& d) { return d.config().frame_samples; });

  // ---- AGC -----------------------------------------------------------------------------
  py::class_<Agc>(m, "Agc", "Automatic gain control toward a target speech level (dBFS). Not thread-safe.")
      .def(py::init([](int rate, std::size_t frame, double target, double max_gain, double min_gain, double slew,
                       bool enabled, double ceiling, int tc) {
             AgcConfig c;
             c.sample_rate_hz = rate;
             c.frame_samples = frame ? frame : audio::samples_per_frame(rate, 20);
             c.target_level_dbfs = target;
             c.max_gain_db = max_gain;
             c.min_gain_db = min_gain;
             c.max_gain_change_db_per_s = slew;
             c.enabled = enabled;
             c.peak_ceiling_db = ceiling;
             c.level_time_constant_ms = tc;
             return std::make_unique<Agc>(c);
           }),
           py::arg("sample_rate_hz") = 8000, py::arg("frame_samples") = 0, py::arg("target_level_dbfs") = -20.0,
           py::arg("max_gain_db") = 24.0, py::arg("min_gain_db") = -12.0, py::arg("max_gain_change_db_per_s") = 10.0,
           py::arg("enabled") = true, py::arg("peak_ceiling_db") = -1.0, py::arg("level_time_constant_ms") = 400,
           "frame_samples: 10/20/40/60 ms at sample_rate_hz (0: 20 ms). Raises InvalidArgument naming a bad field.")
      .def(
          "process",
          [](Agc& agc, const py::array& frame) {
            auto s = writable_samples(frame, "Agc.process");
            agc.process(s);
            return frame;
          },
          py::arg("frame"), "Applies the gain IN PLACE to one frame (writable np.int16 of frame_samples); returns it.")
      .def(
          "process_signal",
          [](Agc& agc, const py::handle& signal) {
            Samples in(signal);
            const std::size_t frame = agc.config().frame_samples;
            std::vector<std::int16_t> out(in.span().begin(), in.span().end());
            {
              py::gil_scoped_release nogil;
              for (std::size_t pos = 0; pos + frame <= out.size(); pos += frame) agc.process(std::span(out).subspan(pos, frame));
            }
            out.resize(out.size() / frame * frame);
            return to_numpy(std::move(out));
          },
          py::arg("signal"), "Processes a whole signal frame by frame (GIL released); returns a new np.int16\n"
                             "array of the whole frames (a trailing partial frame is dropped).")
      .def_property_readonly("gain_db", &Agc::gain_db, "Gain of the level loop at the end of the last frame, dB.")
      .def_property_readonly("input_level_dbfs", &Agc::input_level_dbfs, "Speech level estimate of the input, dBFS.")
      .def_property_readonly("noise_floor_dbfs", &Agc::noise_floor_dbfs)
      .def_property_readonly("limiting", &Agc::limiting)
      .def_property("enabled", &Agc::enabled, &Agc::set_enabled,
                    "True: process() applies the gain; False: samples pass untouched (what was learned is kept).")
      .def_property_readonly("frame_samples", [](const Agc& a) { return a.config().frame_samples; })
      .def("reset", &Agc::reset);
}

}  // namespace libconf::python
