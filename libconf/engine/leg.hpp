#pragma once
// One leg's media pipeline (private to the engine). Owned by exactly one
// worker at a time; every method below runs on that worker and is real-time
// safe. Built on the caller's thread by Engine::add_leg (all allocation there);
// what update_leg changes is built there too (LegChange) and swapped in at the
// tick boundary.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libconf/audio/format.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/audio/thread_checker.hpp"
#include "libconf/codec/codec.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/dsp/agc.hpp"
#include "libconf/dsp/dtmf_guard.hpp"
#include "libconf/dsp/talker_detector.hpp"
#include "libconf/engine/detail/stats_cell.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/engine/leg_stats.hpp"
#include "libconf/jitter/jitter_buffer.hpp"

namespace libconf::engine::detail {

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

/// Everything of a leg that depends on its codec: rebuilt off-thread when
/// update_leg changes the codec.
struct LegMedia {
  CodecKey key;
  std::unique_ptr<codec::Codec> decoder;
  std::unique_ptr<codec::Codec> encoder;
  jitter::JitterBuffer jitter;
  dsp::Agc agc;
  dsp::TalkerDetector talker;
  std::optional<dsp::DtmfGuard> guard;
  int codec_rate_hz;
  std::size_t codec_frame;  // PCM samples per tick at codec_rate_hz
  std::uint32_t rtp_frame;  // RTP timestamp units per tick
};

/// What the leg's media needs beyond the codec key.
struct LegMediaSettings {
  LegProcessing processing;
  int jitter_min_delay_ms = 20;
  int jitter_max_delay_ms = 300;
  int ptime_ms = 20;
};

/// Builds a leg's codec-dependent parts (allocates; host thread). Errors:
/// unknown_codec, unsupported_sample_rate, invalid_argument; why (optional)
/// names the bad value.
Result<std::unique_ptr<LegMedia>> build_leg_media(const codec::CodecRegistry& codecs, const CodecKey& key,
                                                  const LegMediaSettings& settings, std::string* why = nullptr);

/// An update_leg() made ready on the host thread. After Leg::apply() it
/// holds the parts it replaced (destroyed back on the host thread).
struct LegChange {
  std::unique_ptr<LegMedia> media;                 // new codec (or null)
  std::unique_ptr<RoomRateParts> rate_parts;       // with media
  std::unique_ptr<transport::PreparedTransportUpdate> transport;  // or null
  std::optional<MediaDirection> direction;
};

class EventSink {
 public:
  virtual void emit(const Event& event) noexcept = 0;

 protected:
  ~EventSink() = default;
};

class Leg final : public transport::PacketSink {
 public:
  Leg(LegId id, std::unique_ptr<transport::MediaTransport> transport, std::unique_ptr<LegMedia> media,
      RoomRateParts parts, const LegConfig& config, std::shared_ptr<StatsCell> stats);

  LegId id() const noexcept { return id_; }
  const CodecKey& codec_key() const noexcept { return media_->key; }
  const mix::LegMixState& mix_state() const noexcept { return mix_; }
  void set_mix_state(const mix::LegMixState& s) noexcept { mix_ = s; }
  MediaDirection direction() const noexcept { return direction_; }
  /// Its audio is taken into the room (sendrecv; SDP direction of the bridge).
  bool receives() const noexcept { return direction_ == MediaDirection::sendrecv; }
  /// The room's audio is sent to it (sendrecv, sendonly).
  bool sends() const noexcept { return direction_ == MediaDirection::sendrecv || direction_ == MediaDirection::sendonly; }
  bool talking() const noexcept { return talking_; }
  /// Smoothed speech level (ranks talkers for top-N).
  float level_dbfs() const noexcept { return stats_.level_dbfs; }

  /// Receive side of one tick: poll, jitter, decode, guard, AGC, talker
  /// detection, resample into room_frame. Emits DTMF and talker events. A leg
  /// that does not receive drains its transport and contributes silence.
  void receive(std::int64_t now_us, RoomId room, std::span<std::int16_t> room_frame, EventSink& events) noexcept;
  /// Ends talking (mute, leave, move, hold): emits talking_stopped if it was talking.
  void stop_talking(std::int64_t now_us, RoomId room, EventSink& events) noexcept;
  /// Send side for a unique mix: resample, encode with the leg's own encoder, send.
  void send_unique(std::span<const std::int16_t> room_mix) noexcept;
  /// Send side for a shared packet.
  void send_shared(std::span<const std::uint8_t> payload) noexcept;
  /// A tick without audio for the peer (not sending): the RTP clock advances.
  void send_nothing() noexcept;
  void publish_stats(std::uint32_t output_group) noexcept;
  void swap_room_parts(RoomRateParts& parts) noexcept { std::swap(parts_, parts); }
  /// Swaps in what change holds (codec parts, transport update, direction);
  /// change keeps the old parts. Talking ends when the codec or direction changes.
  void apply(LegChange& change, std::int64_t now_us, RoomId room, EventSink& events) noexcept;
  /// The leg is handed to another worker: the next owner check binds there.
  void hand_over() noexcept { owner_.detach(); }

  // transport::PacketSink
  void on_packet(const transport::ReceivedPacket& packet) noexcept override;
  void on_dtmf(const transport::DtmfEvent& event) noexcept override;

 private:
  void emit_pending_dtmf(std::int64_t now_us, RoomId room, EventSink& events) noexcept;
  void decode(std::int64_t now_us, std::span<std::int16_t> pcm) noexcept;

  LegId id_;
  std::unique_ptr<transport::MediaTransport> transport_;
  std::unique_ptr<LegMedia> media_;
  RoomRateParts parts_;
  LegProcessing processing_;
  mix::LegMixState mix_;
  MediaDirection direction_;
  bool talking_ = false;
  bool marker_next_ = true;
  std::array<std::int16_t, audio::kMaxFrameSamples> decoded_{};
  std::array<std::int16_t, audio::kMaxFrameSamples> guarded_{};
  std::array<std::int16_t, audio::kMaxFrameSamples> out_pcm_{};
  std::array<std::uint8_t, codec::kMaxEncodedFrameBytes> encoded_{};
  // RFC 4733 digits arriving in poll(), emitted after it.
  std::array<transport::DtmfEvent, 8> pending_dtmf_{};
  std::size_t pending_dtmf_count_ = 0;
  // Jitter counters of the codec parts replaced by update_leg (stats stay cumulative).
  std::uint64_t jitter_late_before_ = 0;
  std::uint64_t jitter_lost_before_ = 0;
  LegStats stats_;
  std::shared_ptr<StatsCell> stats_cell_;
  [[no_unique_address]] audio::detail::OwnerChecker owner_;
};

}  // namespace libconf::engine::detail
