#include "libconf/transport/udp_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>

#include "libconf/transport/rtp_packet.hpp"

namespace libconf::transport {

SocketAddress::SocketAddress() noexcept { std::memset(&storage_, 0, sizeof(storage_)); }

Result<SocketAddress> SocketAddress::parse(std::string_view ip, std::uint16_t port) noexcept {
  char text[INET6_ADDRSTRLEN + 1];
  if (ip.size() >= sizeof(text)) return errc::invalid_argument;
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length_ = sizeof(sockaddr_in);
    return a;
  }
  std::memset(&a.storage_, 0, sizeof(a.storage_));
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length_ = sizeof(sockaddr_in6);
    return a;
  }
  return errc::invalid_argument;
}

SocketAddress SocketAddress::from_native(const sockaddr* address, socklen_t length) noexcept {
  SocketAddress a;
  if (length > 0 && length <= sizeof(a.storage_)) {
    std::memcpy(&a.storage_, address, length);
    a.length_ = length;
  }
  return a;
}

std::uint16_t SocketAddress::port() const noexcept {
  if (storage_.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (storage_.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

void SocketAddress::set_port(std::uint16_t port) noexcept {
  if (storage_.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  if (storage_.ss_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
}

std::string SocketAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = "";
  if (storage_.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(port());
  }
  if (storage_.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text, sizeof(text));
    std::string out(1, '[');  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "[" + string
    out += text;
    out += "]:";
    out += std::to_string(port());
    return out;
  }
  return "(none)";
}

bool SocketAddress::operator==(const SocketAddress& o) const noexcept {
  if (storage_.ss_family != o.storage_.ss_family) return false;
  if (storage_.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage_);
    const auto* b = reinterpret_cast<const sockaddr_in*>(&o.storage_);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (storage_.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage_);
    const auto* b = reinterpret_cast<const sockaddr_in6*>(&o.storage_);
    return a->sin6_port == b->sin6_port && std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(in6_addr)) == 0;
  }
  return length_ == o.length_;
}

ReceiveBatch::ReceiveBatch(std::size_t capacity)
    : buffers_(capacity * kMaxDatagramBytes), iovecs_(capacity), from_(capacity), headers_(capacity) {
  rebind();
}

void ReceiveBatch::rebind() noexcept {
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    iovecs_[i].iov_base = buffers_.data() + i * kMaxDatagramBytes;
    iovecs_[i].iov_len = kMaxDatagramBytes;
    std::memset(&headers_[i], 0, sizeof(mmsghdr));
    headers_[i].msg_hdr.msg_iov = &iovecs_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
    headers_[i].msg_hdr.msg_name = &from_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
}

std::span<std::uint8_t> ReceiveBatch::data(std::size_t i) noexcept {
  const std::size_t n = headers_[i].msg_len < kMaxDatagramBytes ? headers_[i].msg_len : kMaxDatagramBytes;
  return {buffers_.data() + i * kMaxDatagramBytes, n};
}

SocketAddress ReceiveBatch::from(std::size_t i) const noexcept {
  return SocketAddress::from_native(reinterpret_cast<const sockaddr*>(&from_[i]), headers_[i].msg_hdr.msg_namelen);
}

bool ReceiveBatch::truncated(std::size_t i) const noexcept { return (headers_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }

Result<UdpSocket> UdpSocket::bind(const SocketAddress& local) noexcept {
  if (!local.valid()) return errc::invalid_argument;
  const int fd = ::socket(local.native()->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) return errc::io_error;
  if (::bind(fd, local.native(), local.native_length()) != 0) {
    ::close(fd);
    return errc::io_error;
  }
  return UdpSocket(fd);
}

Result<UdpSocket::RtpPorts> UdpSocket::allocate_rtp_port(const SocketAddress& address, PortRange range, bool rtcp_pair) {
  const std::uint32_t first = (range.min_port + 1u) & ~1u;  // first even port
  const std::uint32_t last = rtcp_pair ? range.max_port - 1u : range.max_port;
  if (range.min_port == 0 || range.max_port < range.min_port || last < first || range.max_port == 0)
    throw Error(errc::invalid_argument, "RTP port range " + std::to_string(range.min_port) + "-" +
                                            std::to_string(range.max_port) + " holds no usable even port");
  const std::uint32_t slots = (last - first) / 2 + 1;
  // Shared by all transports of the process so that consecutive legs do not
  // probe the same taken ports again and again.
  static std::atomic<std::uint32_t> cursor{0};
  const std::uint32_t start = cursor.fetch_add(1, std::memory_order_relaxed);
  for (std::uint32_t k = 0; k < slots; ++k) {
    const auto port = static_cast<std::uint16_t>(first + 2 * ((start + k) % slots));
    SocketAddress a = address;
    a.set_port(port);
    auto rtp = bind(a);
    if (!rtp) continue;
    if (!rtcp_pair) {
      cursor.store(start + k + 1, std::memory_order_relaxed);
      return RtpPorts{std::move(*rtp), std::nullopt};
    }
    a.set_port(static_cast<std::uint16_t>(port + 1));
    auto rtcp = bind(a);
    if (!rtcp) continue;
    cursor.store(start + k + 1, std::memory_order_relaxed);
    return RtpPorts{std::move(*rtp), std::move(*rtcp)};
  }
  return errc::capacity_exceeded;
}

UdpSocket::UdpSocket(UdpSocket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
UdpSocket& UdpSocket::operator=(UdpSocket&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}
UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

SocketAddress UdpSocket::local_address() const noexcept {
  sockaddr_storage s;
  socklen_t len = sizeof(s);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&s), &len) != 0) return {};
  return SocketAddress::from_native(reinterpret_cast<sockaddr*>(&s), len);
}

