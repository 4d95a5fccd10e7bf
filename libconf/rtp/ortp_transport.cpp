#include "libconf/rtp/ortp_transport.hpp"

#include <ortp/ortp.h>
#include <ortp/payloadtype.h>
#include <ortp/rtpprofile.h>
#include <ortp/rtpsession.h>

#include <array>
#include <mutex>
#include <optional>
#include <random>

#include "libconf/transport/rtp_packet.hpp"
#include "libconf/transport/srtp.hpp"
#include "libconf/transport/telephone_event.hpp"
#include "libconf/transport/udp_socket.hpp"

namespace libconf::rtp {

using transport::DtmfEvent;

namespace {

void init_ortp() {
  static std::once_flag once;
  std::call_once(once, [] {
    ortp_init();
    // The frame path logs nothing: oRTP reports only fatal errors.
    ortp_set_log_level_mask(ORTP_LOG_DOMAIN, ORTP_FATAL);
  });
}

}  // namespace

struct OrtpTransport::Impl {
  explicit Impl(const transport::RtpConfig& c)
      : payload_type(c.payload_type),
        clock_rate_hz(c.clock_rate_hz),
        telephone_event_pt(c.telephone_event_pt),
        dtmf_receiver(c.clock_rate_hz),
        dtmf_sender(c.clock_rate_hz, c.telephone_event_volume) {}
  ~Impl() {
    if (session) rtp_session_destroy(session);  // destroys the transports and our modifiers
    if (profile) rtp_profile_destroy(profile);
  }

  static int on_send(RtpTransportModifier* m, mblk_t* msg);
  static int on_receive(RtpTransportModifier* m, mblk_t* msg);
  static void on_schedule(RtpTransportModifier*) {}
  static void on_destroy(RtpTransportModifier* m) { delete m; }
  void push_dtmf(const DtmfEvent& e) noexcept {
    if (dtmf_count < dtmf_pending.size()) dtmf_pending[dtmf_count++] = e;
  }

