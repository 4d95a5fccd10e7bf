// libconf codecs: CodecRegistry, Codec (encode/decode/conceal/decode_fec).
#include <memory>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/codec/codec.hpp"
#include "libconf/codec/g711.hpp"
#include "libconf/codec/registry.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {

// A codec instance plus the frame length it was created for.
class PyCodec {
 public:
  PyCodec(std::unique_ptr<codec::Codec> c, const codec::CodecParams& p) : codec_(std::move(c)), params_(p) {}

  codec::Codec& get() { return *codec_; }
  const codec::CodecParams& params() const { return params_; }
  std::size_t frame_samples() const {
    return audio::samples_per_frame(codec_->sample_rate_hz(), params_.ptime_ms);
  }
  // Room for the longest packet any built-in codec decodes: 120 ms (Opus),
  // or one sample per byte (G.711) for long payloads.
  std::size_t decode_capacity(std::size_t payload_bytes) const {
    return std::max<std::size_t>(payload_bytes, static_cast<std::size_t>(codec_->sample_rate_hz()) * 120 / 1000);
  }

 private:
  std::unique_ptr<codec::Codec> codec_;
  codec::CodecParams params_;
};

codec::CodecParams make_params(int sample_rate_hz, int ptime_ms, int bitrate_bps, int complexity, bool fec, bool dtx,
                               int expected_loss_percent) {
  codec::CodecParams p;
  p.sample_rate_hz = sample_rate_hz;
  p.ptime_ms = ptime_ms;
  p.bitrate_bps = bitrate_bps;
  p.complexity = complexity;
  p.fec = fec;
  p.dtx = dtx;
  p.expected_loss_percent = expected_loss_percent;
  return p;
}

std::unique_ptr<PyCodec> create(const codec::CodecRegistry& registry, const std::string& name, int sample_rate_hz,
                                int ptime_ms, int bitrate_bps, int complexity, bool fec, bool dtx, int loss) {
  auto p = make_params(sample_rate_hz, ptime_ms, bitrate_bps, complexity, fec, dtx, loss);
  return std::make_unique<PyCodec>(registry.create_or_throw(name, p), p);
}

const codec::CodecRegistry& builtin() {
  static const codec::CodecRegistry r = codec::CodecRegistry::with_builtin_codecs();
  return r;
}

py::bytes encode_one(PyCodec& self, std::span<const std::int16_t> pcm) {
  std::vector<std::uint8_t> out(std::max(codec::kMaxEncodedFrameBytes, pcm.size() * 2));
  auto n = unwrap(self.get().encode(pcm, out), "Codec.encode");
  return py::bytes(reinterpret_cast<const char*>(out.data()), n);
}

constexpr const char* kCreateDoc =
    "Creates a codec by SDP name (case-insensitive: 'PCMU', 'PCMA', 'L16', 'opus').\n"
    "sample_rate_hz: PCM rate in and out (Hz); ptime_ms: frame duration (10/20/40/60 ms);\n"
    "bitrate_bps: 0 = codec default; complexity: Opus 0..10, -1 = default; fec/dtx: Opus\n"
    "in-band FEC and DTX; expected_loss_percent: Opus FEC tuning (0..100).\n"
    "Raises UnknownCodec, UnsupportedSampleRate, UnsupportedFrameSize, InvalidArgument.";

}  // namespace

