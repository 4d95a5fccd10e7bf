#include "libconf/transport/loopback_transport.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/transport/clock.hpp"

namespace libconf::transport {

namespace detail {

// One direction: a bounded SPSC ring of packets and one of DTMF events.
// head_/tail_ are free-running counters; the producer owns tail, the consumer head.
struct LoopbackChannel {
  struct Slot {
    std::uint64_t visible_at_poll = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::uint32_t size = 0;
    std::uint16_t sequence = 0;
    std::uint8_t payload_type = 0;
    bool marker = false;
  };
  struct DtmfSlot {
    std::uint64_t visible_at_poll = 0;
    DtmfEvent event;
  };
  static constexpr std::size_t kDtmfCapacity = 64;

  LoopbackChannel(std::size_t capacity, std::size_t max_payload)
      : slots(capacity), payloads(capacity * max_payload), max_payload_bytes(max_payload) {}

  std::vector<Slot> slots;
  std::vector<std::uint8_t> payloads;
  std::size_t max_payload_bytes;
  std::atomic<std::uint64_t> head{0}, tail{0};
  std::array<DtmfSlot, kDtmfCapacity> dtmf{};
  std::atomic<std::uint64_t> dtmf_head{0}, dtmf_tail{0};
  std::atomic<std::uint64_t> receiver_polls{0};  ///< polls made by the consuming end
};

}  // namespace detail

namespace {
void check(const LoopbackConfig& c, const char* which) {
  const std::string w = which;
  if (c.payload_type < 0 || c.payload_type > 127)
    throw Error(errc::invalid_argument, w + ".payload_type " + std::to_string(c.payload_type) + " is not in 0..127");
  if (c.queue_capacity < 1 || c.queue_capacity > 65536)
    throw Error(errc::invalid_argument, w + ".queue_capacity " + std::to_string(c.queue_capacity) + " is not in 1..65536");
  if (c.max_payload_bytes < 1 || c.max_payload_bytes > 65536)
    throw Error(errc::invalid_argument, w + ".max_payload_bytes " + std::to_string(c.max_payload_bytes) + " is not in 1..65536");
  const auto& i = c.impairments;
  if (!(i.loss_fraction >= 0.0 && i.loss_fraction <= 1.0))
    throw Error(errc::invalid_argument, w + ".impairments.loss_fraction " + std::to_string(i.loss_fraction) + " is not in 0..1");
  if (!(i.reorder_fraction >= 0.0 && i.reorder_fraction <= 1.0))
    throw Error(errc::invalid_argument, w + ".impairments.reorder_fraction " + std::to_string(i.reorder_fraction) + " is not in 0..1");
}
}  // namespace

std::pair<std::unique_ptr<LoopbackTransport>, std::unique_ptr<LoopbackTransport>> make_loopback_pair(
    const LoopbackConfig& a, const LoopbackConfig& b) {
  check(a, "first");
  check(b, "second");
  auto a_to_b = std::make_shared<detail::LoopbackChannel>(a.queue_capacity, a.max_payload_bytes);
  auto b_to_a = std::make_shared<detail::LoopbackChannel>(b.queue_capacity, b.max_payload_bytes);
  std::unique_ptr<LoopbackTransport> first(new LoopbackTransport(a, a_to_b, b_to_a, a.ssrc ? a.ssrc : 0x4c430001u));
  std::unique_ptr<LoopbackTransport> second(new LoopbackTransport(b, b_to_a, a_to_b, b.ssrc ? b.ssrc : 0x4c430002u));
  return {std::move(first), std::move(second)};
}

LoopbackTransport::LoopbackTransport(const LoopbackConfig& c, std::shared_ptr<detail::LoopbackChannel> out,
                                     std::shared_ptr<detail::LoopbackChannel> in, std::uint32_t ssrc)
    : out_(std::move(out)),
      in_(std::move(in)),
      impairments_(c.impairments),
      payload_type_(static_cast<std::uint8_t>(c.payload_type)),
      ssrc_(ssrc),
      random_state_(c.impairments.seed),
      held_payload_(new std::uint8_t[c.max_payload_bytes]) {}

LoopbackTransport::~LoopbackTransport() = default;

void LoopbackTransport::set_impairments(const LoopbackImpairments& i) noexcept {
  impairments_ = i;
  random_state_ = i.seed;
}

LoopbackStats LoopbackTransport::stats() const noexcept { return stats_; }

bool LoopbackTransport::chance(double p) noexcept {
  if (p <= 0.0) return false;
  const double u = static_cast<double>(detail::next_random(random_state_) >> 11) * 0x1.0p-53;
  return u < p;
}

void LoopbackTransport::push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                             std::span<const std::uint8_t> payload) noexcept {
  detail::LoopbackChannel& ch = *out_;
  const std::uint64_t tail = ch.tail.load(std::memory_order_relaxed);
  if (tail - ch.head.load(std::memory_order_acquire) >= ch.slots.size()) {
    ++stats_.queue_full_dropped;
    return;
  }
  const std::size_t index = tail % ch.slots.size();
  auto& s = ch.slots[index];
  s.visible_at_poll = ch.receiver_polls.load(std::memory_order_acquire) + impairments_.delay_polls;
  s.timestamp = timestamp;
  s.sequence = sequence;
  s.marker = marker;
  s.ssrc = ssrc_;
  s.payload_type = payload_type_;
  s.size = static_cast<std::uint32_t>(payload.size());
  std::memcpy(ch.payloads.data() + index * ch.max_payload_bytes, payload.data(), payload.size());
  ch.tail.store(tail + 1, std::memory_order_release);
}