  RtpSession* session = nullptr;
  RtpProfile* profile = nullptr;
  int payload_type;
  int clock_rate_hz;
  int telephone_event_pt;
  std::uint32_t ssrc = 0;
  std::uint16_t local_port = 0;
  std::uint32_t timestamp = 0;
  /// oRTP reads its sockets only when the receive timestamp differs from the
  /// previous call's; with its jitter buffer off the value gates nothing else.
  std::uint32_t receive_ts = 0;
  std::optional<transport::SrtpSession> srtp_out, srtp_in;
  transport::TelephoneEventReceiver dtmf_receiver;
  transport::TelephoneEventSender dtmf_sender;
  std::array<DtmfEvent, 32> dtmf_pending{};
  std::size_t dtmf_count = 0;
  std::int64_t now_us = 0;  ///< time of the poll in progress, for the receive hook
  transport::RtpStats own;  ///< counters oRTP does not keep
};

int OrtpTransport::Impl::on_send(RtpTransportModifier* m, mblk_t* msg) {
  auto* self = static_cast<Impl*>(m->data);
  // The whole message: oRTP may chain header and payload in two blocks.
  const auto length = static_cast<std::size_t>(msgdsize(msg));
  if (!self->srtp_out) return static_cast<int>(length);
  // One contiguous block with room for the SRTP tag: this copies (oRTP's
  // packets are allocated to size).
  msgpullup(msg, length + transport::kSrtpMaxOverheadBytes);
  const std::span<std::uint8_t> buf(msg->b_rptr, length + transport::kSrtpMaxOverheadBytes);
  auto r = transport::looks_like_rtcp(buf) ? self->srtp_out->protect_rtcp(buf, length) : self->srtp_out->protect(buf, length);
  if (!r) {
    ++self->own.send_errors;
    return -1;
  }
  // oRTP moves b_wptr by (returned size - size before) itself.
  return static_cast<int>(*r);
}

int OrtpTransport::Impl::on_receive(RtpTransportModifier* m, mblk_t* msg) {
  auto* self = static_cast<Impl*>(m->data);
  std::size_t length = static_cast<std::size_t>(msg->b_wptr - msg->b_rptr);
  const std::span<std::uint8_t> buf(msg->b_rptr, length);
  const bool rtcp = transport::looks_like_rtcp(buf);
  if (self->srtp_in) {
    auto r = rtcp ? self->srtp_in->unprotect_rtcp(buf, length) : self->srtp_in->unprotect(buf, length);
    if (!r) {
      if (r.error() == errc::authentication_failed) ++self->own.authentication_failed_dropped;
      else if (r.error() == errc::replayed_packet) ++self->own.replayed_dropped;
      else ++self->own.malformed_dropped;
      return -1;
    }
    length = *r;  // oRTP moves b_wptr to the returned size itself
  }
  if (!rtcp && self->telephone_event_pt >= 0) {
    auto p = transport::parse_rtp(buf.first(length));
    if (p && p->payload_type == self->telephone_event_pt) {
      auto e = transport::parse_telephone_event(p->payload);
      if (e) {
        DtmfEvent out[3];
        const auto n = self->dtmf_receiver.on_packet(*e, p->timestamp, self->now_us, std::span<DtmfEvent, 3>(out));
        for (std::size_t i = 0; i < n; ++i) {
          if (!out[i].end) ++self->own.dtmf_digits_received;
          self->push_dtmf(out[i]);
        }
      } else {
        ++self->own.malformed_dropped;
      }
    }
  }
  return static_cast<int>(length);
}

OrtpTransport::OrtpTransport(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
OrtpTransport::~OrtpTransport() = default;

Result<std::unique_ptr<OrtpTransport>> OrtpTransport::open(const transport::RtpConfig& c) {
  // Same validation as the permissive transport: one source of truth for the messages.
  std::string why;
  if (!transport::check_payload_format({c.payload_type, c.clock_rate_hz, c.telephone_event_pt, c.telephone_event_rate_hz},
                                       c.rtcp_mux, &why))
    throw Error(errc::invalid_argument, "RtpConfig." + why);
  if (c.telephone_event_rate_hz != 0 && c.telephone_event_rate_hz != c.clock_rate_hz)
    throw Error(errc::not_supported, "RtpConfig.telephone_event_rate_hz " + std::to_string(c.telephone_event_rate_hz) +
                                         ": the oRTP transport sends events in the audio clock only");
  if (!transport::SocketAddress::parse(c.local_address, 0))
    throw Error(errc::invalid_argument, "RtpConfig.local_address '" + c.local_address + "' is not a numeric IP address");
  init_ortp();
  auto impl = std::make_unique<Impl>(c);
  RtpSession* s = rtp_session_new(RTP_SESSION_SENDRECV);
  impl->session = s;
  rtp_session_set_scheduling_mode(s, FALSE);
  rtp_session_set_blocking_mode(s, FALSE);
  rtp_session_enable_jitter_buffer(s, FALSE);
  rtp_session_set_ssrc_changed_threshold(s, 0);
  rtp_session_set_symmetric_rtp(s, c.symmetric_rtp ? TRUE : FALSE);
  rtp_session_set_connected_mode(s, FALSE);
  rtp_session_enable_rtcp_mux(s, c.rtcp_mux ? TRUE : FALSE);
  rtp_session_set_rtcp_report_interval(s, c.rtcp_interval_ms);

  impl->profile = rtp_profile_new("libconf");
  PayloadType* audio = payload_type_clone(&payload_type_pcmu8000);
  audio->clock_rate = c.clock_rate_hz;
  rtp_profile_set_payload(impl->profile, c.payload_type, audio);
  if (c.telephone_event_pt >= 0) {
    PayloadType* events = payload_type_clone(&payload_type_telephone_event);
    events->clock_rate = c.clock_rate_hz;
    rtp_profile_set_payload(impl->profile, c.telephone_event_pt, events);
  }
  rtp_session_set_profile(s, impl->profile);
  rtp_session_set_payload_type(s, c.payload_type);

  std::mt19937 rng(std::random_device{}());
  impl->ssrc = c.ssrc != 0 ? c.ssrc : (static_cast<std::uint32_t>(rng()) | 1u);
  rtp_session_set_ssrc(s, impl->ssrc);
  impl->timestamp = static_cast<std::uint32_t>(rng());

  if (c.local_port != 0) {
    if (rtp_session_set_local_addr(s, c.local_address.c_str(), c.local_port, c.local_port + 1) != 0) return errc::io_error;
  } else {
    const int first = (c.port_range.min_port + 1) & ~1;
    const int last = c.port_range.max_port - 1;
    if (c.port_range.min_port == 0 || last < first)
      throw Error(errc::invalid_argument, "RTP port range " + std::to_string(c.port_range.min_port) + "-" +
                                              std::to_string(c.port_range.max_port) + " holds no usable even port pair");
    const int slots = (last - first) / 2 + 1;
    const int start = static_cast<int>(rng() % static_cast<unsigned>(slots));
    bool bound = false;
    for (int k = 0; k < slots && !bound; ++k) {
      const int port = first + 2 * ((start + k) % slots);
      bound = rtp_session_set_local_addr(s, c.local_address.c_str(), port, port + 1) == 0;
    }
    if (!bound) return errc::capacity_exceeded;
  }
  impl->local_port = static_cast<std::uint16_t>(rtp_session_get_local_port(s));

  if (c.srtp_send) {
    auto k = transport::SrtpSession::create(*c.srtp_send, transport::SrtpDirection::outbound, impl->ssrc);
    if (!k) return k.error();
    impl->srtp_out.emplace(std::move(*k));
  }
  if (c.srtp_recv) {
    auto k = transport::SrtpSession::create(*c.srtp_recv, transport::SrtpDirection::inbound);
    if (!k) return k.error();
    impl->srtp_in.emplace(std::move(*k));
  }
  // The hook on both transports: SRTP/SRTCP and the RFC 4733 tap.
  RtpTransport* rtp_tr = nullptr;
  RtpTransport* rtcp_tr = nullptr;
  rtp_session_get_transports(s, &rtp_tr, &rtcp_tr);
  for (RtpTransport* tr : {rtp_tr, rtcp_tr}) {
    if (!tr) continue;
    auto* m = new RtpTransportModifier{};
    m->data = impl.get();
    m->t_process_on_send = &Impl::on_send;
    m->t_process_on_receive = &Impl::on_receive;
    m->t_process_on_schedule = &Impl::on_schedule;
    m->t_destroy = &Impl::on_destroy;
    meta_rtp_transport_append_modifier(tr, m);
  }
  return std::unique_ptr<OrtpTransport>(new OrtpTransport(std::move(impl)));
}

void OrtpTransport::set_remote(const std::string& address, std::uint16_t port, std::uint16_t rtcp_port) {
  const int rtcp = rtcp_port != 0 ? rtcp_port : port + 1;
  if (rtp_session_set_remote_addr_and_port(impl_->session, address.c_str(), port, rtcp) != 0)
    throw Error(errc::invalid_argument, "oRTP rejected remote address '" + address + "'");
}

std::uint16_t OrtpTransport::local_port() const noexcept { return impl_->local_port; }
std::uint32_t OrtpTransport::ssrc() const noexcept { return impl_->ssrc; }

transport::RtpStats OrtpTransport::stats() const noexcept {
  transport::RtpStats s = impl_->own;
  const rtp_stats_t* o = rtp_session_get_stats(impl_->session);
  s.packets_sent = o->packet_sent;
  s.octets_sent = o->sent;
  s.packets_received = o->packet_recv;
  s.octets_received = o->recv;
  s.packets_lost = o->cum_packet_loss;
  s.rtcp_sent = o->sent_rtcp_packets;
  s.rtcp_received = o->recv_rtcp_packets;
  s.malformed_dropped += o->bad;
  if (const jitter_stats_t* j = rtp_session_get_jitter_stats(impl_->session))
    s.jitter_ms = 1000.0 * j->jitter / impl_->clock_rate_hz;
  const float rtt_s = rtp_session_get_round_trip_propagation(impl_->session);
  s.rtt_ms = rtt_s > 0 ? 1000.0 * rtt_s : -1.0;
  return s;
}

void OrtpTransport::poll(transport::PacketSink& sink, std::int64_t now_us) noexcept {
  Impl& d = *impl_;
  d.now_us = now_us;
  // With the jitter buffer off, the first call of a poll reads what the
  // sockets hold (a new receive_ts makes oRTP read) and every call returns the
  // oldest queued packet. A call that consumed a telephone-event packet
  // returns null although audio may follow: stop after two nulls in a row.
  ++d.receive_ts;
  constexpr int kMaxCallsPerPoll = 256;
  int nulls = 0;
  for (int i = 0; i < kMaxCallsPerPoll && nulls < 2; ++i) {
    mblk_t* m = rtp_session_recvm_with_ts(d.session, d.receive_ts);
    if (!m) {
      ++nulls;
      continue;
    }
    nulls = 0;
    if (rtp_get_payload_type(m) == d.payload_type) {
      unsigned char* payload = nullptr;
      const int n = rtp_get_payload(m, &payload);
      transport::ReceivedPacket p;
      p.payload = std::span<const std::uint8_t>(payload, n > 0 ? static_cast<std::size_t>(n) : 0);
      p.rtp_timestamp = rtp_get_timestamp(m);
      p.sequence = rtp_get_seqnumber(m);
      p.payload_type = static_cast<std::uint8_t>(rtp_get_payload_type(m));
      p.marker = rtp_get_markbit(m) != 0;
      p.ssrc = rtp_get_ssrc(m);
      p.arrival_us = d.now_us;
      sink.on_packet(p);
    } else if (rtp_get_payload_type(m) != d.telephone_event_pt) {
      ++d.own.wrong_payload_type_dropped;
    }
    freemsg(m);
  }
  for (std::size_t i = 0; i < d.dtmf_count; ++i) sink.on_dtmf(d.dtmf_pending[i]);
  d.dtmf_count = 0;
  DtmfEvent timed_out;
  if (d.dtmf_receiver.poll_timeout(d.now_us, timed_out)) sink.on_dtmf(timed_out);
}

void OrtpTransport::send(const transport::OutgoingFrame& frame) noexcept {
  Impl& d = *impl_;
  transport::TelephoneEventPacket event;
  const bool event_now = d.telephone_event_pt >= 0 && d.dtmf_sender.on_interval(d.timestamp, frame.samples, event);
  const std::uint32_t ts = d.timestamp;
  d.timestamp += frame.samples;
  if (event_now) {
    mblk_t* m = rtp_session_create_packet(d.session, RTP_FIXED_HEADER_SIZE, event.payload.data(), event.payload.size());
    // The header's 7-bit field, written directly (oRTP's macro trips -Wconversion).
    reinterpret_cast<rtp_header_t*>(m->b_rptr)->paytype = static_cast<std::uint16_t>(d.telephone_event_pt) & 0x7fu;
    rtp_set_markbit(m, event.marker ? 1 : 0);
    if (event.marker) ++d.own.dtmf_digits_sent;
    if (rtp_session_sendm_with_ts(d.session, m, event.timestamp) < 0) ++d.own.send_errors;
    return;
  }
  if (frame.payload.empty()) return;
  mblk_t* m = rtp_session_create_packet(d.session, RTP_FIXED_HEADER_SIZE, frame.payload.data(), frame.payload.size());
  rtp_set_markbit(m, frame.marker ? 1 : 0);
  if (rtp_session_sendm_with_ts(d.session, m, ts) < 0) ++d.own.send_errors;
}

void OrtpTransport::send_dtmf(const transport::DtmfEvent& event) noexcept {
  if (impl_->telephone_event_pt < 0) return;
  if (event.end) impl_->dtmf_sender.stop(event.digit);
  else (void)impl_->dtmf_sender.start(event.digit, event.duration_ms);
}

}  // namespace libconf::rtp
