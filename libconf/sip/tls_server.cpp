#include "libconf/sip/tls_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "libconf/error.hpp"

// belle-sip 5.1.64, exported by libbellesip.so.1 but not declared in its
// public headers (see tls_server.hpp for why they are needed).
extern "C" {
struct belle_sip_channel;
belle_sip_channel* belle_sip_stream_channel_new_child(belle_sip_stack_t* stack, belle_sip_socket_t sock,
                                                      struct sockaddr* remote_addr, socklen_t slen);
void belle_sip_listening_point_add_channel(belle_sip_listening_point_t* lp, belle_sip_channel* chan);
// belle-sip/mainloop.h declares belle_sip_source_set_events() outside its
// extern "C" block, so C++ callers look for a mangled name that does not
// exist; bind to the C symbol under another name.
int libconf_belle_sip_source_set_events(belle_sip_source_t* source, int event_mask) __asm__("belle_sip_source_set_events");
}

namespace libconf::sip {
namespace {

constexpr std::size_t kMaxBuffered = 256 * 1024;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string hex(int code) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "-0x%x", static_cast<unsigned>(-code));
  return buf;
}

/// "ip:port" ("[ip]:port" for IPv6) of a socket address.
std::string address_text(const sockaddr* a) {
  char ip[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (a->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a);
    inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof(ip));
    port = ntohs(v6->sin6_port);
    std::string out = "[";
    out += ip;
    out += "]:";
    out += std::to_string(port);
    return out;
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(a);
  inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof(ip));
  port = ntohs(v4->sin_port);
  return std::string(ip) + ":" + std::to_string(port);
}

std::string local_text(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  return address_text(reinterpret_cast<sockaddr*>(&ss));
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
}

int rng_function(void* context, unsigned char* out, std::size_t length) {
  return bctbx_rng_get(static_cast<bctbx_rng_context_t*>(context), out, length);
}

// Sources are created owned (one reference, ours); the loop takes its own.
belle_sip_source_t* watch(belle_sip_main_loop_t* loop, belle_sip_source_func_t func, void* data, int fd) {
  belle_sip_source_t* s = belle_sip_socket_source_new(func, data, fd, BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR, -1);
  belle_sip_main_loop_add_source(loop, s);
  return s;
}

void unwatch(belle_sip_source_t*& s) {
  if (s == nullptr) return;
  belle_sip_source_cancel(s);  // the loop drops it at its next pass, never calling it again
  belle_sip_object_unref(s);
  s = nullptr;
}

}  // namespace

struct TlsServer::Connection {
  TlsServer* server = nullptr;
  int tls_fd = -1;
  int inner_fd = -1;
  sockaddr_storage peer{};
  socklen_t peer_length = 0;
  std::string peer_text;
  bctbx_ssl_context_t* ssl = nullptr;
  bool handshaken = false;
  std::int64_t accepted_ms = 0;
  belle_sip_source_t* tls_source = nullptr;
  belle_sip_source_t* inner_source = nullptr;
  std::string inner_token;   // "127.0.0.1:<port>": how belle-sip names itself on this channel
  std::string public_token;  // "<ip>:<port>" the client connected to
  std::string to_inner;      // plaintext for belle-sip, not written yet
  std::string from_inner;    // belle-sip's output, not framed yet
  std::string to_client;     // framed and rewritten, not encrypted yet
};

namespace {
int tls_send(void* data, const unsigned char* buf, std::size_t length) {
  auto* c = static_cast<TlsServer::Connection*>(data);
  const ssize_t n = ::send(c->tls_fd, buf, length, MSG_NOSIGNAL);
  if (n >= 0) return static_cast<int>(n);
  if (errno == EAGAIN || errno == EWOULDBLOCK) return BCTBX_ERROR_NET_WANT_WRITE;
  return BCTBX_ERROR_NET_CONN_RESET;
}

int tls_recv(void* data, unsigned char* buf, std::size_t length) {
  auto* c = static_cast<TlsServer::Connection*>(data);
  const ssize_t n = ::recv(c->tls_fd, buf, length, 0);
  if (n >= 0) return static_cast<int>(n);
  if (errno == EAGAIN || errno == EWOULDBLOCK) return BCTBX_ERROR_NET_WANT_READ;
  return BCTBX_ERROR_NET_CONN_RESET;
}
}  // namespace