void LoopbackTransport::send(const OutgoingFrame& frame) noexcept {
  const std::uint32_t timestamp = timestamp_;
  timestamp_ += frame.samples;
  if (frame.payload.empty()) return;
  if (frame.payload.size() > out_->max_payload_bytes) {
    ++stats_.oversized_dropped;
    return;
  }
  const std::uint16_t sequence = sequence_++;
  ++stats_.packets_sent;
  if (chance(impairments_.loss_fraction)) {
    ++stats_.packets_lost;
    return;
  }
  if (!has_held_ && chance(impairments_.reorder_fraction)) {
    has_held_ = true;
    held_sequence_ = sequence;
    held_timestamp_ = timestamp;
    held_marker_ = frame.marker;
    held_size_ = frame.payload.size();
    std::memcpy(held_payload_.get(), frame.payload.data(), frame.payload.size());
    ++stats_.packets_reordered;
    return;
  }
  push(sequence, timestamp, frame.marker, frame.payload);
  if (has_held_) {
    has_held_ = false;
    push(held_sequence_, held_timestamp_, held_marker_, std::span<const std::uint8_t>(held_payload_.get(), held_size_));
  }
}

void LoopbackTransport::send_dtmf(const DtmfEvent& event) noexcept {
  detail::LoopbackChannel& ch = *out_;
  const std::uint64_t tail = ch.dtmf_tail.load(std::memory_order_relaxed);
  if (tail - ch.dtmf_head.load(std::memory_order_acquire) >= ch.dtmf.size()) {
    ++stats_.queue_full_dropped;
    return;
  }
  auto& s = ch.dtmf[tail % ch.dtmf.size()];
  s.visible_at_poll = ch.receiver_polls.load(std::memory_order_acquire) + impairments_.delay_polls;
  s.event = event;
  ch.dtmf_tail.store(tail + 1, std::memory_order_release);
  ++stats_.dtmf_sent;
}

void LoopbackTransport::poll(PacketSink& sink, std::int64_t now) noexcept {
  detail::LoopbackChannel& ch = *in_;
  const std::uint64_t poll_index = ch.receiver_polls.load(std::memory_order_relaxed);
  std::uint64_t head = ch.head.load(std::memory_order_relaxed);
  const std::uint64_t tail = ch.tail.load(std::memory_order_acquire);
  while (head != tail) {
    const std::size_t index = head % ch.slots.size();
    const auto& s = ch.slots[index];
    if (s.visible_at_poll > poll_index) break;
    ReceivedPacket p;
    p.payload = std::span<const std::uint8_t>(ch.payloads.data() + index * ch.max_payload_bytes, s.size);
    p.rtp_timestamp = s.timestamp;
    p.sequence = s.sequence;
    p.payload_type = s.payload_type;
    p.marker = s.marker;
    p.ssrc = s.ssrc;
    p.arrival_us = now;
    sink.on_packet(p);
    ++stats_.packets_received;
    ++head;
    ch.head.store(head, std::memory_order_release);
  }
  std::uint64_t dhead = ch.dtmf_head.load(std::memory_order_relaxed);
  const std::uint64_t dtail = ch.dtmf_tail.load(std::memory_order_acquire);
  while (dhead != dtail) {
    const auto& s = ch.dtmf[dhead % ch.dtmf.size()];
    if (s.visible_at_poll > poll_index) break;
    sink.on_dtmf(s.event);
    ++stats_.dtmf_received;
    ++dhead;
    ch.dtmf_head.store(dhead, std::memory_order_release);
  }
  ch.receiver_polls.store(poll_index + 1, std::memory_order_release);
}

}  // namespace libconf::transport
