#include "libconf/transport/rtp_transport.hpp"

#include <sys/random.h>

#include <cstring>

#include "libconf/transport/clock.hpp"
#include "libconf/transport/rtcp_packet.hpp"
#include "libconf/transport/rtp_packet.hpp"
#include "libconf/transport/telephone_event.hpp"
#include "libconf/transport/udp_socket.hpp"

namespace libconf::transport {

namespace {

std::uint64_t random_seed() noexcept {
  std::uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(seed)))
    seed = static_cast<std::uint64_t>(detail::monotonic_us()) ^ reinterpret_cast<std::uintptr_t>(&seed);
  return seed;
}

PayloadFormat format_of(const RtpConfig& c) {
  return PayloadFormat{c.payload_type, c.clock_rate_hz, c.telephone_event_pt, c.telephone_event_rate_hz};
}

int event_rate(const PayloadFormat& f) { return f.telephone_event_rate_hz ? f.telephone_event_rate_hz : f.clock_rate_hz; }

std::string keys_problem(const SrtpKeys& k, const char* field) {
  if (k.key_salt.size() == srtp_key_salt_bytes(k.profile)) return {};
  return std::string(field) + ": " + std::to_string(k.key_salt.size()) + " key bytes, " +
         std::string(sdes_suite_name(k.profile)) + " needs " + std::to_string(srtp_key_salt_bytes(k.profile));
}

void check_config(const RtpConfig& c) {
  std::string why;
  if (!check_payload_format(format_of(c), c.rtcp_mux, &why)) throw Error(errc::invalid_argument, "RtpConfig." + why);
  if (c.telephone_event_volume > 63)
    throw Error(errc::invalid_argument, "RtpConfig.telephone_event_volume " + std::to_string(c.telephone_event_volume) + " > 63");
  if (c.rtcp_interval_ms < 1)
    throw Error(errc::invalid_argument, "RtpConfig.rtcp_interval_ms " + std::to_string(c.rtcp_interval_ms) + " < 1");
  if (c.receive_batch < 1 || c.receive_batch > 1024)
    throw Error(errc::invalid_argument, "RtpConfig.receive_batch " + std::to_string(c.receive_batch) + " is not in 1..1024");
  if (c.srtp_send) if (auto p = keys_problem(*c.srtp_send, "RtpConfig.srtp_send"); !p.empty()) throw Error(errc::invalid_argument, p);
  if (c.srtp_recv) if (auto p = keys_problem(*c.srtp_recv, "RtpConfig.srtp_recv"); !p.empty()) throw Error(errc::invalid_argument, p);
}

// What apply_update() swaps in: built by prepare_update() on the host thread.
struct RtpPreparedUpdate final : PreparedTransportUpdate {
  std::optional<SocketAddress> remote_rtp;
  std::optional<SocketAddress> remote_rtcp;
  std::optional<PayloadFormat> payload;
  std::optional<TelephoneEventReceiver> dtmf_receiver;
  std::optional<TelephoneEventSender> dtmf_sender;
  std::optional<SrtpSession> srtp_out;  // after apply: the replaced session (or none)
  std::optional<SrtpSession> srtp_in;
  bool has_srtp_out = false, has_srtp_in = false;
};

}  // namespace

struct RtpTransport::Impl {
  explicit Impl(const RtpConfig& c);

  void handle_datagram(std::span<std::uint8_t> data, const SocketAddress& from, bool truncated, bool rtcp_port,
                       std::int64_t now_us, PacketSink& sink) noexcept;
  void handle_rtp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us, PacketSink& sink) noexcept;
  void handle_rtcp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us) noexcept;
  void send_rtcp(std::int64_t now_us) noexcept;
  void count_unprotect_failure(std::error_code error) noexcept;
  void schedule_rtcp(std::int64_t now_us) noexcept;
  void drain(UdpSocket& socket, bool rtcp_port, std::int64_t now_us, PacketSink& sink) noexcept;
  void set_remote(const SocketAddress& rtp, const SocketAddress& rtcp) noexcept;
  void send(const OutgoingFrame& frame) noexcept;

  int payload_type_;
  int clock_rate_hz_;
  int telephone_event_pt_;
  int telephone_event_rate_hz_;
  std::uint8_t telephone_event_volume_;
  bool symmetric_rtp_;
  bool rtcp_mux_;
  std::int64_t rtcp_interval_us_;
  std::string cname_;
  std::string local_address_;

  std::optional<UdpSocket> rtp_socket_;
  std::optional<UdpSocket> rtcp_socket_;
  std::uint16_t local_port_ = 0;
  SocketAddress remote_rtp_;
  SocketAddress remote_rtcp_;
  bool has_remote_ = false;
  bool latched_rtp_ = false;
  bool latched_rtcp_ = false;
  // The source a re-INVITE moved away from: packets still in flight from it
  // must not latch the stream back (symmetric RTP).
  SocketAddress superseded_rtp_;
  bool has_superseded_ = false;

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

  bool rtcp_scheduled_ = false;  // the first poll() schedules the first report
  std::int64_t next_rtcp_us_ = 0;
  bool have_remote_sr_ = false;
  std::uint32_t remote_sr_compact_ = 0;
  std::int64_t remote_sr_arrival_us_ = 0;
};

