// custom_transport: how to plug your own media path into libconf.
//
// PipeTransport is a MediaTransport written by a user: two ends connected by
// fixed-size in-process rings (one producer, one consumer per direction).
// It follows the contract of libconf/transport/media_transport.hpp:
//   - poll() delivers everything received since the last call, into the sink;
//   - send() stamps sequence number and timestamp itself;
//   - no allocation, no lock and no blocking after construction.
// The main() below drives two ends the way the engine drives a leg: once per
// 20 ms tick, send one frame, then poll. It checks what arrived and exits
// non-zero if anything is missing, so it doubles as a smoke test.
#include <libconf/transport/media_transport.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace {

using libconf::transport::DtmfEvent;
using libconf::transport::MediaTransport;
using libconf::transport::OutgoingFrame;
using libconf::transport::PacketSink;
using libconf::transport::ReceivedPacket;

// One direction of the pipe: a single-producer single-consumer ring of frames.
class FrameRing {
 public:
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kMaxBytes = 1920;  // 20 ms of L16 at 48 kHz

  struct Slot {
    std::array<std::uint8_t, kMaxBytes> bytes{};
    std::size_t size = 0;
    std::uint32_t timestamp = 0;
    std::uint16_t sequence = 0;
    bool marker = false;
    bool is_dtmf = false;
    DtmfEvent dtmf{};
  };

  // Producer side. Returns false when full (the caller counts a drop).
  bool push(const Slot& s) noexcept {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == kSlots) return false;
    slots_[tail % kSlots] = s;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  // Consumer side: nullptr when empty; call pop() after using the slot.
  const Slot* front() const noexcept {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    return head == tail_.load(std::memory_order_acquire) ? nullptr : &slots_[head % kSlots];
  }
  void pop() noexcept { head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

 private:
  std::array<Slot, kSlots> slots_{};
  std::atomic<std::size_t> head_{0}, tail_{0};
};

class PipeTransport final : public MediaTransport {
 public:
  PipeTransport(FrameRing& out, FrameRing& in, std::uint8_t payload_type, std::uint32_t ssrc)
      : out_(out), in_(in), payload_type_(payload_type), ssrc_(ssrc) {}

  void poll(PacketSink& sink) noexcept override {
    ++now_us_;  // a real transport would read its clock here
    while (const FrameRing::Slot* s = in_.front()) {
      if (s->is_dtmf) {
        sink.on_dtmf(s->dtmf);
      } else {
        ReceivedPacket p;
        p.payload = std::span<const std::uint8_t>(s->bytes.data(), s->size);
        p.rtp_timestamp = s->timestamp;
        p.sequence = s->sequence;
        p.payload_type = payload_type_;
        p.marker = s->marker;
        p.ssrc = ssrc_;
        p.arrival_us = now_us_;
        sink.on_packet(p);
      }
      in_.pop();
    }
  }

  void send(const OutgoingFrame& frame) noexcept override {
    const std::uint32_t timestamp = timestamp_;
    timestamp_ += frame.samples;
    if (frame.payload.empty() || frame.payload.size() > FrameRing::kMaxBytes) return;
    scratch_.is_dtmf = false;
    scratch_.size = frame.payload.size();
    std::memcpy(scratch_.bytes.data(), frame.payload.data(), frame.payload.size());
    scratch_.timestamp = timestamp;
    scratch_.sequence = sequence_++;
    scratch_.marker = frame.marker;
    if (!out_.push(scratch_)) ++dropped_;
  }

  void send_dtmf(const DtmfEvent& event) noexcept override {
    scratch_.is_dtmf = true;
    scratch_.dtmf = event;
    if (!out_.push(scratch_)) ++dropped_;
  }

  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  FrameRing& out_;
  FrameRing& in_;
  FrameRing::Slot scratch_{};  // built here, copied into the ring: no allocation per frame
  std::uint8_t payload_type_;
  std::uint32_t ssrc_;
  std::uint32_t timestamp_ = 0;
  std::uint16_t sequence_ = 0;
  std::int64_t now_us_ = 0;
  std::uint64_t dropped_ = 0;
};

// What the engine's leg would be: it receives packets and digits.
class PrintingSink final : public PacketSink {
 public:
  explicit PrintingSink(const char* name) : name_(name) {}
  void on_packet(const ReceivedPacket& p) noexcept override {
    ++packets;
    if (p.sequence != expected_sequence_) ++out_of_order;
    expected_sequence_ = static_cast<std::uint16_t>(p.sequence + 1);
    last_first_byte = p.payload.empty() ? -1 : p.payload[0];
  }
  void on_dtmf(const DtmfEvent& e) noexcept override {
    std::printf("%s: DTMF '%c' %s (%u ms)\n", name_, e.digit, e.end ? "end" : "start", e.duration_ms);
    digits += e.end ? 0 : 1;
  }
  int packets = 0, out_of_order = 0, digits = 0, last_first_byte = -1;

 private:
  const char* name_;
  std::uint16_t expected_sequence_ = 0;
};

}  // namespace

int main() {
  FrameRing a_to_b, b_to_a;
  std::unique_ptr<MediaTransport> alice = std::make_unique<PipeTransport>(a_to_b, b_to_a, 0, 0xa11ce);
  std::unique_ptr<MediaTransport> bob = std::make_unique<PipeTransport>(b_to_a, a_to_b, 0, 0xb0b);
  PrintingSink at_alice("alice"), at_bob("bob");

  std::vector<std::uint8_t> frame(160);  // one 20 ms PCMU frame
  constexpr int kTicks = 50;             // one second of media
  for (int tick = 0; tick < kTicks; ++tick) {
    std::memset(frame.data(), tick, frame.size());
    alice->send({frame, 160, tick == 0});
    bob->send({frame, 160, tick == 0});
    if (tick == 10) alice->send_dtmf({'5', false, 0, 0});
    if (tick == 15) alice->send_dtmf({'5', true, 100, 0});
    alice->poll(at_alice);
    bob->poll(at_bob);
  }
  std::printf("bob received %d packets (%d out of order), last frame byte %d; alice received %d\n", at_bob.packets,
              at_bob.out_of_order, at_bob.last_first_byte, at_alice.packets);
  const bool ok = at_bob.packets == kTicks && at_alice.packets == kTicks && at_bob.out_of_order == 0 &&
                  at_bob.last_first_byte == kTicks - 1 && at_bob.digits == 1;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
