#pragma once
/// @file
/// RtpTransport: one leg's media over RTP/RTCP on UDP, with optional SRTP
/// (SDES keys), RFC 4733 telephone-events, RTCP SR/RR statistics, RTP/RTCP
/// multiplexing (RFC 5761) and symmetric RTP (latching). Permissively
/// licensed code only (libsrtp2, BSD): no oRTP here.
///
/// Threading: one thread at a time. open() and set_remote() are setup calls
/// made before the transport is handed to the engine (they may allocate and
/// throw); from then on the transport belongs to the worker that polls it,
/// and a host changes its remote, payload formats or keys only through
/// engine::Engine::update_leg() (prepare_update() runs on the host's thread,
/// apply_update() on the worker). poll(), send(), send_dtmf() and
/// apply_update() are noexcept, never block, allocate nothing and lock
/// nothing (see tests/transport/rtp_transport_test.cpp).
///
/// Time: arrivals, RTCP timing and DTMF time-outs run on the now_us given to
/// poll() (the engine's clock); RTCP sender reports carry the wall clock
/// (NTP format) as RFC 3550 requires.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/media_transport.hpp"
#include "libconf/transport/port_range.hpp"
#include "libconf/transport/rtp_stats.hpp"
#include "libconf/transport/srtp.hpp"

namespace libconf::transport {

struct RtpConfig {
  std::string local_address = "127.0.0.1";  ///< numeric IPv4/IPv6 address to bind
  std::uint16_t local_port = 0;             ///< 0 = first free even port of port_range
  PortRange port_range;
  int payload_type = 0;             ///< 0..127, the negotiated audio payload type
  int clock_rate_hz = 8000;         ///< RTP clock of payload_type
  std::uint32_t ssrc = 0;           ///< 0 = random
  int telephone_event_pt = 101;     ///< RFC 4733 payload type; -1 disables events
  int telephone_event_rate_hz = 0;  ///< telephone-event's RTP clock; 0 = clock_rate_hz
  std::uint8_t telephone_event_volume = 10;  ///< -dBm0 written into sent events
  std::optional<SrtpKeys> srtp_send;  ///< our a=crypto key (what we protect with)
  std::optional<SrtpKeys> srtp_recv;  ///< the peer's a=crypto key
  bool symmetric_rtp = true;  ///< latch to the first authenticated packet's source
  bool rtcp_mux = true;       ///< send RTCP on the RTP port (RFC 5761); false binds port + 1
  int rtcp_interval_ms = 5000;  ///< mean report interval, randomised 0.5-1.5x (RFC 3550 6.3.1)
  std::string cname;            ///< SDES CNAME; empty = "libconf-<ssrc>@<local_address>"
  std::size_t receive_batch = 16;  ///< datagrams per recvmmsg call
};

class RtpTransport final : public MediaTransport {
 public:
  /// Binds the socket(s) and sets up SRTP. Throws libconf::Error naming the
  /// bad field for an invalid config (payload type, clock rate, address,
  /// key length). Errors: capacity_exceeded (no free port in range),
  /// io_error (local_port taken), not_supported (SRTP profile missing in libsrtp2).
  static Result<std::unique_ptr<RtpTransport>> open(const RtpConfig& config);
  ~RtpTransport() override;
  RtpTransport(const RtpTransport&) = delete;
  RtpTransport& operator=(const RtpTransport&) = delete;

  /// Setup, before the engine owns the transport: where RTP goes (and RTCP:
  /// the same port with rtcp_mux, else rtcp_port or port + 1). Resets
  /// latching. Throws Error for a non-numeric address.
  void set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port = 0);

  std::uint16_t local_port() const noexcept;
  /// The RTCP port: local_port() with rtcp_mux, else local_port() + 1.
  std::uint16_t local_rtcp_port() const noexcept;
  std::uint32_t ssrc() const noexcept;
  /// Current remote RTP address as "127.0.0.1:5004" or "[::1]:5004" (after
  /// latching, the peer's real source); empty without one. Same thread as poll().
  std::string remote_address() const;
  std::uint16_t remote_port() const noexcept;
  bool latched() const noexcept;
  /// Counters and RTCP figures. Same thread as poll().
  RtpStats stats() const noexcept;
  RtpStats network_stats() const noexcept override { return stats(); }

  /// Receives everything waiting (bounded: at most kMaxBatchesPerPoll batches
  /// per socket), delivers accepted audio and DTMF, and sends RTCP when due.
  void poll(PacketSink& sink, std::int64_t now_us) noexcept override;
  /// Sends one frame; while a DTMF digit plays, sends its event packet instead
  /// (the RTP timestamp still advances by frame.samples). Call once per packet
  /// interval even when there is nothing to say (empty payload): that paces DTMF.
  void send(const OutgoingFrame& frame) noexcept override;
  /// end=false queues a digit (duration_ms > 0: that long; 0: until the
  /// matching end=true). Digits play one after another.
  void send_dtmf(const DtmfEvent& event) noexcept override;

  /// Remote address (resets latching), payload formats (sequence numbers and
  /// the RTP timestamp continue; the receive jitter estimate restarts in the
  /// new clock), SRTP keys (new sessions; the outbound one keeps this
  /// transport's SSRC). Errors: invalid_argument (why names the field),
  /// not_supported (SRTP profile missing in libsrtp2).
  Result<std::unique_ptr<PreparedTransportUpdate>> prepare_update(const TransportUpdate& update,
                                                                  std::string* why) const override;
  void apply_update(PreparedTransportUpdate& prepared) noexcept override;

  static constexpr int kMaxBatchesPerPoll = 8;

 private:
  struct Impl;
  explicit RtpTransport(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::transport
