#pragma once
// Private to the transport layer (and the rtp layer's oRTP variant): OS socket
// types stay out of the public headers.
// Non-blocking UDP sockets with batched receive and send (recvmmsg/sendmmsg),
// and allocation of even RTP ports from a configurable range.
// A UdpSocket is used by one thread at a time; receive() and send() are
// noexcept, allocation-free and never block (real-time safe).

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/transport/port_range.hpp"

namespace libconf::transport {

/// An IPv4 or IPv6 address and port.
class SocketAddress {
 public:
  SocketAddress() noexcept;
  /// Parses a numeric address ("127.0.0.1", "::1"). Errors: invalid_argument.
  static Result<SocketAddress> parse(std::string_view ip, std::uint16_t port) noexcept;
  static SocketAddress from_native(const sockaddr* address, socklen_t length) noexcept;

  bool valid() const noexcept { return length_ != 0; }
  std::uint16_t port() const noexcept;
  void set_port(std::uint16_t port) noexcept;
  std::string to_string() const;  ///< "127.0.0.1:5004", "[::1]:5004"
  const sockaddr* native() const noexcept { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t native_length() const noexcept { return length_; }
  /// Same family, address and port.
  bool operator==(const SocketAddress& other) const noexcept;

 private:
  sockaddr_storage storage_;
  socklen_t length_ = 0;
};

/// Fixed storage for one recvmmsg() call: count datagrams of up to
/// kMaxDatagramBytes each, allocated once at construction.
class ReceiveBatch {
 public:
  explicit ReceiveBatch(std::size_t capacity);
  ReceiveBatch(ReceiveBatch&&) noexcept = default;
  ReceiveBatch& operator=(ReceiveBatch&&) noexcept = default;

  std::size_t capacity() const noexcept { return headers_.size(); }
  /// Datagrams filled by the last UdpSocket::receive().
  std::size_t size() const noexcept { return size_; }
  /// Bytes of datagram i (mutable: SRTP decrypts in place).
  std::span<std::uint8_t> data(std::size_t i) noexcept;
  SocketAddress from(std::size_t i) const noexcept;
  /// The datagram was larger than the buffer (MSG_TRUNC) and must be dropped.
  bool truncated(std::size_t i) const noexcept;

 private:
  friend class UdpSocket;
  void rebind() noexcept;
  std::vector<std::uint8_t> buffers_;
  std::vector<iovec> iovecs_;
  std::vector<sockaddr_storage> from_;
  std::vector<mmsghdr> headers_;
  std::size_t size_ = 0;
};

/// One datagram for UdpSocket::send().
struct OutgoingDatagram {
  std::span<const std::uint8_t> bytes;
  const SocketAddress* to = nullptr;
};

class UdpSocket {
 public:
  /// Binds a non-blocking socket to local (port 0 = kernel's choice).
  /// Errors: io_error (the port is taken or the address is not local).
  static Result<UdpSocket> bind(const SocketAddress& local) noexcept;
  /// Binds the first free even port of range on address, trying ports from a
  /// process-wide rotating cursor. With rtcp_pair also binds port + 1 and
  /// returns it in rtcp. Errors: capacity_exceeded (range exhausted).
  /// Throws libconf::Error for an empty or inverted range.
  struct RtpPorts;
  static Result<RtpPorts> allocate_rtp_port(const SocketAddress& address, PortRange range, bool rtcp_pair);

  UdpSocket(UdpSocket&&) noexcept;
  UdpSocket& operator=(UdpSocket&&) noexcept;
  ~UdpSocket();

  int fd() const noexcept { return fd_; }
  std::uint16_t local_port() const noexcept;
  SocketAddress local_address() const noexcept;

  /// One recvmmsg(MSG_DONTWAIT) into batch. Returns datagrams received (0 when none).
  std::size_t receive(ReceiveBatch& batch) noexcept;
  /// One sendmmsg(MSG_DONTWAIT). Returns datagrams the kernel accepted.
  std::size_t send(std::span<const OutgoingDatagram> datagrams) noexcept;

 private:
  explicit UdpSocket(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

struct UdpSocket::RtpPorts {
  UdpSocket rtp;
  std::optional<UdpSocket> rtcp;
};

}  // namespace libconf::transport
