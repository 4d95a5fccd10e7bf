// libconf.JitterBuffer: put packets from Python, get one frame decision per tick.
#include "libconf/jitter/jitter_buffer.hpp"

#include "common.hpp"

namespace libconf::python {

void init_jitter(py::module_& m) {
  using namespace libconf::jitter;
  py::enum_<FrameKind>(m, "FrameKind", "What a JitterBuffer tick asks the caller to play.")
      .value("AUDIO", FrameKind::audio, "decode payload")
      .value("FEC", FrameKind::fec, "frame lost, next packet here: decode its FEC (payload = next packet)")
      .value("CONCEAL", FrameKind::conceal, "run the codec's PLC")
      .value("SILENCE", FrameKind::silence, "nothing to play");

  py::class_<JitterStats>(m, "JitterStats", "JitterBuffer counters since construction; delays in ms.")
      .def_readonly("received", &JitterStats::received, "packets handed to put() and accepted")
      .def_readonly("duplicates", &JitterStats::duplicates, "same sequence number already buffered or played")
      .def_readonly("late", &JitterStats::late, "arrived after their play-out time (discarded)")
      .def_readonly("lost", &JitterStats::lost, "sequence numbers missing when their turn came (network loss and late)")
      .def_readonly("concealed", &JitterStats::concealed, "ticks answered with FrameKind::conceal")
      .def_readonly("fec_recovered", &JitterStats::fec_recovered, "ticks answered with FrameKind::fec")
      .def_readonly("reordered", &JitterStats::reordered, "arrived after a packet with a higher sequence number")
      .def_readonly("dropped_for_drift", &JitterStats::dropped_for_drift, "packets dropped during speech to bring the delay down to target")
      .def_readonly("overflow", &JitterStats::overflow, "dropped: too far ahead for the ring, or payload too large")
      .def_readonly("stretched", &JitterStats::stretched, "ticks inserted (conceal or silence) to raise the delay to target")
      .def_readonly("resyncs", &JitterStats::resyncs, "stream restarts: SSRC change or a sequence/timestamp jump")
      .def_readonly("target_delay_ms", &JitterStats::target_delay_ms, "current target")
      .def_readonly("current_delay_ms", &JitterStats::current_delay_ms, "play-out delay behind the fastest path, at the last get()");

  py::class_<JitterBuffer>(m, "JitterBuffer",
                           "Adaptive jitter buffer of one stream: put() packets as they arrive, get() once per\n"
                           "frame duration. Owns no codec. Not thread-safe.")
      .def(py::init([](int clock_rate_hz, std::uint32_t frame_duration_ts, int min_delay_ms, int max_delay_ms,
                       std::size_t capacity_packets, std::size_t max_payload_bytes, double target_quantile) {
             JitterConfig c;
             c.clock_rate_hz = clock_rate_hz;
             c.frame_duration_ts = frame_duration_ts;
             c.min_delay_ms = min_delay_ms;
             c.max_delay_ms = max_delay_ms;
             c.capacity_packets = capacity_packets;
             c.max_payload_bytes = max_payload_bytes;
             c.target_quantile = target_quantile;
             return std::make_unique<JitterBuffer>(c);
           }),
           py::arg("clock_rate_hz") = 8000, py::arg("frame_duration_ts") = 160, py::arg("min_delay_ms") = 20,
           py::arg("max_delay_ms") = 400, py::arg("capacity_packets") = 64, py::arg("max_payload_bytes") = 1500,
           py::arg("target_quantile") = 0.95,
           "clock_rate_hz: RTP clock (Hz); frame_duration_ts: RTP units per frame; delays in ms.\n"
           "Raises InvalidArgument naming a bad field.")
      .def(
          "put",
          [](JitterBuffer& jb, const py::bytes& payload, std::uint16_t sequence, std::uint32_t rtp_timestamp,
             std::int64_t arrival_us, std::uint32_t ssrc, std::uint8_t payload_type, bool marker) {
            transport::ReceivedPacket p;
            p.payload = byte_span(payload);
            p.sequence = sequence;
            p.rtp_timestamp = rtp_timestamp;
            p.arrival_us = arrival_us;
            p.ssrc = ssrc;
            p.payload_type = payload_type;
            p.marker = marker;
            jb.put(p);
          },
          py::arg("payload"), py::arg("sequence"), py::arg("rtp_timestamp"), py::arg("arrival_us"), py::arg("ssrc") = 0,
          py::arg("payload_type") = 0, py::arg("marker") = false,
          "Hands over one packet (RTP sequence, timestamp in clock units, arrival time in us).\n"
          "Duplicates, late and oversized packets are counted and dropped.")
      .def(
          "get",
          [](JitterBuffer& jb, std::int64_t now_us) {
            JitterFrame f = jb.get(now_us);
            return py::make_tuple(f.kind, py::bytes(reinterpret_cast<const char*>(f.payload.data()), f.payload.size()),
                                  f.rtp_timestamp);
          },
          py::arg("now_us"),
          "Once per frame duration (now_us on the arrival clock): returns (kind: FrameKind,\n"
          "payload: bytes, rtp_timestamp). payload is the packet for AUDIO, the next packet for FEC.")
      .def_property_readonly("stats", [](const JitterBuffer& jb) { return jb.stats(); }, "A JitterStats snapshot.")
      .def("reset", &JitterBuffer::reset, "Forgets the stream; keeps the counters.");
}

}  // namespace libconf::python