RtpTransport::Impl::Impl(const RtpConfig& c)
    : payload_type_(c.payload_type),
      clock_rate_hz_(c.clock_rate_hz),
      telephone_event_pt_(c.telephone_event_pt),
      telephone_event_rate_hz_(event_rate(format_of(c))),
      telephone_event_volume_(c.telephone_event_volume),
      symmetric_rtp_(c.symmetric_rtp),
      rtcp_mux_(c.rtcp_mux),
      rtcp_interval_us_(std::int64_t{c.rtcp_interval_ms} * 1000),
      batch_(c.receive_batch),
      send_buffer_(kMaxDatagramBytes + kSrtpMaxOverheadBytes),
      rtcp_buffer_(kMaxDatagramBytes + kSrtpMaxOverheadBytes),
      random_state_(random_seed()),
      receive_stats_(c.clock_rate_hz),
      dtmf_receiver_(telephone_event_rate_hz_),
      dtmf_sender_(telephone_event_rate_hz_, c.telephone_event_volume) {
  ssrc_ = c.ssrc != 0 ? c.ssrc : static_cast<std::uint32_t>(detail::next_random(random_state_) | 1u);
  // RFC 3550 5.1: initial sequence number and timestamp are random.
  sequence_ = static_cast<std::uint16_t>(detail::next_random(random_state_));
  timestamp_ = static_cast<std::uint32_t>(detail::next_random(random_state_));
  cname_ = c.cname.empty() ? "libconf-" + std::to_string(ssrc_) + "@" + c.local_address : c.cname;
  if (cname_.size() > 255) throw Error(errc::invalid_argument, "RtpConfig.cname is longer than 255 bytes");
  local_address_ = c.local_address;
}

RtpTransport::RtpTransport(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
RtpTransport::~RtpTransport() = default;

Result<std::unique_ptr<RtpTransport>> RtpTransport::open(const RtpConfig& config) {
  check_config(config);
  auto local = SocketAddress::parse(config.local_address, config.local_port);
  if (!local) throw Error(errc::invalid_argument, "RtpConfig.local_address '" + config.local_address + "' is not a numeric IP address");
  auto t = std::make_unique<Impl>(config);
  if (config.local_port == 0) {
    auto ports = UdpSocket::allocate_rtp_port(*local, config.port_range, !config.rtcp_mux);
    if (!ports) return ports.error();
    t->rtp_socket_.emplace(std::move(ports->rtp));
    if (ports->rtcp) t->rtcp_socket_.emplace(std::move(*ports->rtcp));
  } else {
    auto s = UdpSocket::bind(*local);
    if (!s) return s.error();
    t->rtp_socket_.emplace(std::move(*s));
    if (!config.rtcp_mux) {
      SocketAddress r = *local;
      r.set_port(static_cast<std::uint16_t>(config.local_port + 1));
      auto rs = UdpSocket::bind(r);
      if (!rs) return rs.error();
      t->rtcp_socket_.emplace(std::move(*rs));
    }
  }
  t->local_port_ = t->rtp_socket_->local_port();
  if (config.srtp_send) {
    auto s = SrtpSession::create(*config.srtp_send, SrtpDirection::outbound, t->ssrc_);
    if (!s) return s.error();
    t->srtp_out_.emplace(std::move(*s));
  }
  if (config.srtp_recv) {
    auto s = SrtpSession::create(*config.srtp_recv, SrtpDirection::inbound);
    if (!s) return s.error();
    t->srtp_in_.emplace(std::move(*s));
  }
  return std::unique_ptr<RtpTransport>(new RtpTransport(std::move(t)));
}

namespace {
Result<std::pair<SocketAddress, SocketAddress>> parse_remote(const std::string& address, std::uint16_t port,
                                                             std::uint16_t rtcp_port, bool rtcp_mux) {
  auto a = SocketAddress::parse(address, port);
  if (!a) return errc::invalid_argument;
  SocketAddress rtcp = *a;
  if (!rtcp_mux) rtcp.set_port(rtcp_port != 0 ? rtcp_port : static_cast<std::uint16_t>(port + 1));
  return std::pair{*a, rtcp};
}
}  // namespace

void RtpTransport::Impl::set_remote(const SocketAddress& rtp, const SocketAddress& rtcp) noexcept {
  remote_rtp_ = rtp;
  remote_rtcp_ = rtcp;
  has_remote_ = true;
  latched_rtp_ = false;
  latched_rtcp_ = false;
}

void RtpTransport::set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port) {
  auto r = parse_remote(address, port, rtcp_port, impl_->rtcp_mux_);
  if (!r) throw Error(errc::invalid_argument, "remote address '" + address + "' is not a numeric IP address");
  impl_->set_remote(r->first, r->second);
}

