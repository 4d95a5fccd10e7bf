// libconf.audio: formats, levels, resampling.
#include "libconf/audio/format.hpp"
#include "libconf/audio/level.hpp"
#include "libconf/audio/resampler.hpp"

#include "common.hpp"

namespace libconf::python {

void init_audio(py::module_& m) {
  using namespace libconf::audio;
  py::list rates, ptimes;
  for (int r : kSupportedSampleRatesHz) rates.append(r);
  for (int p : kSupportedPtimesMs) ptimes.append(p);
  m.attr("SUPPORTED_SAMPLE_RATES_HZ") = py::tuple(rates);
  m.attr("SUPPORTED_PTIMES_MS") = py::tuple(ptimes);
  m.attr("SILENCE_DBFS") = kSilenceDbfs;
  m.attr("DBM0_IN_DBFS") = kDbm0InDbfs;
  m.attr("MAX_FRAME_SAMPLES") = kMaxFrameSamples;

  m.def("samples_per_frame", &samples_per_frame, py::arg("sample_rate_hz"), py::arg("ptime_ms"),
        "Samples in one frame of ptime_ms (ms) at sample_rate_hz (Hz), e.g. 160 for 20 ms at 8000 Hz.");
  m.def("is_supported_sample_rate", &is_supported_sample_rate, py::arg("sample_rate_hz"),
        "True for 8000, 16000, 24000, 32000 and 48000 Hz.");
  m.def(
      "rms_dbfs", [](const py::handle& s) { return rms_dbfs(Samples(s).span()); }, py::arg("samples"),
      "RMS level of int16 samples in dBFS (relative to a full-scale square wave: a\n"
      "full-scale sine measures -3.01 dBFS). SILENCE_DBFS (-120) for silence or no samples.");
  m.def(
      "peak_abs", [](const py::handle& s) { return peak_abs(Samples(s).span()); }, py::arg("samples"),
      "Largest absolute sample value (0..32768).");
  m.def("db_to_gain", &db_to_gain, py::arg("db"), "Linear amplitude gain for a value in dB (20*log10 convention).");
  m.def("gain_to_db", &gain_to_db, py::arg("gain"), "dB (20*log10) of a linear amplitude gain.");

  py::class_<Resampler>(m, "Resampler",
                        "Streaming resampler between 8, 16, 24, 32 and 48 kHz (SpeexDSP). Keeps filter\n"
                        "state across calls: one instance per stream. Not thread-safe.")
      .def(py::init<int, int, int>(), py::arg("input_rate_hz"), py::arg("output_rate_hz"), py::arg("quality") = 3,
           "Rates in Hz: 8000, 16000, 24000, 32000 or 48000. quality: SpeexDSP quality 0..10 (3 = VoIP).\n"
           "Raises UnsupportedSampleRate / InvalidArgument.")
      .def_property_readonly("input_rate_hz", &Resampler::input_rate_hz)
      .def_property_readonly("output_rate_hz", &Resampler::output_rate_hz)
      .def_property_readonly("passthrough", &Resampler::passthrough)
      .def(
          "process",
          [](Resampler& self, const py::handle& input) {
            Samples in(input);
            const std::size_t cap =
                in.size() * static_cast<std::size_t>(self.output_rate_hz()) / static_cast<std::size_t>(self.input_rate_hz()) + 64;
            std::vector<std::int16_t> out(cap);
            Result<std::size_t> n = std::size_t{0};
            {
              py::gil_scoped_release nogil;
              n = self.process(in.span(), out);
            }
            out.resize(unwrap(std::move(n), "Resampler.process"));
            return to_numpy(std::move(out));
          },
          py::arg("samples"),
          "Converts the next block of the stream (np.int16 at input_rate_hz) and returns np.int16 at\n"
          "output_rate_hz. Whole 10 ms blocks give exactly len*out/in samples.")
      .def("reset", &Resampler::reset, "Clears the filter memory (a new stream).");

  m.def(
      "resample",
      [](const py::handle& input, int input_rate_hz, int output_rate_hz, int quality) {
        Samples in(input);
        std::vector<std::int16_t> out;
        {
          py::gil_scoped_release nogil;
          out = resample_buffer(in.span(), input_rate_hz, output_rate_hz, quality);
        }
        return to_numpy(std::move(out));
      },
      py::arg("samples"), py::arg("input_rate_hz"), py::arg("output_rate_hz"), py::arg("quality") = 5,
      "Offline conversion of a whole np.int16 buffer between any two rates (1 kHz..384 kHz, Hz).\n"
      "Raises UnsupportedSampleRate naming a bad rate.");
}

}  // namespace libconf::python
