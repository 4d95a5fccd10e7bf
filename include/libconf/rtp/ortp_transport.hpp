#pragma once
/// @file
/// OrtpTransport: a leg's RTP over oRTP (GPL-3+), the alternative to the
/// permissive transport::RtpTransport. Built only with LIBCONF_BUILD_RTP and
/// linked only through the libconf::rtp target; a program that links it is
/// bound by the GPL. oRTP runs without its scheduler (non-blocking sockets,
/// polled by the caller's loop), with its jitter buffer off (the engine has
/// its own) and the SSRC-change threshold at 0 (a new source is accepted at
/// once). SRTP is libsrtp2 plugged in through oRTP's transport-modifier hook,
/// RFC 4733 events use transport::TelephoneEventReceiver/Sender on that hook
/// (oRTP's own send_dtmf2 sends all packets at once, and its receive path
/// handles one event packet per call).
///
/// Threading: one thread at a time, like RtpTransport. poll() and send() are
/// noexcept and never block, but oRTP allocates an mblk_t per packet
/// (malloc in the frame path): bench/rtp measures what that costs.

#include <cstdint>
#include <memory>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/media_transport.hpp"
#include "libconf/transport/rtp_stats.hpp"
#include "libconf/transport/rtp_transport.hpp"

namespace libconf::rtp {

class OrtpTransport final : public transport::MediaTransport {
 public:
  /// Same config as transport::RtpTransport (receive_batch is ignored).
  /// Throws libconf::Error naming a bad field. Errors: capacity_exceeded (no
  /// free port in range), io_error (local_port taken), not_supported (SRTP profile).
  static Result<std::unique_ptr<OrtpTransport>> open(const transport::RtpConfig& config);
  ~OrtpTransport() override;
  OrtpTransport(const OrtpTransport&) = delete;
  OrtpTransport& operator=(const OrtpTransport&) = delete;

  /// Throws libconf::Error if oRTP rejects the address.
  void set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port = 0);
  std::uint16_t local_port() const noexcept;
  std::uint32_t ssrc() const noexcept;
  /// Counters from oRTP (packets, octets, cumulative loss, jitter, RTT) and
  /// this class's own (SRTP failures, DTMF). Fields oRTP does not expose stay 0.
  transport::RtpStats stats() const noexcept;
  transport::RtpStats network_stats() const noexcept override { return stats(); }

  void poll(transport::PacketSink& sink, std::int64_t now_us) noexcept override;
  void send(const transport::OutgoingFrame& frame) noexcept override;
  void send_dtmf(const transport::DtmfEvent& event) noexcept override;

  struct Impl;

 private:
  explicit OrtpTransport(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::rtp
