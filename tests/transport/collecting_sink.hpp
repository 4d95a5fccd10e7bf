#pragma once
// Test sink: keeps copies of what a transport delivers.

#include <cstdint>
#include <vector>

#include "libconf/transport/media_transport.hpp"

namespace libconf::transport::testing {

struct StoredPacket {
  std::vector<std::uint8_t> payload;
  ReceivedPacket header;
};

class CollectingSink final : public PacketSink {
 public:
  void on_packet(const ReceivedPacket& p) noexcept override {
    packets.push_back({std::vector<std::uint8_t>(p.payload.begin(), p.payload.end()), p});
    packets.back().header.payload = {};
  }
  void on_dtmf(const DtmfEvent& e) noexcept override { dtmf.push_back(e); }
  std::vector<StoredPacket> packets;
  std::vector<DtmfEvent> dtmf;
};

/// Counts without storing: usable inside an AllocationScope.
class CountingSink final : public PacketSink {
 public:
  void on_packet(const ReceivedPacket& p) noexcept override {
    ++packets;
    bytes += p.payload.size();
  }
  void on_dtmf(const DtmfEvent&) noexcept override { ++dtmf; }
  std::size_t packets = 0, bytes = 0, dtmf = 0;
};

}  // namespace libconf::transport::testing