std::uint16_t RtpTransport::local_port() const noexcept { return impl_->local_port_; }
std::uint32_t RtpTransport::ssrc() const noexcept { return impl_->ssrc_; }
bool RtpTransport::latched() const noexcept { return impl_->latched_rtp_; }
std::string RtpTransport::remote_address() const {
  return impl_->has_remote_ ? impl_->remote_rtp_.to_string() : std::string();
}
std::uint16_t RtpTransport::remote_port() const noexcept { return impl_->has_remote_ ? impl_->remote_rtp_.port() : 0; }

std::uint16_t RtpTransport::local_rtcp_port() const noexcept {
  return impl_->rtcp_socket_ ? impl_->rtcp_socket_->local_port() : impl_->local_port_;
}

RtpStats RtpTransport::stats() const noexcept {
  RtpStats s = impl_->stats_;
  s.packets_lost = impl_->receive_stats_.cumulative_lost();
  s.jitter_ms = impl_->receive_stats_.jitter_ms();
  s.remote_ssrc = impl_->receive_stats_.ssrc();
  return s;
}

Result<std::unique_ptr<PreparedTransportUpdate>> RtpTransport::prepare_update(const TransportUpdate& u,
                                                                              std::string* why) const {
  // Reads only what never changes after open(): rtcp_mux_, ssrc_, the DTMF volume.
  const Impl& d = *impl_;
  auto bad = [&](std::string text, errc code = errc::invalid_argument) -> Result<std::unique_ptr<PreparedTransportUpdate>> {
    if (why) *why = std::move(text);
    return code;
  };
  auto p = std::make_unique<RtpPreparedUpdate>();
  if (u.remote) {
    if (u.remote->rtp_port == 0) return bad("remote.rtp_port 0 is not a port");
    auto r = parse_remote(u.remote->address, u.remote->rtp_port, u.remote->rtcp_port, d.rtcp_mux_);
    if (!r) return bad("remote.address '" + u.remote->address + "' is not a numeric IP address");
    p->remote_rtp = r->first;
    p->remote_rtcp = r->second;
  }
  if (u.payload) {
    std::string problem;
    if (!check_payload_format(*u.payload, d.rtcp_mux_, &problem)) return bad("payload." + problem);
    p->payload = *u.payload;
    p->dtmf_receiver.emplace(event_rate(*u.payload));
    p->dtmf_sender.emplace(event_rate(*u.payload), d.telephone_event_volume_);
  }
  if (u.srtp_send) {
    if (auto problem = keys_problem(*u.srtp_send, "srtp_send"); !problem.empty()) return bad(problem);
    auto s = SrtpSession::create(*u.srtp_send, SrtpDirection::outbound, d.ssrc_);
    if (!s) return bad("srtp_send: " + s.error().message(), static_cast<errc>(s.error().value()));
    p->srtp_out.emplace(std::move(*s));
    p->has_srtp_out = true;
  }
  if (u.srtp_recv) {
    if (auto problem = keys_problem(*u.srtp_recv, "srtp_recv"); !problem.empty()) return bad(problem);
    auto s = SrtpSession::create(*u.srtp_recv, SrtpDirection::inbound);
    if (!s) return bad("srtp_recv: " + s.error().message(), static_cast<errc>(s.error().value()));
    p->srtp_in.emplace(std::move(*s));
    p->has_srtp_in = true;
  }
  return std::unique_ptr<PreparedTransportUpdate>(std::move(p));
}