void init_codec(py::module_& m) {
  m.attr("MAX_ENCODED_FRAME_BYTES") = codec::kMaxEncodedFrameBytes;

  py::class_<PyCodec>(m, "Codec",
                      "One codec instance (encoder and decoder state of one stream). Create it with\n"
                      "create_codec() or CodecRegistry.create(). Not thread-safe.")
      .def_property_readonly("name", [](PyCodec& c) { return std::string(c.get().name()); }, "SDP encoding name.")
      .def_property_readonly("sample_rate_hz", [](PyCodec& c) { return c.get().sample_rate_hz(); },
                             "PCM rate of encode() input and decode() output, Hz.")
      .def_property_readonly("rtp_clock_rate_hz", [](PyCodec& c) { return c.get().rtp_clock_rate_hz(); },
                             "RTP clock rate written in SDP, Hz (48000 for Opus).")
      .def_property_readonly("static_payload_type", [](PyCodec& c) { return c.get().static_payload_type(); },
                             "Static RTP payload type, -1 for dynamic.")
      .def_property_readonly("ptime_ms", [](PyCodec& c) { return c.params().ptime_ms; }, "Frame duration, ms.")
      .def_property_readonly("frame_samples", &PyCodec::frame_samples, "Samples per frame at sample_rate_hz.")
      .def_property_readonly("has_fec", [](PyCodec& c) { return c.get().has_fec(); },
                             "Whether decode_fec() can rebuild a lost frame from the next packet.")
      .def(
          "encode", [](PyCodec& self, const py::handle& pcm) { return encode_one(self, Samples(pcm).span()); },
          py::arg("pcm"),
          "Encodes one frame of np.int16 PCM at sample_rate_hz (Opus: a legal Opus frame length;\n"
          "G.711/L16: any length) and returns the payload bytes (b'' for an Opus DTX frame).")
      .def(
          "encode_frames",
          [](PyCodec& self, const py::handle& pcm) {
            Samples in(pcm);
            const std::size_t frame = self.frame_samples();
            if (in.size() % frame != 0)
              raise_error(errc::invalid_argument, "Codec.encode_frames: " + std::to_string(in.size()) +
                                                      " samples is not a whole number of " + std::to_string(frame) +
                                                      "-sample frames");
            const std::size_t frames = in.size() / frame;
            std::vector<std::uint8_t> buf(frames * codec::kMaxEncodedFrameBytes);
            std::vector<std::size_t> sizes(frames);
            std::error_code error;
            {
              py::gil_scoped_release nogil;
              for (std::size_t i = 0; i < frames && !error; ++i) {
                auto r = self.get().encode(in.span().subspan(i * frame, frame),
                                           std::span(buf).subspan(i * codec::kMaxEncodedFrameBytes, codec::kMaxEncodedFrameBytes));
                if (r) sizes[i] = *r;
                else error = r.error();
              }
            }
            if (error) raise_error(error, "Codec.encode_frames: " + error.message());
            py::list out;
            for (std::size_t i = 0; i < frames; ++i)
              out.append(py::bytes(reinterpret_cast<const char*>(buf.data() + i * codec::kMaxEncodedFrameBytes), sizes[i]));
            return out;
          },
          py::arg("pcm"),
          "Encodes a whole signal frame by frame (len(pcm) a multiple of frame_samples) with\n"
          "the GIL released; returns a list of payloads, one per frame.")
      .def(
          "decode",
          [](PyCodec& self, const py::bytes& payload) {
            auto in = byte_span(payload);
            std::vector<std::int16_t> out(self.decode_capacity(in.size()));
            out.resize(unwrap(self.get().decode(in, out), "Codec.decode"));
            return to_numpy(std::move(out));
          },
          py::arg("payload"), "Decodes one packet; returns np.int16 PCM at sample_rate_hz. Raises MalformedPacket.")
      .def(
          "decode_frames",
          [](PyCodec& self, const std::vector<py::bytes>& payloads) {
            std::vector<std::span<const std::uint8_t>> in;
            std::size_t cap = 0;
            for (const auto& p : payloads) {
              in.push_back(byte_span(p));
              cap += self.decode_capacity(in.back().size());
            }
            std::vector<std::int16_t> out(cap);
            std::size_t used = 0;
            std::error_code error;
            {
              py::gil_scoped_release nogil;
              for (const auto& p : in) {
                auto r = self.get().decode(p, std::span(out).subspan(used));
                if (!r) {
                  error = r.error();
                  break;
                }
                used += *r;
              }
            }
            if (error) raise_error(error, "Codec.decode_frames: " + error.message());
            out.resize(used);
            return to_numpy(std::move(out));
          },
          py::arg("payloads"),
          "Decodes a list of packets in order with the GIL released; returns the concatenated np.int16 PCM.")
      .def(
          "conceal",
          [](PyCodec& self, std::size_t samples) {
            std::vector<std::int16_t> out(samples ? samples : self.frame_samples());
            out.resize(unwrap(self.get().conceal(out), "Codec.conceal"));
            return to_numpy(std::move(out));
          },
          py::arg("samples") = 0,
          "Packet loss concealment for one lost frame (samples=0: frame_samples); returns np.int16.")
      .def(
          "decode_fec",
          [](PyCodec& self, const py::bytes& next_payload, std::size_t samples) {
            std::vector<std::int16_t> out(samples ? samples : self.frame_samples());
            out.resize(unwrap(self.get().decode_fec(byte_span(next_payload), out), "Codec.decode_fec"));
            return to_numpy(std::move(out));
          },
          py::arg("next_payload"), py::arg("samples") = 0,
          "Rebuilds the frame lost before next_payload from its in-band FEC (Opus); codecs\n"
          "without FEC conceal instead. Returns np.int16 of samples (0: frame_samples).")
      .def("reset", [](PyCodec& self) { self.get().reset(); }, "Resets the state (a new stream).")
      .def("__repr__", [](PyCodec& c) {
        return "<libconf.Codec " + std::string(c.get().name()) + " " + std::to_string(c.get().sample_rate_hz()) +
               " Hz " + std::to_string(c.params().ptime_ms) + " ms>";
      });

  py::class_<codec::CodecRegistry>(m, "CodecRegistry",
                                   "Codec factories by SDP name (case-insensitive). CodecRegistry() holds the\n"
                                   "built-in codecs: PCMU, PCMA, L16, opus.")
      .def(py::init([] { return codec::CodecRegistry::with_builtin_codecs(); }))
      .def("names", &codec::CodecRegistry::names, "Registered SDP names in registration order.")
      .def("contains", &codec::CodecRegistry::contains, py::arg("sdp_name"))
      .def("__contains__", &codec::CodecRegistry::contains, py::arg("sdp_name"))
      .def(
          "create",
          [](const codec::CodecRegistry& r, const std::string& name, int rate, int ptime, int bitrate, int complexity,
             bool fec, bool dtx, int loss) { return create(r, name, rate, ptime, bitrate, complexity, fec, dtx, loss); },
          py::arg("sdp_name"), py::arg("sample_rate_hz") = 8000, py::arg("ptime_ms") = 20, py::arg("bitrate_bps") = 0,
          py::arg("complexity") = -1, py::arg("fec") = false, py::arg("dtx") = false,
          py::arg("expected_loss_percent") = 0, kCreateDoc);

  m.def(
      "create_codec",
      [](const std::string& name, int rate, int ptime, int bitrate, int complexity, bool fec, bool dtx, int loss) {
        return create(builtin(), name, rate, ptime, bitrate, complexity, fec, dtx, loss);
      },
      py::arg("sdp_name"), py::arg("sample_rate_hz") = 8000, py::arg("ptime_ms") = 20, py::arg("bitrate_bps") = 0,
      py::arg("complexity") = -1, py::arg("fec") = false, py::arg("dtx") = false, py::arg("expected_loss_percent") = 0,
      kCreateDoc);
}

}  // namespace libconf::python
