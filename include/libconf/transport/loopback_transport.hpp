#pragma once
/// @file
/// LoopbackTransport: an in-memory pair of transports. What one end sends,
/// the other end's poll() delivers, stamped like RTP (sequence, timestamp,
/// SSRC), with optional programmable loss, reordering and delay. For engine
/// tests and for hosts that connect two legs inside one process.
///
/// Threading: each end is used by one thread at a time; the two ends may live
/// on different threads (each direction is a bounded single-producer
/// single-consumer lock-free queue). poll(), send() and send_dtmf() are
/// noexcept, allocation-free and lock-free (real-time safe).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "libconf/transport/media_transport.hpp"

namespace libconf::transport {

/// Impairments applied to the packets an end sends. Deterministic for a seed.
struct LoopbackImpairments {
  double loss_fraction = 0.0;     ///< 0..1: probability each audio packet is dropped
  double reorder_fraction = 0.0;  ///< 0..1: probability a packet is held back and sent after the next one
  std::uint32_t delay_polls = 0;  ///< a packet becomes visible this many receiver polls after it was sent
  std::uint64_t seed = 1;
};

struct LoopbackConfig {
  int payload_type = 0;               ///< stamped on packets this end sends
  std::uint32_t ssrc = 0;             ///< 0 = a fixed per-end value (0x4c430001 / 0x4c430002)
  std::size_t queue_capacity = 256;   ///< packets in flight per direction
  std::size_t max_payload_bytes = 2048;  ///< larger payloads are counted and dropped
  LoopbackImpairments impairments;    ///< on what this end sends
};

/// What one end counted.
struct LoopbackStats {
  std::uint64_t packets_sent = 0;      ///< send() calls with a payload
  std::uint64_t packets_lost = 0;      ///< dropped by the loss impairment
  std::uint64_t packets_reordered = 0;
  std::uint64_t packets_received = 0;  ///< delivered by poll()
  std::uint64_t queue_full_dropped = 0;
  std::uint64_t oversized_dropped = 0;
  std::uint64_t dtmf_sent = 0;
  std::uint64_t dtmf_received = 0;
};

namespace detail {
struct LoopbackChannel;
}

class LoopbackTransport final : public MediaTransport {
 public:
  ~LoopbackTransport() override;
  /// Delivers what is due, stamped with arrival_us = now_us.
  void poll(PacketSink& sink, std::int64_t now_us) noexcept override;
  void send(const OutgoingFrame& frame) noexcept override;
  /// Delivered to the other end's sink as is, in order, after the same delay as audio.
  void send_dtmf(const DtmfEvent& event) noexcept override;

  /// Changes what this end's sent packets suffer from now on. Same thread as send().
  void set_impairments(const LoopbackImpairments& impairments) noexcept;
  LoopbackStats stats() const noexcept;
  std::uint32_t ssrc() const noexcept { return ssrc_; }

 private:
  friend std::pair<std::unique_ptr<LoopbackTransport>, std::unique_ptr<LoopbackTransport>> make_loopback_pair(
      const LoopbackConfig&, const LoopbackConfig&);
  LoopbackTransport(const LoopbackConfig& config, std::shared_ptr<detail::LoopbackChannel> out,
                    std::shared_ptr<detail::LoopbackChannel> in, std::uint32_t ssrc);
  bool chance(double p) noexcept;
  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload) noexcept;

  std::shared_ptr<detail::LoopbackChannel> out_;
  std::shared_ptr<detail::LoopbackChannel> in_;
  LoopbackImpairments impairments_;
  std::uint8_t payload_type_;
  std::uint32_t ssrc_;
  std::uint16_t sequence_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint64_t random_state_;
  // The packet held back by the reorder impairment (copied).
  bool has_held_ = false;
  std::uint16_t held_sequence_ = 0;
  std::uint32_t held_timestamp_ = 0;
  bool held_marker_ = false;
  std::size_t held_size_ = 0;
  std::unique_ptr<std::uint8_t[]> held_payload_;
  LoopbackStats stats_;
};

/// Creates two connected ends: first's sends reach second's poll() and back.
/// Throws libconf::Error naming a bad field (payload type, capacities, fractions).
std::pair<std::unique_ptr<LoopbackTransport>, std::unique_ptr<LoopbackTransport>> make_loopback_pair(
    const LoopbackConfig& first = {}, const LoopbackConfig& second = {});

}  // namespace libconf::transport
