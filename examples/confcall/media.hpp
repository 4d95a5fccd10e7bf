#pragma once
// confcall's media: one RtpTransport (RTP/SRTP, RFC 4733), a codec, a jitter
// buffer, on a thread paced by absolute deadlines (one tick per ptime). It
// sends the voice file (or in-band DTMF tones, or silence), hears the peer
// (records it, measures level and speech, detects in-band digits) and sends
// digits on a timeline. SIP INFO digits go back to the SIP thread through a
// callback.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "libconf/sip/sdp.hpp"
#include "libconf/transport/rtp_stats.hpp"
#include "options.hpp"

namespace confcall {

/// One digit or pause on the timeline, relative to the start of the digits.
struct DigitStep {
  char digit = 0;        // 0: a pause
  std::int64_t at_ms = 0;
  int duration_ms = 0;
};
/// "1000#,,1234#" -> steps; ',' waits pause_ms; each digit lasts digit_ms then gap_ms of silence.
std::vector<DigitStep> plan_digits(const std::string& digits, int pause_ms, int digit_ms, int gap_ms);

struct MediaConfig {
  libconf::sip::MediaSession session;
  std::string local_address;
  std::uint16_t local_port = 0;
  std::vector<std::int16_t> voice;  // at voice_rate_hz
  int voice_rate_hz = 8000;
  bool loop_voice = false;
  std::vector<DigitStep> digits;
  std::int64_t digits_at_ms = 1000;
  DtmfMode dtmf = DtmfMode::rfc4733;
  std::function<void(char digit, int duration_ms)> send_info;  // called on the media thread
  bool record = false;
  double max_record_s = 3600;
};

/// What the call sounded like, filled when the thread stops.
struct MediaReport {
  std::string codec;
  int payload_type = 0;
  int pcm_rate_hz = 8000;
  int ptime_ms = 20;
  std::string srtp;  // suite, or empty
  libconf::transport::RtpStats rtp;
  double level_dbfs = -120;        // RMS of everything heard
  double speech_level_dbfs = -120; // mean level of the frames heard as speech
  double speech_s = 0;             // seconds heard as speech (talker detector)
  double first_speech_s = -1;      // since media start; -1: never
  std::vector<std::pair<double, double>> speech_segments;  // [start, end] s, at most 200
  std::string digits_sent;
  std::string digits_received_rfc4733;
  std::string digits_heard_inband;
  double media_s = 0;
  std::uint64_t ticks = 0;
  std::uint64_t late_ticks = 0;    // woke more than one ptime after the deadline
  std::uint64_t rebuilds = 0;      // transport rebuilt for a codec/key change
  std::vector<std::int16_t> recording;  // at pcm_rate_hz
  std::string error;               // why media could not run
};

class MediaRunner {
 public:
  /// Opens the transport (throws libconf::Error naming the problem) and starts the thread.
  explicit MediaRunner(MediaConfig config);
  ~MediaRunner();
  MediaRunner(const MediaRunner&) = delete;
  MediaRunner& operator=(const MediaRunner&) = delete;

  /// The session changed (re-INVITE, UPDATE): applied at the next tick.
  void update(const libconf::sip::MediaSession& session);
  /// Stops the thread and returns the report (once).
  MediaReport stop();

  struct Pipeline;  // codec, transport, jitter buffer, detectors of one negotiated session

 private:
  void run();
  MediaConfig config_;
  std::unique_ptr<Pipeline> pipeline_;
  std::mutex update_mutex_;
  std::optional<libconf::sip::MediaSession> pending_;
  std::atomic<bool> running_{true};
  MediaReport report_;
  std::thread thread_;
};

}  // namespace confcall