TlsServer::TlsServer(belle_sip_stack_t* stack, belle_sip_listening_point_t* tls_lp, Config config,
                     std::function<void(const std::string&)> log)
    : stack_(stack), loop_(belle_sip_stack_get_main_loop(stack)), lp_(tls_lp), config_(std::move(config)), log_(std::move(log)) {
  auto fail = [this](errc code, const std::string& what) {
    release();
    throw Error(code, what);
  };
  certificate_ = bctbx_x509_certificate_new();
  key_ = bctbx_signing_key_new();
  rng_ = bctbx_rng_context_new();
  ssl_config_ = bctbx_ssl_config_new();
  if (int r = bctbx_x509_certificate_parse_file(certificate_, config_.certificate_file.c_str()); r != 0) {
    fail(errc::io_error, "tls certificate_file '" + config_.certificate_file + "': not a readable PEM certificate (" + hex(r) + ")");
  }
  if (int r = bctbx_signing_key_parse_file(key_, config_.key_file.c_str(), nullptr); r != 0) {
    fail(errc::io_error, "tls key_file '" + config_.key_file + "': not a readable PEM private key (" + hex(r) + ")");
  }
  bctbx_ssl_config_defaults(ssl_config_, BCTBX_SSL_IS_SERVER, BCTBX_SSL_TRANSPORT_STREAM);
  bctbx_ssl_config_set_authmode(ssl_config_, BCTBX_SSL_VERIFY_NONE);
  bctbx_ssl_config_set_rng(ssl_config_, rng_function, rng_);
  if (int r = bctbx_ssl_config_set_own_cert(ssl_config_, certificate_, key_); r != 0) {
    fail(errc::invalid_argument, "tls: the key in '" + config_.key_file + "' does not match the certificate in '" +
                                     config_.certificate_file + "' (" + hex(r) + ")");
  }

  // The public listening socket.
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, config_.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(config_.port);
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, config_.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(config_.port);
    len = sizeof(*v6);
  } else {
    fail(errc::invalid_argument, "tls: '" + config_.address + "' is not a numeric IP address");
  }
  listen_fd_ = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(listen_fd_, 128) != 0) {
    fail(errc::io_error, "tls " + config_.address + ":" + std::to_string(config_.port) + ": cannot bind (" + std::strerror(errno) + ")");
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof(bound);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &bound_len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  // The loopback listener that gives belle-sip its end of each plaintext pair.
  sockaddr_in inner{};
  inner.sin_family = AF_INET;
  inner.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  inner_listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (inner_listen_fd_ < 0 || ::bind(inner_listen_fd_, reinterpret_cast<sockaddr*>(&inner), sizeof(inner)) != 0 ||
      ::listen(inner_listen_fd_, 16) != 0) {
    fail(errc::io_error, std::string("tls: cannot open the loopback listener (") + std::strerror(errno) + ")");
  }
  accept_source_ = watch(loop_, on_accept, this, listen_fd_);
  sweep_source_ = belle_sip_main_loop_create_timeout(loop_, on_sweep, this, 1000, "libconf tls sweep");
}

TlsServer::~TlsServer() { release(); }

void TlsServer::release() {
  while (!connections_.empty()) close(connections_.begin()->first);
  unwatch(accept_source_);
  unwatch(sweep_source_);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (inner_listen_fd_ >= 0) ::close(inner_listen_fd_);
  listen_fd_ = inner_listen_fd_ = -1;
  if (ssl_config_) bctbx_ssl_config_free(ssl_config_);
  if (key_) bctbx_signing_key_free(key_);
  if (certificate_) bctbx_x509_certificate_free(certificate_);
  if (rng_) bctbx_rng_context_free(rng_);
  ssl_config_ = nullptr;
  key_ = nullptr;
  certificate_ = nullptr;
  rng_ = nullptr;
}

void TlsServer::close(Connection* c) {
  unwatch(c->tls_source);
  unwatch(c->inner_source);
  if (c->ssl) {
    if (c->handshaken) bctbx_ssl_close_notify(c->ssl);
    bctbx_ssl_context_free(c->ssl);
  }
  if (c->tls_fd >= 0) ::close(c->tls_fd);
  if (c->inner_fd >= 0) ::close(c->inner_fd);  // belle-sip sees the end of its channel
  connections_.erase(c);
}

