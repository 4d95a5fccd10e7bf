#pragma once
/// @file
/// RtpTransport: one leg's media over RTP/RTCP on UDP, with optional SRTP
/// (SDES keys), RFC 4733 telephone-events, RTCP SR/RR statistics, RTP/RTCP
/// multiplexing (RFC 5761) and symmetric RTP (latching). Permissively
/// licensed code only (libsrtp2, BSD): no oRTP here.
///
/// Threading: one thread at a time (the worker that owns the leg's room).
/// open() and set_remote() are setup calls (they may allocate and throw);
/// poll(), send() and send_dtmf() are noexcept, never block, allocate nothing
/// and lock nothing (see tests/transport/rtp_transport_test.cpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/media_transport.hpp"
#include "libconf/transport/rtp_stats.hpp"
#include "libconf/transport/srtp.hpp"
#include "libconf/transport/telephone_event.hpp"
#include "libconf/transport/udp_socket.hpp"

namespace libconf::transport {

struct RtpConfig {
  std::string local_address = "127.0.0.1";  ///< numeric IPv4/IPv6 address to bind
  std::uint16_t local_port = 0;             ///< 0 = first free even port of port_range
  PortRange port_range;
  int payload_type = 0;             ///< 0..127, the negotiated audio payload type
  int clock_rate_hz = 8000;         ///< RTP clock of payload_type (and of telephone-event)
  std::uint32_t ssrc = 0;           ///< 0 = random
  int telephone_event_pt = 101;     ///< RFC 4733 payload type; -1 disables events
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

  /// Where RTP goes (and RTCP: the same port with rtcp_mux, else
  /// rtcp_port or port + 1). Resets latching. Throws Error for a non-numeric address.
  void set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port = 0);

  std::uint16_t local_port() const noexcept { return local_port_; }
  /// The RTCP port: local_port() with rtcp_mux, else local_port() + 1.
  std::uint16_t local_rtcp_port() const noexcept;
  std::uint32_t ssrc() const noexcept { return ssrc_; }
  /// Current remote RTP address (after latching, the peer's real source).
  const SocketAddress& remote_address() const noexcept { return remote_rtp_; }
  bool latched() const noexcept { return latched_rtp_; }
  /// Counters and RTCP figures. Same thread as poll().
  RtpStats stats() const noexcept;
  RtpStats network_stats() const noexcept override { return stats(); }

  /// Receives everything waiting (bounded: at most kMaxBatchesPerPoll batches
  /// per socket), delivers accepted audio and DTMF, and sends RTCP when due.
  void poll(PacketSink& sink) noexcept override;
  /// Sends one frame; while a DTMF digit plays, sends its event packet instead
  /// (the RTP timestamp still advances by frame.samples). Call once per packet
  /// interval even when there is nothing to say (empty payload): that paces DTMF.
  void send(const OutgoingFrame& frame) noexcept override;
  /// end=false queues a digit (duration_ms > 0: that long; 0: until the
  /// matching end=true). Digits play one after another.
  void send_dtmf(const DtmfEvent& event) noexcept override;

  static constexpr int kMaxBatchesPerPoll = 8;

 private:
  explicit RtpTransport(const RtpConfig& config);
  void handle_datagram(std::span<std::uint8_t> data, const SocketAddress& from, bool truncated, bool rtcp_port,
                       std::int64_t now_us, PacketSink& sink) noexcept;
  void handle_rtp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us, PacketSink& sink) noexcept;
  void handle_rtcp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us) noexcept;
  void send_rtcp(std::int64_t now_us) noexcept;
  void count_unprotect_failure(std::error_code error) noexcept;
  void schedule_rtcp(std::int64_t now_us) noexcept;
  void drain(UdpSocket& socket, bool rtcp_port, std::int64_t now_us, PacketSink& sink) noexcept;

  int payload_type_;
  int clock_rate_hz_;
  int telephone_event_pt_;
  bool symmetric_rtp_;
  bool rtcp_mux_;
  std::int64_t rtcp_interval_us_;
  std::string cname_;

  std::optional<UdpSocket> rtp_socket_;
  std::optional<UdpSocket> rtcp_socket_;
  std::uint16_t local_port_ = 0;
  SocketAddress remote_rtp_;
  SocketAddress remote_rtcp_;
  bool has_remote_ = false;
  bool latched_rtp_ = false;
  bool latched_rtcp_ = false;

  std::optional<SrtpSession> srtp_out_;
  std::optional<SrtpSession> srtp_in_;
  ReceiveBatch batch_;
  std::vector<std::uint8_t> send_buffer_;
  std::vector<std::uint8_t> rtcp_buffer_;

  std::uint32_t ssrc_ = 0;
  std::uint16_t sequence_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint64_t random_state_ = 0;

  ReceiveStatistics receive_stats_;
  RtpStats stats_;
  TelephoneEventReceiver dtmf_receiver_;
  TelephoneEventSender dtmf_sender_;

  std::int64_t next_rtcp_us_ = 0;
  bool have_remote_sr_ = false;
  std::uint32_t remote_sr_compact_ = 0;
  std::int64_t remote_sr_arrival_us_ = 0;
};

}  // namespace libconf::transport