void RtpTransport::apply_update(PreparedTransportUpdate& prepared) noexcept {
  auto* p = dynamic_cast<RtpPreparedUpdate*>(&prepared);
  if (!p) return;
  Impl& d = *impl_;
  if (p->remote_rtp) {
    d.has_superseded_ = d.has_remote_ && !(d.remote_rtp_ == *p->remote_rtp);
    if (d.has_superseded_) d.superseded_rtp_ = d.remote_rtp_;
    d.set_remote(*p->remote_rtp, *p->remote_rtcp);
  }
  if (p->payload) {
    d.payload_type_ = p->payload->payload_type;
    d.clock_rate_hz_ = p->payload->clock_rate_hz;
    d.telephone_event_pt_ = p->payload->telephone_event_pt;
    d.telephone_event_rate_hz_ = event_rate(*p->payload);
    std::swap(d.dtmf_receiver_, *p->dtmf_receiver);
    std::swap(d.dtmf_sender_, *p->dtmf_sender);
    d.receive_stats_.set_clock_rate(d.clock_rate_hz_);
  }
  // The replaced sessions stay in the prepared object: libsrtp frees them
  // when it is destroyed, on the host's thread.
  if (p->has_srtp_out) d.srtp_out_.swap(p->srtp_out);
  if (p->has_srtp_in) d.srtp_in_.swap(p->srtp_in);
}

void RtpTransport::Impl::schedule_rtcp(std::int64_t now_us) noexcept {
  // RFC 3550 6.3.1: randomise the interval to 0.5..1.5 of its mean.
  const std::uint64_t r = detail::next_random(random_state_) % 1000u;
  next_rtcp_us_ = now_us + rtcp_interval_us_ / 2 + rtcp_interval_us_ * static_cast<std::int64_t>(r) / 1000;
}

void RtpTransport::poll(PacketSink& sink, std::int64_t now_us) noexcept {
  Impl& d = *impl_;
  if (!d.rtcp_scheduled_) {
    d.schedule_rtcp(now_us);
    d.rtcp_scheduled_ = true;
  }
  d.drain(*d.rtp_socket_, false, now_us, sink);
  if (d.rtcp_socket_) d.drain(*d.rtcp_socket_, true, now_us, sink);
  DtmfEvent timed_out;
  if (d.dtmf_receiver_.poll_timeout(now_us, timed_out)) sink.on_dtmf(timed_out);
  if (now_us >= d.next_rtcp_us_) d.send_rtcp(now_us);
}

void RtpTransport::Impl::drain(UdpSocket& socket, bool rtcp_port, std::int64_t now_us, PacketSink& sink) noexcept {
  for (int round = 0; round < kMaxBatchesPerPoll; ++round) {
    const std::size_t n = socket.receive(batch_);
    for (std::size_t i = 0; i < n; ++i)
      handle_datagram(batch_.data(i), batch_.from(i), batch_.truncated(i), rtcp_port, now_us, sink);
    if (n < batch_.capacity()) break;
  }
}

void RtpTransport::Impl::handle_datagram(std::span<std::uint8_t> data, const SocketAddress& from, bool truncated,
                                   bool rtcp_port, std::int64_t now_us, PacketSink& sink) noexcept {
  if (truncated) {
    ++stats_.oversized_dropped;
    return;
  }
  if (data.size() < 4) {
    ++stats_.truncated_dropped;
    return;
  }
  if ((data[0] >> 6) != 2) {
    ++stats_.wrong_version_dropped;
    return;
  }
  if (looks_like_rtcp(data)) {
    handle_rtcp(data, from, now_us);
  } else if (rtcp_port) {
    ++stats_.malformed_dropped;  // RTP on the RTCP port
  } else {
    handle_rtp(data, from, now_us, sink);
  }
}