int TlsServer::on_accept(void* data, unsigned int) {
  auto* self = static_cast<TlsServer*>(data);
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    const int fd = ::accept4(self->listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    if (self->connections_.size() >= self->config_.max_connections) {
      self->log_("tls: refusing a connection from " + address_text(reinterpret_cast<sockaddr*>(&peer)) + ": " +
                 std::to_string(self->config_.max_connections) + " connections already");
      ::close(fd);
      continue;
    }
    auto c = std::make_unique<Connection>();
    c->server = self;
    c->tls_fd = fd;
    c->peer = peer;
    c->peer_length = len;
    c->peer_text = address_text(reinterpret_cast<sockaddr*>(&peer));
    c->accepted_ms = now_ms();
    c->ssl = bctbx_ssl_context_new();
    bctbx_ssl_context_setup(c->ssl, self->ssl_config_);
    bctbx_ssl_set_io_callbacks(c->ssl, c.get(), tls_send, tls_recv);
    c->tls_source = watch(self->loop_, on_tls_event, c.get(), fd);
    Connection* raw = c.get();
    self->connections_.emplace(raw, std::move(c));
  }
  return BELLE_SIP_CONTINUE;
}

int TlsServer::on_sweep(void* data, unsigned int) {
  auto* self = static_cast<TlsServer*>(data);
  const std::int64_t now = now_ms();
  std::vector<Connection*> stale;
  for (const auto& [c, owned] : self->connections_) {
    if (!c->handshaken && now - c->accepted_ms > self->config_.handshake_timeout_ms) stale.push_back(c);
  }
  for (Connection* c : stale) {
    self->log_("tls: no handshake from " + c->peer_text + " in time: closed");
    self->close(c);
  }
  return BELLE_SIP_CONTINUE;
}

