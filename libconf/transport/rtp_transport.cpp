#include "libconf/transport/rtp_transport.hpp"

#include <sys/random.h>

#include <cstring>

#include "libconf/transport/clock.hpp"
#include "libconf/transport/rtcp_packet.hpp"
#include "libconf/transport/rtp_packet.hpp"

namespace libconf::transport {

namespace {

std::uint64_t random_seed() noexcept {
  std::uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(seed)))
    seed = static_cast<std::uint64_t>(detail::monotonic_us()) ^ reinterpret_cast<std::uintptr_t>(&seed);
  return seed;
}

void check_config(const RtpConfig& c) {
  if (c.payload_type < 0 || c.payload_type > 127)
    throw Error(errc::invalid_argument, "RtpConfig.payload_type " + std::to_string(c.payload_type) + " is not in 0..127");
  if (c.payload_type >= 64 && c.payload_type <= 95 && c.rtcp_mux)
    throw Error(errc::invalid_argument, "RtpConfig.payload_type " + std::to_string(c.payload_type) +
                                            " collides with RTCP under rtcp_mux (RFC 5761: 64..95 are reserved)");
  if (c.clock_rate_hz < 1000 || c.clock_rate_hz > 192000)
    throw Error(errc::invalid_argument, "RtpConfig.clock_rate_hz " + std::to_string(c.clock_rate_hz) + " is not in 1000..192000");
  if (c.telephone_event_pt != -1 && (c.telephone_event_pt < 0 || c.telephone_event_pt > 127 || c.telephone_event_pt == c.payload_type))
    throw Error(errc::invalid_argument, "RtpConfig.telephone_event_pt " + std::to_string(c.telephone_event_pt) +
                                            " must be -1 or 0..127 and differ from payload_type");
  if (c.telephone_event_volume > 63)
    throw Error(errc::invalid_argument, "RtpConfig.telephone_event_volume " + std::to_string(c.telephone_event_volume) + " > 63");
  if (c.rtcp_interval_ms < 1)
    throw Error(errc::invalid_argument, "RtpConfig.rtcp_interval_ms " + std::to_string(c.rtcp_interval_ms) + " < 1");
  if (c.receive_batch < 1 || c.receive_batch > 1024)
    throw Error(errc::invalid_argument, "RtpConfig.receive_batch " + std::to_string(c.receive_batch) + " is not in 1..1024");
  for (const auto* k : {&c.srtp_send, &c.srtp_recv})
    if (*k && (*k)->key_salt.size() != srtp_key_salt_bytes((*k)->profile))
      throw Error(errc::invalid_argument, std::string(k == &c.srtp_send ? "RtpConfig.srtp_send" : "RtpConfig.srtp_recv") +
                                              ": " + std::to_string((*k)->key_salt.size()) + " key bytes, " +
                                              std::string(sdes_suite_name((*k)->profile)) + " needs " +
                                              std::to_string(srtp_key_salt_bytes((*k)->profile)));
}

}  // namespace

RtpTransport::RtpTransport(const RtpConfig& c)
    : payload_type_(c.payload_type),
      clock_rate_hz_(c.clock_rate_hz),
      telephone_event_pt_(c.telephone_event_pt),
      symmetric_rtp_(c.symmetric_rtp),
      rtcp_mux_(c.rtcp_mux),
      rtcp_interval_us_(std::int64_t{c.rtcp_interval_ms} * 1000),
      batch_(c.receive_batch),
      send_buffer_(kMaxDatagramBytes + kSrtpMaxOverheadBytes),
      rtcp_buffer_(kMaxDatagramBytes + kSrtpMaxOverheadBytes),
      random_state_(random_seed()),
      receive_stats_(c.clock_rate_hz),
      dtmf_receiver_(c.clock_rate_hz),
      dtmf_sender_(c.clock_rate_hz, c.telephone_event_volume) {
  ssrc_ = c.ssrc != 0 ? c.ssrc : static_cast<std::uint32_t>(detail::next_random(random_state_) | 1u);
  // RFC 3550 5.1: initial sequence number and timestamp are random.
  sequence_ = static_cast<std::uint16_t>(detail::next_random(random_state_));
  timestamp_ = static_cast<std::uint32_t>(detail::next_random(random_state_));
  cname_ = c.cname.empty() ? "libconf-" + std::to_string(ssrc_) + "@" + c.local_address : c.cname;
  if (cname_.size() > 255) throw Error(errc::invalid_argument, "RtpConfig.cname is longer than 255 bytes");
}

