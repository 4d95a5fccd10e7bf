// libFuzzer target: arbitrary packet sequences into JitterBuffer::put/get.
// Input: 4 bytes of configuration, then 12-byte records
//   seq(2) ts(4) ssrc(1) size(2) arrival_step(2, signed) op(1)
// op bit 0..2: how many get() calls follow the put (0..7); bit 7: reset().
// Invariants checked: no crash or sanitizer report; a returned payload lies in
// the buffer's own storage bounds (size <= max_payload_bytes); audio and fec
// frames carry a payload; conceal and silence frames do not.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/jitter/jitter_buffer.hpp"

namespace {

template <class T>
T take(const std::uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  using namespace libconf::jitter;
  JitterConfig c;
  static constexpr int kRates[] = {8000, 16000, 48000};
  c.clock_rate_hz = kRates[data[0] % 3];
  c.frame_duration_ts = static_cast<std::uint32_t>(c.clock_rate_hz / 1000 * (10 + 10 * (data[1] % 6)));
  c.max_delay_ms = 20 + 20 * (data[2] % 20);
  c.min_delay_ms = (data[2] / 20) % 4 * 20 % (c.max_delay_ms + 1);
  const int frame_ms = static_cast<int>(c.frame_duration_ts * 1000 / c.clock_rate_hz);
  c.capacity_packets = static_cast<std::size_t>((c.max_delay_ms + frame_ms - 1) / frame_ms + 2 + data[3] % 16) - (data[3] >> 7);
  c.max_payload_bytes = 1 + data[3] % 200;
  c.target_quantile = 0.5 + (data[3] % 5) * 0.1;
  // Configuration errors throw at the edge (by contract); the harness builds
  // mostly valid configurations, and any it gets wrong must throw, not crash.
  std::optional<JitterBuffer> holder;
  try {
    holder.emplace(c);
  } catch (const libconf::Error&) {
    return 0;
  }
  JitterBuffer& jb = *holder;

  static const std::vector<std::uint8_t> payload = [] {
    std::vector<std::uint8_t> v(70000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i);
    return v;
  }();
  std::int64_t now = 0;
  const std::uint8_t* p = data + 4;
  const std::uint8_t* end = data + size;
  while (end - p >= 12) {
    libconf::transport::ReceivedPacket pkt;
    pkt.sequence = take<std::uint16_t>(p);
    pkt.rtp_timestamp = take<std::uint32_t>(p);
    pkt.ssrc = take<std::uint8_t>(p) % 4;
    const std::uint16_t len = take<std::uint16_t>(p);
    const std::int16_t step = take<std::int16_t>(p);
    const std::uint8_t op = take<std::uint8_t>(p);
    // Large steps (|step| > 30000) jump the clock by hours, both directions.
    now += std::abs(step) > 30000 ? std::int64_t{step} * 1'000'000'000 : std::int64_t{step} * 100;
    pkt.arrival_us = now;
    pkt.payload = {payload.data(), static_cast<std::size_t>(len) * 2 % payload.size()};
    jb.put(pkt);
    for (int g = 0; g < (op & 7); ++g) {
      now += frame_ms * 1000;
      const JitterFrame f = jb.get(now);
      check(f.payload.size() <= c.max_payload_bytes);
      if (f.kind == FrameKind::audio || f.kind == FrameKind::fec) {
        check(f.payload.data() != nullptr);
        // Touch every byte so ASan checks the span.
        volatile std::uint8_t sink = 0;
        for (std::uint8_t b : f.payload) sink = sink ^ b;
        (void)sink;
      } else {
        check(f.payload.empty());
      }
    }
    if (op & 0x80) jb.reset();
  }
  const auto& s = jb.stats();
  check(s.target_delay_ms >= c.min_delay_ms && s.target_delay_ms <= c.max_delay_ms);
  return 0;
}
