#pragma once
/// @file
/// RFC 4733 telephone-events (DTMF named events 0-15): the 4-byte payload,
/// a receiver that turns event packets into one start and one end
/// DtmfEvent per digit (retransmissions and duplicate ends suppressed), and a
/// sender paced by the caller's packet clock (one packet per packet interval,
/// duration updated each time, three end packets).
/// Single-threaded objects; every call is noexcept, allocation-free and real-time safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "libconf/error.hpp"
#include "libconf/transport/media_transport.hpp"

namespace libconf::transport {

inline constexpr std::size_t kTelephoneEventBytes = 4;

/// One event block (RFC 4733 section 2.3).
struct TelephoneEvent {
  std::uint8_t event = 0;      ///< 0-9, 10 '*', 11 '#', 12-15 'A'-'D', others non-DTMF
  bool end = false;            ///< E bit
  std::uint8_t volume = 10;    ///< 0..63, in -dBm0
  std::uint16_t duration = 0;  ///< in RTP clock units since the event's timestamp
};

/// Parses the first event block. Errors: malformed_packet (shorter than 4 bytes).
Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) noexcept;
/// Writes 4 bytes. Errors: buffer_too_small, invalid_argument (volume > 63).
Result<std::size_t> write_telephone_event(const TelephoneEvent& event, std::span<std::uint8_t> out) noexcept;

/// Event code for '0'-'9', '*', '#', 'A'-'D' (lower case accepted); -1 otherwise.
int dtmf_event_code(char digit) noexcept;
/// Digit for event codes 0-15; 0 for others.
char dtmf_digit(int event_code) noexcept;

/// Receiver state machine for one remote stream. An event is identified by
/// its RTP timestamp (RFC 4733 2.5.1): the first packet of a new timestamp
/// starts a digit, the first packet with E set ends it; later packets of the
/// same event (updates, the two retransmitted ends) produce nothing. A new
/// event while the previous one never ended first ends the previous one.
class TelephoneEventReceiver {
 public:
  /// An event without any packet for this long is ended by poll_timeout()
  /// (RFC 4733 2.5.2.2 leaves the value open; 1 s covers the 3 lost end
  /// packets at any ptime up to 60 ms with a wide margin).
  static constexpr std::int64_t kEventTimeoutUs = 1'000'000;

  explicit TelephoneEventReceiver(int clock_rate_hz) noexcept : clock_rate_hz_(clock_rate_hz) {}

  /// Feeds one event packet. Writes 0..3 events to out (end of an unfinished
  /// previous digit, start, end) and returns how many. Non-DTMF events
  /// (codes > 15) are ignored and return 0.
  std::size_t on_packet(const TelephoneEvent& event, std::uint32_t rtp_timestamp, std::int64_t arrival_us,
                        std::span<DtmfEvent, 3> out) noexcept;
  /// Ends a digit whose packets stopped arriving. Returns true and fills out once.
  bool poll_timeout(std::int64_t now_us, DtmfEvent& out) noexcept;

 private:
  std::uint32_t to_ms(std::uint32_t units) const noexcept {
    return static_cast<std::uint32_t>(std::uint64_t{units} * 1000u / static_cast<std::uint32_t>(clock_rate_hz_));
  }
  int clock_rate_hz_;
  bool have_event_ = false;
  bool ended_ = true;
  char digit_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint32_t duration_ = 0;
  std::int64_t started_us_ = 0;
  std::int64_t last_packet_us_ = 0;
};

/// One packet the sender wants on the wire this packet interval.
struct TelephoneEventPacket {
  std::array<std::uint8_t, kTelephoneEventBytes> payload{};
  std::uint32_t timestamp = 0;  ///< the event's start timestamp (constant per event)
  bool marker = false;          ///< set on the first packet of an event
  bool end = false;
};

/// Sender: queue digits, then call on_interval() once per packet interval;
/// while it returns true the caller sends the event packet instead of audio.
class TelephoneEventSender {
 public:
  static constexpr std::size_t kQueueCapacity = 32;
  /// RFC 4733 2.5.1.4: the end packet is sent three times.
  static constexpr int kEndPackets = 3;
  /// Default digit length when the caller gives none and never stops it:
  /// 100 ms is the common minimum DTMF length that receivers accept (ITU-T Q.24 asks >= 40 ms).
  static constexpr std::uint32_t kDefaultDurationMs = 100;

  explicit TelephoneEventSender(int clock_rate_hz, std::uint8_t volume = 10) noexcept
      : clock_rate_hz_(clock_rate_hz), volume_(volume) {}

  /// Queues a digit of duration_ms (0 = until stop()). Returns false for a
  /// character that is no DTMF digit or when the queue is full.
  bool start(char digit, std::uint32_t duration_ms) noexcept;
  /// Ends the open-ended digit now playing (if it is this digit).
  void stop(char digit) noexcept;
  bool active() const noexcept { return state_ != State::idle || count_ > 0; }

  /// Called once per packet interval. now_timestamp is the RTP timestamp the
  /// audio packet of this interval would carry, interval_samples its length.
  /// Returns true and fills out when an event packet replaces the audio.
  bool on_interval(std::uint32_t now_timestamp, std::uint32_t interval_samples, TelephoneEventPacket& out) noexcept;

 private:
  enum class State { idle, playing, ending };
  struct Queued {
    std::uint8_t code;
    std::uint32_t duration_samples;  ///< 0 = open-ended
  };
  void fill(TelephoneEventPacket& out, bool end) const noexcept;
  int clock_rate_hz_;
  std::uint8_t volume_;
  std::array<Queued, kQueueCapacity> queue_{};
  std::size_t head_ = 0, count_ = 0;
  State state_ = State::idle;
  Queued current_{};
  bool stop_requested_ = false;
  bool first_packet_ = false;
  std::uint32_t start_timestamp_ = 0;
  std::uint32_t elapsed_ = 0;  ///< samples since start, capped at 0xffff
  int ends_left_ = 0;
};

}  // namespace libconf::transport
