#pragma once
// TLS for incoming connections. belle-sip 5.1 has no TLS server: its TLS
// listening point accepts a connection and closes it ("New connection
// arriving on TLS, not handled"). TlsServer fills the gap on the same main
// loop: it accepts TCP, does the TLS handshake with bctoolbox (the TLS layer
// belle-sip itself uses, mbedTLS underneath), and hands the plaintext to
// belle-sip as a stream channel of belle-sip's TLS listening point, through a
// loopback TCP pair. belle-sip then parses, matches transactions and dialogs,
// and answers over that channel exactly as for its own connections.
//
// Two belle-sip 5.1 symbols outside its public headers are used (exported by
// libbellesip.so.1): belle_sip_stream_channel_new_child (the channel its TCP
// listening point makes for an accepted socket) and
// belle_sip_listening_point_add_channel. They are declared in tls_server.cpp
// with the 5.1.64 signatures.
//
// The channel is a TCP channel underneath, so belle-sip writes its own
// address as "SIP/2.0/TCP 127.0.0.1:<inner port>" in the Via of requests and
// as "<inner address>;transport=tcp" in automatic Contacts. On the way out,
// TlsServer frames each message (belle-sip's parser gives Content-Length) and
// replaces that inner address token, in the header block only, by the public
// TLS address (and TCP by TLS); bodies pass untouched.
//
// Bounds: max_connections, a handshake deadline, 256 KiB of buffered data
// per direction; a connection over any bound is closed.

#include <belle-sip/belle-sip.h>
#include <bctoolbox/crypto.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace libconf::sip {

class TlsServer {
 public:
  struct Config {
    std::string address;       // numeric, may be a wildcard
    std::uint16_t port = 0;    // 0: any
    std::string certificate_file;
    std::string key_file;
    std::size_t max_connections = 1000;
    int handshake_timeout_ms = 10'000;
  };
  /// Binds and listens. Throws libconf::Error naming the file or the address.
  TlsServer(belle_sip_stack_t* stack, belle_sip_listening_point_t* tls_lp, Config config,
            std::function<void(const std::string&)> log);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::size_t connections() const noexcept { return connections_.size(); }

  struct Connection;

 private:
  void release();  // everything the constructor acquired (also when it throws)
  static int on_accept(void* data, unsigned int events);
  static int on_tls_event(void* data, unsigned int events);
  static int on_inner_event(void* data, unsigned int events);
  static int on_sweep(void* data, unsigned int events);
  void close(Connection* c);
  bool start_plaintext(Connection& c);
  bool pump_from_client(Connection& c);
  bool pump_to_client(Connection& c);
  bool flush_to_client(Connection& c);
  bool flush_to_inner(Connection& c);

  belle_sip_stack_t* stack_;
  belle_sip_main_loop_t* loop_;
  belle_sip_listening_point_t* lp_;
  Config config_;
  std::function<void(const std::string&)> log_;
  int listen_fd_ = -1;
  int inner_listen_fd_ = -1;  // 127.0.0.1:<any>, the other end of each plaintext pair
  std::uint16_t port_ = 0;
  belle_sip_source_t* accept_source_ = nullptr;
  belle_sip_source_t* sweep_source_ = nullptr;
  bctbx_ssl_config_t* ssl_config_ = nullptr;
  bctbx_x509_certificate_t* certificate_ = nullptr;
  bctbx_signing_key_t* key_ = nullptr;
  bctbx_rng_context_t* rng_ = nullptr;
  std::map<Connection*, std::unique_ptr<Connection>> connections_;
};

}  // namespace libconf::sip
