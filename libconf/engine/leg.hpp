#pragma once
// One leg's media pipeline (private to the engine). Owned by exactly one
// worker at a time; every method below runs on that worker and is real-time
// safe. Built on the caller's thread by Engine::add_leg (all allocation there).

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/codec/codec.hpp"
#include "libconf/dsp/agc.hpp"
#include "libconf/dsp/dtmf_guard.hpp"
#include "libconf/dsp/talker_detector.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/engine/leg_stats.hpp"
#include "libconf/jitter/jitter_buffer.hpp"

namespace libconf::engine::detail {

/// Seqlock-published statistics: one writer (the worker), any readers.
struct StatsCell {
  std::atomic<std::uint32_t> sequence{0};
  LegStats data;

  void publish(const LegStats& s) noexcept {
    sequence.fetch_add(1, std::memory_order_acq_rel);
    std::atomic_thread_fence(std::memory_order_release);
    data = s;
    std::atomic_thread_fence(std::memory_order_release);
    sequence.fetch_add(1, std::memory_order_acq_rel);
  }
  LegStats read() const noexcept {
    for (;;) {
      const std::uint32_t before = sequence.load(std::memory_order_acquire);
      if (before & 1u) continue;
      std::atomic_thread_fence(std::memory_order_acquire);
      LegStats copy = data;
      std::atomic_thread_fence(std::memory_order_acquire);
      if (sequence.load(std::memory_order_acquire) == before) return copy;
    }
  }
};

/// Codec settings that decide whether two legs can share an encoded packet.
struct CodecKey {
  std::string name;
  codec::CodecParams params;
  bool operator==(const CodecKey& o) const noexcept;
};

/// Resamplers that depend on the room's rate (rebuilt off-thread on a move).
struct RoomRateParts {
  audio::Resampler to_room;    // codec rate -> room rate
  audio::Resampler from_room;  // room rate -> codec rate
};

class EventSink {
 public:
  virtual void emit(const Event& event) noexcept = 0;

 protected:
  ~EventSink() = default;
};

class Leg final : public transport::PacketSink {
 public:
  Leg(LegId id, LegConfig config, std::unique_ptr<codec::Codec> decoder, std::unique_ptr<codec::Codec> encoder,
      RoomRateParts parts, int room_rate_hz, int ptime_ms, std::shared_ptr<StatsCell> stats);

  LegId id() const noexcept { return id_; }
  const CodecKey& codec_key() const noexcept { return key_; }
  const mix::LegMixState& mix_state() const noexcept { return mix_; }
  void set_mix_state(const mix::LegMixState& s) noexcept { mix_ = s; }
  bool talking() const noexcept { return talking_; }
  /// Smoothed speech level (ranks talkers for top-N).
  float level_dbfs() const noexcept { return stats_.level_dbfs; }

  /// Receive side of one tick: poll, jitter, decode, guard, AGC, talker
  /// detection, resample into room_frame. Emits DTMF and talker events.
  void receive(std::int64_t now_us, RoomId room, std::span<std::int16_t> room_frame, EventSink& events) noexcept;
  /// Ends talking (mute, leave, move): emits talking_stopped if it was talking.
  void stop_talking(std::int64_t now_us, RoomId room, EventSink& events) noexcept;
  /// Send side for a unique mix: resample, encode with the leg's own encoder, send.
  void send_unique(std::span<const std::int16_t> room_mix) noexcept;
  /// Send side for a shared packet.
  void send_shared(std::span<const std::uint8_t> payload) noexcept;
  void publish_stats(std::uint32_t output_group) noexcept;
  void swap_room_parts(RoomRateParts& parts) noexcept { std::swap(parts_, parts); }

  // transport::PacketSink
  void on_packet(const transport::ReceivedPacket& packet) noexcept override;
  void on_dtmf(const transport::DtmfEvent& event) noexcept override;

 private:
  void emit_pending_dtmf(std::int64_t now_us, RoomId room, EventSink& events) noexcept;

  LegId id_;
  std::string name_;
  CodecKey key_;
  std::unique_ptr<transport::MediaTransport> transport_;
  std::unique_ptr<codec::Codec> decoder_;
  std::unique_ptr<codec::Codec> encoder_;
  RoomRateParts parts_;
  jitter::JitterBuffer jitter_;
  dsp::Agc agc_;
  dsp::TalkerDetector talker_;
  std::optional<dsp::DtmfGuard> guard_;
  LegProcessing processing_;
  mix::LegMixState mix_;
  int codec_rate_hz_;
  std::size_t codec_frame_;
  std::uint32_t rtp_frame_;
  bool talking_ = false;
  bool marker_next_ = true;
  std::array<std::int16_t, audio::kMaxFrameSamples> decoded_{};
  std::array<std::int16_t, audio::kMaxFrameSamples> guarded_{};
  std::array<std::int16_t, audio::kMaxFrameSamples> out_pcm_{};
  std::array<std::uint8_t, codec::kMaxEncodedFrameBytes> encoded_{};
  // RFC 4733 digits arriving in poll(), emitted after it.
  std::array<transport::DtmfEvent, 8> pending_dtmf_{};
  std::size_t pending_dtmf_count_ = 0;
  LegStats stats_;
  std::shared_ptr<StatsCell> stats_cell_;
};

}  // namespace libconf::engine::detail