bool TlsServer::start_plaintext(Connection& c) {
  sockaddr_in inner{};
  socklen_t len = sizeof(inner);
  getsockname(inner_listen_fd_, reinterpret_cast<sockaddr*>(&inner), &len);
  const int ours = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ours < 0 || ::connect(ours, reinterpret_cast<sockaddr*>(&inner), sizeof(inner)) != 0) {
    if (ours >= 0) ::close(ours);
    return false;
  }
  int theirs = -1;
  for (int attempt = 0; attempt < 100 && theirs < 0; ++attempt) {  // a loopback connect is queued at once
    theirs = ::accept4(inner_listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (theirs < 0 && errno != EAGAIN) break;
  }
  if (theirs < 0) {
    ::close(ours);
    return false;
  }
  fcntl(ours, F_SETFL, fcntl(ours, F_GETFL) | O_NONBLOCK);
  const int one = 1;
  setsockopt(ours, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  c.inner_fd = ours;
  c.inner_token = local_text(theirs);
  c.public_token = local_text(c.tls_fd);
  // belle-sip's own channel for an accepted socket, with the client's real
  // address as its peer (Via received/rport, routing of responses).
  belle_sip_channel* channel = belle_sip_stream_channel_new_child(stack_, theirs, reinterpret_cast<sockaddr*>(&c.peer), c.peer_length);
  if (channel == nullptr) {
    ::close(theirs);
    return false;
  }
  belle_sip_listening_point_add_channel(lp_, channel);
  c.inner_source = watch(loop_, on_inner_event, &c, ours);
  log_("tls: " + c.peer_text + " connected");
  return true;
}

int TlsServer::on_tls_event(void* data, unsigned int events) {
  auto* c = static_cast<Connection*>(data);
  TlsServer* self = c->server;
  if (!c->handshaken) {
    const int r = bctbx_ssl_handshake(c->ssl);
    if (r == BCTBX_ERROR_NET_WANT_READ || r == BCTBX_ERROR_NET_WANT_WRITE) {
      libconf_belle_sip_source_set_events(c->tls_source, BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR |
                                                     (r == BCTBX_ERROR_NET_WANT_WRITE ? BELLE_SIP_EVENT_WRITE : 0));
      return BELLE_SIP_CONTINUE;
    }
    if (r != 0 || !self->start_plaintext(*c)) {
      self->log_("tls: handshake with " + c->peer_text + " failed (" + (r != 0 ? hex(r) : std::string("no channel")) + ")");
      self->close(c);
      return BELLE_SIP_STOP;
    }
    c->handshaken = true;
    libconf_belle_sip_source_set_events(c->tls_source, BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR);
  }
  if ((events & BELLE_SIP_EVENT_WRITE) && !self->flush_to_client(*c)) {
    self->close(c);
    return BELLE_SIP_STOP;
  }
  if (!self->pump_from_client(*c)) {
    self->log_("tls: " + c->peer_text + " closed");
    self->close(c);
    return BELLE_SIP_STOP;
  }
  return BELLE_SIP_CONTINUE;
}

int TlsServer::on_inner_event(void* data, unsigned int events) {
  auto* c = static_cast<Connection*>(data);
  TlsServer* self = c->server;
  if ((events & BELLE_SIP_EVENT_WRITE) && !self->flush_to_inner(*c)) {
    self->close(c);
    return BELLE_SIP_STOP;
  }
  if ((events & (BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR)) && !self->pump_to_client(*c)) {
    self->close(c);
    return BELLE_SIP_STOP;
  }
  return BELLE_SIP_CONTINUE;
}

bool TlsServer::pump_from_client(Connection& c) {
  unsigned char buf[16 * 1024];
  for (;;) {
    const int n = bctbx_ssl_read(c.ssl, buf, sizeof(buf));
    if (n > 0) {
      c.to_inner.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
      if (c.to_inner.size() > kMaxBuffered) return false;
      continue;
    }
    if (n == BCTBX_ERROR_NET_WANT_READ || n == BCTBX_ERROR_NET_WANT_WRITE) break;
    return false;  // 0, close_notify, reset, or a TLS error
  }
  return flush_to_inner(c);
}

bool TlsServer::flush_to_inner(Connection& c) {
  while (!c.to_inner.empty()) {
    const ssize_t n = ::send(c.inner_fd, c.to_inner.data(), c.to_inner.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.to_inner.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      return false;
    }
  }
  libconf_belle_sip_source_set_events(c.inner_source, BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR |
                                                  (c.to_inner.empty() ? 0 : BELLE_SIP_EVENT_WRITE));
  return true;
}

bool TlsServer::pump_to_client(Connection& c) {
  char buf[16 * 1024];
  for (;;) {
    const ssize_t n = ::recv(c.inner_fd, buf, sizeof(buf), 0);
    if (n > 0) {
      c.from_inner.append(buf, static_cast<std::size_t>(n));
      if (c.from_inner.size() > kMaxBuffered) return false;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return false;  // belle-sip closed its channel
  }
  // Frame whole messages and put the public TLS address where belle-sip wrote its inner one.
  for (;;) {
    std::size_t start = 0;
    while (start + 1 < c.from_inner.size() && c.from_inner[start] == '\r' && c.from_inner[start + 1] == '\n') start += 2;
    if (start > 0) {  // keep-alive CRLFs pass as they are
      c.to_client.append(c.from_inner, 0, start);
      c.from_inner.erase(0, start);
    }
    const std::size_t end = c.from_inner.find("\r\n\r\n");
    if (end == std::string::npos) break;
    const std::size_t head = end + 4;
    std::size_t consumed = 0;
    std::size_t body = 0;
    if (belle_sip_message_t* m = belle_sip_message_parse_raw(c.from_inner.data(), head, &consumed)) {
      belle_sip_object_ref(m);
      if (auto* cl = belle_sip_message_get_header_by_type(m, belle_sip_header_content_length_t)) {
        body = belle_sip_header_content_length_get_content_length(cl);
      }
      belle_sip_object_unref(m);
    }
    if (body > kMaxBuffered) return false;
    if (c.from_inner.size() < head + body) break;
    std::string headers = c.from_inner.substr(0, head);
    replace_all(headers, "SIP/2.0/TCP " + c.inner_token, "SIP/2.0/TLS " + c.public_token);
    replace_all(headers, c.inner_token + ";transport=tcp", c.public_token + ";transport=tls");
    replace_all(headers, c.inner_token, c.public_token);
    c.to_client += headers;
    c.to_client.append(c.from_inner, head, body);
    c.from_inner.erase(0, head + body);
  }
  return flush_to_client(c);
}

bool TlsServer::flush_to_client(Connection& c) {
  while (!c.to_client.empty()) {
    const int n = bctbx_ssl_write(c.ssl, reinterpret_cast<const unsigned char*>(c.to_client.data()), c.to_client.size());
    if (n > 0) {
      c.to_client.erase(0, static_cast<std::size_t>(n));
    } else if (n == BCTBX_ERROR_NET_WANT_WRITE || n == BCTBX_ERROR_NET_WANT_READ) {
      break;
    } else {
      return false;
    }
  }
  if (c.to_client.size() > kMaxBuffered) return false;
  libconf_belle_sip_source_set_events(c.tls_source, BELLE_SIP_EVENT_READ | BELLE_SIP_EVENT_ERROR |
                                                (c.to_client.empty() ? 0 : BELLE_SIP_EVENT_WRITE));
  return true;
}

}  // namespace libconf::sip