void RtpTransport::Impl::handle_rtp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us,
                              PacketSink& sink) noexcept {
  RtpParseError why = RtpParseError::none;
  auto parsed = parse_rtp(data, &why);
  if (!parsed) {
    if (why == RtpParseError::truncated) ++stats_.truncated_dropped;
    else if (why == RtpParseError::wrong_version) ++stats_.wrong_version_dropped;
    else ++stats_.malformed_dropped;
    return;
  }
  const bool is_event = telephone_event_pt_ >= 0 && parsed->payload_type == telephone_event_pt_;
  if (!is_event && parsed->payload_type != payload_type_) {
    ++stats_.wrong_payload_type_dropped;
    return;
  }
  if (symmetric_rtp_ && ((latched_rtp_ && !(from == remote_rtp_)) ||
                         (!latched_rtp_ && has_superseded_ && from == superseded_rtp_))) {
    ++stats_.foreign_source_dropped;
    return;
  }
  std::span<const std::uint8_t> packet = data;
  if (srtp_in_) {
    auto plain = srtp_in_->unprotect(data, data.size());
    if (!plain) {
      count_unprotect_failure(plain.error());
      return;
    }
    packet = data.first(*plain);
    parsed = parse_rtp(packet);
    if (!parsed) {
      ++stats_.malformed_dropped;
      return;
    }
  }
  if (symmetric_rtp_ && !latched_rtp_) {
    remote_rtp_ = from;
    latched_rtp_ = true;
    has_remote_ = true;
    if (rtcp_mux_ && !latched_rtcp_) {
      remote_rtcp_ = from;
      latched_rtcp_ = true;
    }
  }
  if (is_event) {
    auto event = parse_telephone_event(parsed->payload);
    if (!event) {
      ++stats_.malformed_dropped;
      return;
    }
    receive_stats_.on_packet(parsed->ssrc, parsed->sequence, parsed->timestamp, now_us, false);
    ++stats_.packets_received;
    stats_.octets_received += parsed->payload.size();
    DtmfEvent out[3];
    const std::size_t n = dtmf_receiver_.on_packet(*event, parsed->timestamp, now_us, std::span<DtmfEvent, 3>(out));
    for (std::size_t i = 0; i < n; ++i) {
      if (!out[i].end) ++stats_.dtmf_digits_received;
      sink.on_dtmf(out[i]);
    }
    return;
  }
  receive_stats_.on_packet(parsed->ssrc, parsed->sequence, parsed->timestamp, now_us, true);
  ++stats_.packets_received;
  stats_.octets_received += parsed->payload.size();
  ReceivedPacket p;
  p.payload = parsed->payload;
  p.rtp_timestamp = parsed->timestamp;
  p.sequence = parsed->sequence;
  p.payload_type = parsed->payload_type;
  p.marker = parsed->marker;
  p.ssrc = parsed->ssrc;
  p.arrival_us = now_us;
  sink.on_packet(p);
}

void RtpTransport::Impl::count_unprotect_failure(std::error_code error) noexcept {
  if (error == errc::authentication_failed) ++stats_.authentication_failed_dropped;
  else if (error == errc::replayed_packet) ++stats_.replayed_dropped;
  else ++stats_.malformed_dropped;
}

void RtpTransport::Impl::handle_rtcp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us) noexcept {
  if (data.size() < 8) {
    ++stats_.truncated_dropped;
    return;
  }
  if (symmetric_rtp_ && latched_rtcp_ && !(from == remote_rtcp_)) {
    ++stats_.foreign_source_dropped;
    return;
  }
  std::span<const std::uint8_t> packet = data;
  if (srtp_in_) {
    auto plain = srtp_in_->unprotect_rtcp(data, data.size());
    if (!plain) {
      count_unprotect_failure(plain.error());
      return;
    }
    packet = data.first(*plain);
  }
  auto report = parse_rtcp(packet);
  if (!report) {
    ++stats_.malformed_dropped;
    return;
  }
  if (symmetric_rtp_ && !latched_rtcp_) {
    remote_rtcp_ = from;
    latched_rtcp_ = true;
  }
  ++stats_.rtcp_received;
  if (report->has_sender_info) {
    have_remote_sr_ = true;
    remote_sr_compact_ = ntp_compact(report->sender_info.ntp_timestamp);
    remote_sr_arrival_us_ = now_us;
  }
  for (std::size_t i = 0; i < report->block_count; ++i) {
    const RtcpReportBlock& b = report->blocks[i];
    if (b.ssrc != ssrc_) continue;
    stats_.has_remote_report = true;
    stats_.remote_fraction_lost = b.fraction_lost / 256.0;
    stats_.remote_packets_lost = b.cumulative_lost;
    stats_.remote_jitter_ms = 1000.0 * b.jitter / clock_rate_hz_;
    if (b.last_sr != 0) {
      // RFC 3550 6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s.
      const std::uint32_t a = ntp_compact(detail::ntp_now());
      const std::uint32_t since_lsr = a - b.last_sr;
      if (since_lsr >= b.delay_since_last_sr && since_lsr < 0x80000000u)
        stats_.rtt_ms = 1000.0 * (since_lsr - b.delay_since_last_sr) / 65536.0;
    }
  }
}

