#pragma once
/// @file
/// FileTransport: a MediaTransport that plays a participant's phone from
/// memory. poll() encodes the next frame of the participant's input with its
/// own encoder (as the phone would) and delivers it; send() decodes what the
/// bridge sent with its own decoder (as the phone would) and records it at
/// the current time. So what a participant "heard" has been through its codec
/// twice, like on a real call. Real-time safe after construction: input and
/// recording buffers are sized up front. Time is the engine's: the now_us of
/// each poll() (send() records at the time of the tick's poll).

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "libconf/codec/codec.hpp"
#include "libconf/transport/media_transport.hpp"

namespace libconf::scenario {

class FileTransport final : public transport::MediaTransport {
 public:
  /// input: the participant's voice at the codec's PCM rate, starting at
  /// start_us on the engine clock; heard: recording buffer covering
  /// [record_start_us, record_start_us + heard.size() samples). The transport
  /// keeps spans only: the caller owns input and heard and keeps them alive.
  FileTransport(std::unique_ptr<codec::Codec> encoder,
                std::unique_ptr<codec::Codec> decoder, std::span<const std::int16_t> input, std::int64_t start_us,
                std::span<std::int16_t> heard, std::int64_t record_start_us, int ptime_ms);

  void poll(transport::PacketSink& sink, std::int64_t now_us) noexcept override;
  void send(const transport::OutgoingFrame& frame) noexcept override;

  /// What the phone counted. Shared, so a host can read it on any thread
  /// and after the engine destroyed the transport (a refused or removed leg):
  /// keep counters(), never a pointer to the transport.
  struct Counters {
    std::atomic<std::uint64_t> packets_sent{0};      ///< by the phone (poll)
    std::atomic<std::uint64_t> packets_received{0};  ///< by the phone (send)
  };
  std::shared_ptr<const Counters> counters() const noexcept { return counters_; }

 private:
  std::unique_ptr<codec::Codec> encoder_;
  std::unique_ptr<codec::Codec> decoder_;
  std::span<const std::int16_t> input_;
  std::int64_t start_us_;
  std::span<std::int16_t> heard_;
  std::int64_t record_start_us_;
  std::size_t frame_;
  std::uint32_t rtp_frame_;
  std::size_t next_frame_ = 0;
  std::int64_t now_us_ = 0;  // of the last poll()
  std::uint16_t sequence_ = 0;
  std::uint32_t rtp_timestamp_ = 0;
  std::vector<std::uint8_t> packet_;
  std::vector<std::int16_t> decoded_;
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
};

}  // namespace libconf::scenario