RtpTransport::~RtpTransport() = default;

Result<std::unique_ptr<RtpTransport>> RtpTransport::open(const RtpConfig& config) {
  check_config(config);
  auto local = SocketAddress::parse(config.local_address, config.local_port);
  if (!local) throw Error(errc::invalid_argument, "RtpConfig.local_address '" + config.local_address + "' is not a numeric IP address");
  std::unique_ptr<RtpTransport> t(new RtpTransport(config));
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
  t->schedule_rtcp(detail::monotonic_us());
  return t;
}

void RtpTransport::set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port) {
  auto a = SocketAddress::parse(address, port);
  if (!a) throw Error(errc::invalid_argument, "remote address '" + address + "' is not a numeric IP address");
  remote_rtp_ = *a;
  remote_rtcp_ = *a;
  if (!rtcp_mux_) remote_rtcp_.set_port(rtcp_port != 0 ? rtcp_port : static_cast<std::uint16_t>(port + 1));
  has_remote_ = true;
  latched_rtp_ = false;
  latched_rtcp_ = false;
}

std::uint16_t RtpTransport::local_rtcp_port() const noexcept {
  return rtcp_socket_ ? rtcp_socket_->local_port() : local_port_;
}

RtpStats RtpTransport::stats() const noexcept {
  RtpStats s = stats_;
  s.packets_lost = receive_stats_.cumulative_lost();
  s.jitter_ms = receive_stats_.jitter_ms();
  s.remote_ssrc = receive_stats_.ssrc();
  return s;
}

void RtpTransport::schedule_rtcp(std::int64_t now_us) noexcept {
  // RFC 3550 6.3.1: randomise the interval to 0.5..1.5 of its mean.
  const std::uint64_t r = detail::next_random(random_state_) % 1000u;
  next_rtcp_us_ = now_us + rtcp_interval_us_ / 2 + rtcp_interval_us_ * static_cast<std::int64_t>(r) / 1000;
}

void RtpTransport::poll(PacketSink& sink) noexcept {
  const std::int64_t now_us = detail::monotonic_us();
  drain(*rtp_socket_, false, now_us, sink);
  if (rtcp_socket_) drain(*rtcp_socket_, true, now_us, sink);
  DtmfEvent timed_out;
  if (dtmf_receiver_.poll_timeout(now_us, timed_out)) sink.on_dtmf(timed_out);
  if (now_us >= next_rtcp_us_) send_rtcp(now_us);
}

void RtpTransport::drain(UdpSocket& socket, bool rtcp_port, std::int64_t now_us, PacketSink& sink) noexcept {
  for (int round = 0; round < kMaxBatchesPerPoll; ++round) {
    const std::size_t n = socket.receive(batch_);
    for (std::size_t i = 0; i < n; ++i)
      handle_datagram(batch_.data(i), batch_.from(i), batch_.truncated(i), rtcp_port, now_us, sink);
    if (n < batch_.capacity()) break;
  }
}

void RtpTransport::handle_datagram(std::span<std::uint8_t> data, const SocketAddress& from, bool truncated,
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

void RtpTransport::handle_rtp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us,
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
  if (symmetric_rtp_ && latched_rtp_ && !(from == remote_rtp_)) {
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

void RtpTransport::count_unprotect_failure(std::error_code error) noexcept {
  if (error == errc::authentication_failed) ++stats_.authentication_failed_dropped;
  else if (error == errc::replayed_packet) ++stats_.replayed_dropped;
  else ++stats_.malformed_dropped;
}

void RtpTransport::handle_rtcp(std::span<std::uint8_t> data, const SocketAddress& from, std::int64_t now_us) noexcept {
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

void RtpTransport::send_rtcp(std::int64_t now_us) noexcept {
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

void RtpTransport::send(const OutgoingFrame& frame) noexcept {
  TelephoneEventPacket event;
  const bool event_now = telephone_event_pt_ >= 0 && dtmf_sender_.on_interval(timestamp_, frame.samples, event);
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
  if (telephone_event_pt_ < 0) return;
  if (event.end) dtmf_sender_.stop(event.digit);
  else (void)dtmf_sender_.start(event.digit, event.duration_ms);
}

}  // namespace libconf::transport