std::uint16_t UdpSocket::local_port() const noexcept { return local_address().port(); }

std::size_t UdpSocket::receive(ReceiveBatch& batch) noexcept {
  batch.size_ = 0;
  for (auto& h : batch.headers_) {
    h.msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    h.msg_hdr.msg_flags = 0;
    h.msg_len = 0;
  }
  const int n = ::recvmmsg(fd_, batch.headers_.data(), static_cast<unsigned>(batch.headers_.size()), MSG_DONTWAIT, nullptr);
  if (n <= 0) return 0;
  batch.size_ = static_cast<std::size_t>(n);
  return batch.size_;
}

std::size_t UdpSocket::send(std::span<const OutgoingDatagram> datagrams) noexcept {
  // Bounded by a stack array: the transports send at most a handful per call.
  constexpr std::size_t kMax = 16;
  mmsghdr headers[kMax];
  iovec iov[kMax];
  std::size_t total = 0;
  while (total < datagrams.size()) {
    const std::size_t n = std::min(kMax, datagrams.size() - total);
    for (std::size_t i = 0; i < n; ++i) {
      const OutgoingDatagram& d = datagrams[total + i];
      iov[i].iov_base = const_cast<std::uint8_t*>(d.bytes.data());
      iov[i].iov_len = d.bytes.size();
      std::memset(&headers[i], 0, sizeof(mmsghdr));
      headers[i].msg_hdr.msg_iov = &iov[i];
      headers[i].msg_hdr.msg_iovlen = 1;
      headers[i].msg_hdr.msg_name = const_cast<sockaddr*>(d.to->native());
      headers[i].msg_hdr.msg_namelen = d.to->native_length();
    }
    const int sent = ::sendmmsg(fd_, headers, static_cast<unsigned>(n), MSG_DONTWAIT);
    if (sent <= 0) break;
    total += static_cast<std::size_t>(sent);
    if (static_cast<std::size_t>(sent) < n) break;
  }
  return total;
}

}  // namespace libconf::transport
