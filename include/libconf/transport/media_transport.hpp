#pragma once
/// @file
/// MediaTransport: how one leg's audio leaves and arrives. The engine owns no
/// sockets; a host gives each leg a transport (RTP/SRTP, a file, a test
/// harness, the user's own WebRTC stack).
///
/// Threading contract: poll(), the send calls and apply_update() are made on
/// the worker thread that owns the leg's room, once per tick, and must be
/// real-time safe (non-blocking, no allocation after setup, no locks that
/// another thread can hold for long). A transport whose packets arrive on
/// another thread hands them over through its own bounded lock-free queue and
/// drains it in poll(). prepare_update() is the one call made on another
/// thread (the host's), while the worker keeps polling.
///
/// Time: the transport owns no clock. poll() receives the engine's media
/// clock (µs), the same time the jitter buffer plays out against; a
/// transport stamps arrivals and runs its timers (RTCP, DTMF time-outs) on it.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/rtp_stats.hpp"
#include "libconf/transport/transport_update.hpp"

namespace libconf::transport {

/// One received media packet (the payload of an RTP packet, already
/// authenticated/decrypted). payload is valid only during the callback.
struct ReceivedPacket {
  std::span<const std::uint8_t> payload;
  std::uint32_t rtp_timestamp = 0;  ///< in the codec's RTP clock
  std::uint16_t sequence = 0;
  std::uint8_t payload_type = 0;
  bool marker = false;
  std::uint32_t ssrc = 0;
  std::int64_t arrival_us = 0;  ///< receive time: the now_us of the poll() that delivered it
};

/// A telephone-event (RFC 4733) or any other out-of-band DTMF signal.
struct DtmfEvent {
  char digit = 0;              ///< '0'-'9', '*', '#', 'A'-'D'
  bool end = false;            ///< false: digit starts (or continues); true: digit ended
  std::uint32_t duration_ms = 0;  ///< duration so far (start) or total (end)
  std::int64_t timestamp_us = 0;  ///< when the digit started, on the receiver's poll() clock
};

/// Receives what poll() delivers. Implemented by the engine's leg.
class PacketSink {
 public:
  virtual void on_packet(const ReceivedPacket& packet) noexcept = 0;
  virtual void on_dtmf(const DtmfEvent& event) noexcept = 0;

 protected:
  ~PacketSink() = default;
};

/// One encoded frame to send. payload is valid only during the call; the same
/// bytes may be handed to many legs (a shared output group).
struct OutgoingFrame {
  std::span<const std::uint8_t> payload;
  std::uint32_t samples = 0;  ///< frame duration in samples of the RTP clock
  bool marker = false;        ///< first packet after silence (talkspurt start)
};

class MediaTransport {
 public:
  virtual ~MediaTransport() = default;

  /// Delivers everything received since the last call into sink. now_us is
  /// the engine's clock at this tick (monotonic, µs).
  virtual void poll(PacketSink& sink, std::int64_t now_us) noexcept = 0;
  /// Sends one encoded frame (the transport stamps sequence/timestamp/SSRC).
  virtual void send(const OutgoingFrame& frame) noexcept = 0;
  /// Sends (or continues) a DTMF event; transports without an event channel ignore it.
  virtual void send_dtmf(const DtmfEvent& event) noexcept { (void)event; }
  /// Network statistics (loss, jitter, RTT, drops by cause) for transports
  /// that have them; all zero otherwise. Called on the worker, once a tick.
  virtual RtpStats network_stats() const noexcept { return {}; }

  /// Host thread, while the worker may be polling: validates update and
  /// builds what applying it allocates, reading only state that never changes
  /// after the transport was created. The default accepts an empty update and
  /// refuses any other with not_supported. Errors: not_supported,
  /// invalid_argument; why (optional) gets a message naming the bad field.
  virtual Result<std::unique_ptr<PreparedTransportUpdate>> prepare_update(const TransportUpdate& update,
                                                                          std::string* why) const {
    if (update.empty()) return std::make_unique<PreparedTransportUpdate>();
    if (why) *why = "this transport cannot change its remote address, payload formats or keys";
    return errc::not_supported;
  }
  /// Worker thread, between two polls: swaps the prepared parts in (the
  /// prepared object keeps the old ones). Real-time safe. The default does nothing.
  virtual void apply_update(PreparedTransportUpdate& prepared) noexcept { (void)prepared; }
};

}  // namespace libconf::transport
