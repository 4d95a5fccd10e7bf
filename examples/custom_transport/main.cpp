// custom_transport: how to plug your own media path into libconf.
//
// PipeTransport is a MediaTransport written by a user: two ends connected by
// fixed-size in-process rings (one producer, one consumer per direction).
// It follows the contract of libconf/transport/media_transport.hpp:
//   - poll(sink, now_us) delivers everything received since the last call,
//     stamped with now_us: the engine's clock, the one its jitter buffers
//     play out against (a transport keeps no clock of its own);
//   - send() stamps sequence number and timestamp itself;
//   - no allocation, no lock and no blocking after construction.
// main() gives one end of each pipe to an engine leg and plays the phone on
// the other end: Alice speaks a tone and types a digit (RFC 4733), Bob
// listens. It checks what Bob heard and the digit the engine reported, and
// exits non-zero if anything is missing, so it doubles as a smoke test.
#include <libconf/audio/level.hpp>
#include <libconf/codec/registry.hpp>
#include <libconf/engine/engine.hpp>
#include <libconf/transport/media_transport.hpp>

#include <array>
#include <atomic>
#include <cmath>
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

  void poll(PacketSink& sink, std::int64_t now_us) noexcept override {
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
        p.arrival_us = now_us;
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
  std::uint64_t dropped_ = 0;
};

// The phone at the far end of a pipe: encodes what it says, decodes what it hears.
class Phone final : public PacketSink {
 public:
  Phone() {
    auto codecs = libconf::codec::CodecRegistry::with_builtin_codecs();
    encoder_ = codecs.create("PCMU", {}).value();
    decoder_ = codecs.create("PCMU", {}).value();
  }
  void on_packet(const ReceivedPacket& p) noexcept override {
    std::array<std::int16_t, 160> pcm{};
    if (auto n = decoder_->decode(p.payload, pcm); n) heard.insert(heard.end(), pcm.begin(), pcm.begin() + *n);
  }
  void on_dtmf(const DtmfEvent&) noexcept override {}
  // One 20 ms frame of a 440 Hz tone at -20 dBFS (or silence).
  void say(MediaTransport& pipe, int tick, bool tone) {
    std::array<std::int16_t, 160> pcm{};
    for (std::size_t i = 0; tone && i < pcm.size(); ++i)
      pcm[i] = static_cast<std::int16_t>(3277 * std::sqrt(2.0) *
                                         std::sin(2 * M_PI * 440 * static_cast<double>(tick * 160 + i) / 8000));
    std::array<std::uint8_t, 160> bytes{};
    const auto n = encoder_->encode(pcm, bytes).value();
    pipe.send({std::span<const std::uint8_t>(bytes.data(), n), 160, tick == 0});
  }
  std::vector<std::int16_t> heard;

 private:
  std::unique_ptr<libconf::codec::Codec> encoder_, decoder_;
};

}  // namespace

int main() {
  using namespace libconf;
  // The engine on its default virtual clock: tick() advances it one ptime.
  engine::Engine eng;
  engine::RoomConfig rc;
  rc.name = "pipes";
  rc.sample_rate_hz = 8000;
  const engine::RoomId room = eng.create_room(rc).value();

  // One ring pair per call: the engine's leg owns one end, the phone the other.
  FrameRing alice_up, alice_down, bob_up, bob_down;
  PipeTransport alice_phone(alice_up, alice_down, 0, 0xa11ce), bob_phone(bob_up, bob_down, 0, 0xb0b);
  Phone alice, bob;
  engine::LegId alice_leg = engine::kNoLeg;
  for (auto [up, down, name] : {std::tuple{&alice_up, &alice_down, "alice"}, std::tuple{&bob_up, &bob_down, "bob"}}) {
    engine::LegConfig lc;
    lc.name = name;
    lc.codec = "PCMU";
    lc.processing.talker_detection = false;  // a steady tone is not speech: mix it whenever unmuted
    lc.processing.agc = false;
    lc.transport = std::make_unique<PipeTransport>(*down, *up, 0, 0x1000);
    const engine::LegId leg = eng.add_leg(room, std::move(lc)).value();
    if (alice_leg == engine::kNoLeg) alice_leg = leg;
  }

  constexpr int kTicks = 100;  // two seconds of media
  std::string digits;
  std::array<engine::Event, 64> events;
  for (int tick = 0; tick < kTicks; ++tick) {
    // The phones run on the engine's clock too.
    const std::int64_t now = eng.clock().now_us();
    alice.say(alice_phone, tick, true);
    bob.say(bob_phone, tick, false);
    if (tick == 10) alice_phone.send_dtmf({'5', false, 0, now});
    if (tick == 15) alice_phone.send_dtmf({'5', true, 100, now});
    eng.tick().value();
    alice_phone.poll(alice, now);
    bob_phone.poll(bob, now);
    for (std::size_t n; (n = eng.poll_events(events)) > 0;)
      for (std::size_t i = 0; i < n; ++i)
        if (events[i].kind == engine::EventKind::dtmf_ended && events[i].leg == alice_leg) digits += events[i].digit;
  }
  const std::size_t second = 8000;
  const double bob_level = bob.heard.size() > second
                               ? audio::rms_dbfs(std::span<const std::int16_t>(bob.heard).subspan(second / 2))
                               : -120.0;
  const double alice_level = alice.heard.empty() ? -120.0 : audio::rms_dbfs(alice.heard);
  std::printf("bob heard %zu samples at %.1f dBFS; alice heard herself at %.1f dBFS; digits from alice: '%s'\n",
              bob.heard.size(), bob_level, alice_level, digits.c_str());
  const bool ok = std::fabs(bob_level - -20.0) < 1.5 && alice_level < -50.0 && digits == "5" &&
                  alice_phone.dropped() == 0 && bob_phone.dropped() == 0;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