void RtpTransport::Impl::send_rtcp(std::int64_t now_us) noexcept {
  schedule_rtcp(now_us);
  if (!has_remote_) return;
  RtcpReportToSend r;
  r.ssrc = ssrc_;
  r.cname = cname_;
  if (stats_.packets_sent > 0) {
    r.has_sender_info = true;
    r.sender_info.ntp_timestamp = detail::ntp_now();
    r.sender_info.rtp_timestamp = timestamp_;
    r.sender_info.packet_count = static_cast<std::uint32_t>(stats_.packets_sent);
    r.sender_info.octet_count = static_cast<std::uint32_t>(stats_.octets_sent);
  }
  if (receive_stats_.has_source()) {
    r.has_block = true;
    r.block = receive_stats_.next_report_block();
    stats_.fraction_lost = receive_stats_.last_fraction_lost();
    if (have_remote_sr_) {
      r.block.last_sr = remote_sr_compact_;
      r.block.delay_since_last_sr = static_cast<std::uint32_t>((now_us - remote_sr_arrival_us_) * 65536 / 1'000'000);
    }
  }
  auto size = write_rtcp_report(r, rtcp_buffer_);
  if (!size) return;
  std::size_t length = *size;
  if (srtp_out_) {
    auto protected_size = srtp_out_->protect_rtcp(rtcp_buffer_, length);
    if (!protected_size) {
      ++stats_.send_errors;
      return;
    }
    length = *protected_size;
  }
  const OutgoingDatagram d{std::span<const std::uint8_t>(rtcp_buffer_.data(), length), &remote_rtcp_};
  UdpSocket& socket = rtcp_socket_ ? *rtcp_socket_ : *rtp_socket_;
  if (socket.send(std::span(&d, 1)) == 1) ++stats_.rtcp_sent;
  else ++stats_.send_errors;
}

void RtpTransport::send(const OutgoingFrame& frame) noexcept { impl_->send(frame); }

void RtpTransport::Impl::send(const OutgoingFrame& frame) noexcept {
  TelephoneEventPacket event;
  // Event durations count in telephone-event's clock, the frame in the audio clock.
  const auto event_samples = static_cast<std::uint32_t>(std::uint64_t{frame.samples} *
                                                        static_cast<std::uint64_t>(telephone_event_rate_hz_) /
                                                        static_cast<std::uint64_t>(clock_rate_hz_));
  const bool event_now = telephone_event_pt_ >= 0 && dtmf_sender_.on_interval(timestamp_, event_samples, event);
  RtpHeaderFields h;
  h.ssrc = ssrc_;
  std::span<const std::uint8_t> payload;
  if (event_now) {
    h.payload_type = static_cast<std::uint8_t>(telephone_event_pt_);
    h.timestamp = event.timestamp;
    h.marker = event.marker;
    payload = event.payload;
    if (event.marker) ++stats_.dtmf_digits_sent;
  } else {
    h.payload_type = static_cast<std::uint8_t>(payload_type_);
    h.timestamp = timestamp_;
    h.marker = frame.marker;
    payload = frame.payload;
  }
  timestamp_ += frame.samples;
  if (payload.empty()) return;  // nothing to say this interval (DTX)
  if (!has_remote_ || payload.size() + kRtpHeaderBytes > kMaxDatagramBytes) {
    ++stats_.send_errors;
    return;
  }
  h.sequence = sequence_;
  auto size = write_rtp(h, payload, send_buffer_);
  if (!size) {
    ++stats_.send_errors;
    return;
  }
  std::size_t length = *size;
  if (srtp_out_) {
    auto protected_size = srtp_out_->protect(send_buffer_, length);
    if (!protected_size) {
      ++stats_.send_errors;
      return;
    }
    length = *protected_size;
  }
  ++sequence_;
  const OutgoingDatagram d{std::span<const std::uint8_t>(send_buffer_.data(), length), &remote_rtp_};
  if (rtp_socket_->send(std::span(&d, 1)) != 1) {
    ++stats_.send_errors;
    return;
  }
  ++stats_.packets_sent;
  stats_.octets_sent += payload.size();
}

void RtpTransport::send_dtmf(const DtmfEvent& event) noexcept {
  Impl& d = *impl_;
  if (d.telephone_event_pt_ < 0) return;
  if (event.end) d.dtmf_sender_.stop(event.digit);
  else (void)d.dtmf_sender_.start(event.digit, event.duration_ms);
}

}  // namespace libconf::transport
