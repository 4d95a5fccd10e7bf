#pragma once
/// @file
/// RtpPortReservation: holds a free even RTP port (and, for RTCP without
/// rtcp-mux, the odd one above it) bound on an address until it is released,
/// so that an SDP offer can name the port before the RtpTransport exists (a
/// dial-out, a late offer). Release it just before RtpTransport::open() with
/// RtpConfig::local_port set to port().
///
/// Threading: one thread at a time. Not real-time safe (binds sockets).

#include <cstdint>
#include <memory>
#include <string>

#include "libconf/error.hpp"
#include "libconf/transport/port_range.hpp"

namespace libconf::transport {

class RtpPortReservation {
 public:
  /// Binds the first free even port of range on the numeric address
  /// ("127.0.0.1", "::1"). Errors: invalid_argument (address not numeric),
  /// capacity_exceeded (range exhausted).
  static Result<RtpPortReservation> reserve(const std::string& address, PortRange range, bool rtcp_pair);

  RtpPortReservation(RtpPortReservation&&) noexcept;
  RtpPortReservation& operator=(RtpPortReservation&&) noexcept;
  ~RtpPortReservation();

  /// The reserved RTP port (0 after release()).
  std::uint16_t port() const noexcept;
  /// Closes the sockets: the port is free for the transport to bind.
  void release() noexcept;

 private:
  struct Impl;
  explicit RtpPortReservation(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libconf::transport
