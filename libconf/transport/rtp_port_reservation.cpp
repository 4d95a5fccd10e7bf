#include "libconf/transport/rtp_port_reservation.hpp"

#include <optional>
#include <utility>

#include "libconf/transport/udp_socket.hpp"

namespace libconf::transport {

struct RtpPortReservation::Impl {
  std::optional<UdpSocket::RtpPorts> ports;
};

RtpPortReservation::RtpPortReservation(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
RtpPortReservation::RtpPortReservation(RtpPortReservation&&) noexcept = default;
RtpPortReservation& RtpPortReservation::operator=(RtpPortReservation&&) noexcept = default;
RtpPortReservation::~RtpPortReservation() = default;

Result<RtpPortReservation> RtpPortReservation::reserve(const std::string& address, PortRange range, bool rtcp_pair) {
  auto local = SocketAddress::parse(address, 0);
  if (!local) return errc::invalid_argument;
  auto ports = UdpSocket::allocate_rtp_port(*local, range, rtcp_pair);
  if (!ports) return ports.error();
  auto impl = std::make_unique<Impl>();
  impl->ports.emplace(std::move(*ports));
  return RtpPortReservation(std::move(impl));
}

std::uint16_t RtpPortReservation::port() const noexcept {
  return impl_ && impl_->ports ? impl_->ports->rtp.local_port() : 0;
}

void RtpPortReservation::release() noexcept {
  if (impl_) impl_->ports.reset();
}

}  // namespace libconf::transport
