#pragma once
/// @file
/// TransportUpdate: what a re-INVITE (or UPDATE) changes in a running leg's
/// transport — the peer's address, the negotiated payload formats, the SRTP
/// keys. A host never changes a transport in use itself (it belongs to the
/// engine worker that polls it): it calls engine::Engine::update_leg(), which
/// has the transport prepare the change on the calling thread
/// (MediaTransport::prepare_update) and apply it between two ticks
/// (MediaTransport::apply_update).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/srtp.hpp"

namespace libconf::transport {

/// Where the peer's media goes (SDP c= address, m= port, a=rtcp port).
struct RemoteEndpoint {
  std::string address;          ///< numeric IPv4 or IPv6 address
  std::uint16_t rtp_port = 0;   ///< 1..65535
  std::uint16_t rtcp_port = 0;  ///< 0: the RTP port with rtcp-mux, else rtp_port + 1
};

/// The negotiated payload formats (SDP a=rtpmap).
struct PayloadFormat {
  int payload_type = 0;             ///< audio payload type, 0..127
  int clock_rate_hz = 8000;         ///< its RTP clock, 1000..192000
  int telephone_event_pt = 101;     ///< RFC 4733 payload type; -1: no events
  /// telephone-event's own RTP clock (its a=rtpmap rate); 0: clock_rate_hz.
  /// Event durations are counted in this clock; the event's timestamp stays
  /// on the audio timeline of the stream.
  int telephone_event_rate_hz = 0;
};

/// Fields left empty are kept. SRTP can be switched on or rekeyed mid-call,
/// never off: a downgrade to plain RTP needs a new leg.
struct TransportUpdate {
  std::optional<RemoteEndpoint> remote{};
  std::optional<PayloadFormat> payload{};
  std::optional<SrtpKeys> srtp_send{};  ///< our new a=crypto key
  std::optional<SrtpKeys> srtp_recv{};  ///< the peer's new a=crypto key

  bool empty() const noexcept { return !remote && !payload && !srtp_send && !srtp_recv; }
};

/// A TransportUpdate made ready by MediaTransport::prepare_update(): whatever
/// applying it needs that allocates is built. After apply_update() it holds
/// the parts it replaced, destroyed later off the media thread.
class PreparedTransportUpdate {
 public:
  virtual ~PreparedTransportUpdate() = default;
};

/// Checks a PayloadFormat. Errors: invalid_argument; why (optional) names the
/// bad field and value, e.g. "payload.payload_type 130 is not in 0..127".
Result<void> check_payload_format(const PayloadFormat& format, bool rtcp_mux, std::string* why = nullptr);

}  // namespace libconf::transport
