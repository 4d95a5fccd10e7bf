// Fuzzes the RFC 4733 path: the input is a sequence of 7-byte records
// (4-byte event payload, 2-byte timestamp step, 1-byte arrival step) fed to
// the receiver at 8 and 48 kHz. Invariants: per digit at most one start and
// one end, ends only after starts, never more than 3 events per packet.
#include <cstdint>
#include <cstdlib>

#include "libconf/transport/telephone_event.hpp"

using namespace libconf::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (int rate : {8000, 48000}) {
    TelephoneEventReceiver rx(rate);
    std::uint32_t ts = 0;
    std::int64_t now = 0;
    int open = 0;  // digits started and not yet ended
    for (std::size_t pos = 0; pos + 7 <= size; pos += 7) {
      auto e = parse_telephone_event(std::span<const std::uint8_t>(data + pos, 4));
      if (!e) std::abort();
      ts += static_cast<std::uint32_t>((data[pos + 4] << 8) | data[pos + 5]) - 0x4000u;
      now += data[pos + 6] * 1000;
      DtmfEvent out[3];
      const std::size_t n = rx.on_packet(*e, ts, now, std::span<DtmfEvent, 3>(out));
      if (n > 3) std::abort();
      for (std::size_t i = 0; i < n; ++i) {
        if (dtmf_event_code(out[i].digit) < 0) std::abort();
        open += out[i].end ? -1 : 1;
        if (open < 0 || open > 1) std::abort();
      }
      DtmfEvent t;
      if (rx.poll_timeout(now, t) && --open != 0) std::abort();
    }
  }
  // Also the parser on the raw input.
  (void)parse_telephone_event(std::span<const std::uint8_t>(data, size));
  return 0;
}
