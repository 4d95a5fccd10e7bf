#include "libconf/scenario/file_transport.hpp"

#include <algorithm>

#include "libconf/audio/format.hpp"

namespace libconf::scenario {

FileTransport::FileTransport(std::unique_ptr<codec::Codec> encoder,
                             std::unique_ptr<codec::Codec> decoder, std::span<const std::int16_t> input,
                             std::int64_t start_us, std::span<std::int16_t> heard, std::int64_t record_start_us,
                             int ptime_ms)
    : encoder_(std::move(encoder)),
      decoder_(std::move(decoder)),
      input_(input),
      start_us_(start_us),
      heard_(heard),
      record_start_us_(record_start_us),
      frame_(audio::samples_per_frame(encoder_->sample_rate_hz(), ptime_ms)),
      rtp_frame_(static_cast<std::uint32_t>(encoder_->rtp_clock_rate_hz() / 1000 * ptime_ms)),
      packet_(codec::kMaxEncodedFrameBytes),
      decoded_(frame_) {}

void FileTransport::poll(transport::PacketSink& sink, std::int64_t now) noexcept {
  now_us_ = now;
  if (now < start_us_) return;
  // Deliver every frame due by now (one per tick when the clocks agree).
  const std::int64_t frame_us = static_cast<std::int64_t>(frame_) * 1000000 / encoder_->sample_rate_hz();
  const auto due = static_cast<std::size_t>((now - start_us_) / frame_us + 1);
  while (next_frame_ < due) {
    std::array<std::int16_t, audio::kMaxFrameSamples> pcm{};
    const std::size_t offset = next_frame_ * frame_;
    if (offset < input_.size()) {
      const std::size_t n = std::min(frame_, input_.size() - offset);
      std::copy_n(input_.begin() + static_cast<std::ptrdiff_t>(offset), n, pcm.begin());
    }
    const Result<std::size_t> bytes = encoder_->encode({pcm.data(), frame_}, packet_);
    ++next_frame_;
    const std::uint32_t ts = rtp_timestamp_;
    rtp_timestamp_ += rtp_frame_;
    const std::uint16_t seq = sequence_++;
    if (!bytes || *bytes == 0) continue;  // DTX
    transport::ReceivedPacket p;
    p.payload = {packet_.data(), *bytes};
    p.rtp_timestamp = ts;
    p.sequence = seq;
    p.payload_type = static_cast<std::uint8_t>(std::max(0, encoder_->static_payload_type()));
    p.ssrc = 0x1ceb00da;
    p.arrival_us = now;
    counters_->packets_sent.fetch_add(1, std::memory_order_relaxed);
    sink.on_packet(p);
  }
}

void FileTransport::send(const transport::OutgoingFrame& frame) noexcept {
  counters_->packets_received.fetch_add(1, std::memory_order_relaxed);
  const Result<std::size_t> n = decoder_->decode(frame.payload, decoded_);
  if (!n) return;
  const std::int64_t now = now_us_;
  if (now < record_start_us_) return;
  const auto pos = static_cast<std::size_t>((now - record_start_us_) * decoder_->sample_rate_hz() / 1000000);
  if (pos >= heard_.size()) return;
  const std::size_t count = std::min(*n, heard_.size() - pos);
  std::copy_n(decoded_.begin(), count, heard_.begin() + static_cast<std::ptrdiff_t>(pos));
}

}  // namespace libconf::scenario
