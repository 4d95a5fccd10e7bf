#include "libconf/transport/telephone_event.hpp"

#include <algorithm>

#include "libconf/transport/byte_order.hpp"

namespace libconf::transport {

Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() < kTelephoneEventBytes) return errc::malformed_packet;
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.volume = payload[1] & 0x3f;
  e.duration = detail::load_be16(payload.data() + 2);
  return e;
}

Result<std::size_t> write_telephone_event(const TelephoneEvent& e, std::span<std::uint8_t> out) noexcept {
  if (e.volume > 63) return errc::invalid_argument;
  if (out.size() < kTelephoneEventBytes) return errc::buffer_too_small;
  out[0] = e.event;
  out[1] = static_cast<std::uint8_t>((e.end ? 0x80 : 0) | e.volume);
  detail::store_be16(out.data() + 2, e.duration);
  return kTelephoneEventBytes;
}

int dtmf_event_code(char digit) noexcept {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit == '*') return 10;
  if (digit == '#') return 11;
  if (digit >= 'A' && digit <= 'D') return 12 + (digit - 'A');
  if (digit >= 'a' && digit <= 'd') return 12 + (digit - 'a');
  return -1;
}

char dtmf_digit(int code) noexcept {
  static constexpr char kDigits[] = "0123456789*#ABCD";
  return code >= 0 && code < 16 ? kDigits[code] : '\0';
}

std::size_t TelephoneEventReceiver::on_packet(const TelephoneEvent& event, std::uint32_t ts, std::int64_t arrival_us,
                                              std::span<DtmfEvent, 3> out) noexcept {
  const char digit = dtmf_digit(event.event);
  if (digit == '\0') return 0;
  std::size_t n = 0;
  if (!have_event_ || ts != timestamp_) {
    // A packet of an event older than the current one arrived late: ignore.
    if (have_event_ && static_cast<std::int32_t>(ts - timestamp_) < 0) return 0;
    if (have_event_ && !ended_) out[n++] = DtmfEvent{digit_, true, to_ms(duration_), started_us_};
    have_event_ = true;
    ended_ = false;
    timestamp_ = ts;
    digit_ = digit;
    duration_ = event.duration;
    started_us_ = arrival_us;
    last_packet_us_ = arrival_us;
    out[n++] = DtmfEvent{digit_, false, to_ms(duration_), started_us_};
    if (event.end) {
      ended_ = true;
      out[n++] = DtmfEvent{digit_, true, to_ms(duration_), started_us_};
    }
    return n;
  }
  last_packet_us_ = arrival_us;
  if (ended_) return 0;  // retransmitted end packets
  duration_ = std::max<std::uint32_t>(duration_, event.duration);
  if (event.end) {
    ended_ = true;
    out[n++] = DtmfEvent{digit_, true, to_ms(duration_), started_us_};
  }
  return n;
}

bool TelephoneEventReceiver::poll_timeout(std::int64_t now_us, DtmfEvent& out) noexcept {
  if (!have_event_ || ended_ || now_us - last_packet_us_ < kEventTimeoutUs) return false;
  ended_ = true;
  out = DtmfEvent{digit_, true, to_ms(duration_), started_us_};
  return true;
}

bool TelephoneEventSender::start(char digit, std::uint32_t duration_ms) noexcept {
  const int code = dtmf_event_code(digit);
  if (code < 0 || count_ == kQueueCapacity) return false;
  const auto samples = static_cast<std::uint32_t>(std::uint64_t{duration_ms} * static_cast<std::uint32_t>(clock_rate_hz_) / 1000u);
  queue_[(head_ + count_) % kQueueCapacity] = Queued{static_cast<std::uint8_t>(code), duration_ms == 0 ? 0u : std::max(samples, 1u)};
  ++count_;
  return true;
}

void TelephoneEventSender::stop(char digit) noexcept {
  const int code = dtmf_event_code(digit);
  if (code < 0) return;
  if (state_ == State::playing && current_.code == code && current_.duration_samples == 0) {
    stop_requested_ = true;
    return;
  }
  // Stopped before it began: it still plays, for the default length.
  for (std::size_t i = count_; i-- > 0;) {
    Queued& q = queue_[(head_ + i) % kQueueCapacity];
    if (q.code == code && q.duration_samples == 0) {
      q.duration_samples = kDefaultDurationMs * static_cast<std::uint32_t>(clock_rate_hz_) / 1000u;
      return;
    }
  }
}

void TelephoneEventSender::fill(TelephoneEventPacket& out, bool end) const noexcept {
  TelephoneEvent e;
  e.event = current_.code;
  e.end = end;
  e.volume = volume_;
  e.duration = static_cast<std::uint16_t>(elapsed_);
  (void)write_telephone_event(e, out.payload);
  out.timestamp = start_timestamp_;
  out.marker = first_packet_;
  out.end = end;
}

bool TelephoneEventSender::on_interval(std::uint32_t now_ts, std::uint32_t interval_samples,
                                       TelephoneEventPacket& out) noexcept {
  if (state_ == State::idle) {
    if (count_ == 0) return false;
    current_ = queue_[head_];
    head_ = (head_ + 1) % kQueueCapacity;
    --count_;
    state_ = State::playing;
    start_timestamp_ = now_ts;
    elapsed_ = 0;
    first_packet_ = true;
    stop_requested_ = false;
  }
  if (state_ == State::playing) {
    // RFC 4733 2.5.2.3: the duration field is 16 bits; a digit is capped at
    // 0xffff units (8.2 s at 8 kHz, 1.37 s at 48 kHz) rather than segmented.
    elapsed_ = std::min<std::uint32_t>(elapsed_ + interval_samples, 0xffff);
    const bool done = stop_requested_ || elapsed_ == 0xffff ||
                      (current_.duration_samples != 0 && elapsed_ >= current_.duration_samples);
    if (!done) {
      fill(out, false);
      first_packet_ = false;
      return true;
    }
    state_ = State::ending;
    ends_left_ = kEndPackets;
  }
  fill(out, true);
  first_packet_ = false;
  if (--ends_left_ == 0) state_ = State::idle;
  return true;
}

}  // namespace libconf::transport
