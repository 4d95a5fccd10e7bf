#include "media.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "libconf/audio/level.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/codec/registry.hpp"
#include "libconf/dsp/dtmf_detector.hpp"
#include "libconf/dsp/dtmf_generator.hpp"
#include "libconf/dsp/talker_detector.hpp"
#include "libconf/jitter/jitter_buffer.hpp"
#include "libconf/transport/rtp_transport.hpp"

namespace confcall {

using namespace libconf;
using Clock = std::chrono::steady_clock;

std::vector<DigitStep> plan_digits(const std::string& digits, int pause_ms, int digit_ms, int gap_ms) {
  std::vector<DigitStep> steps;
  std::int64_t t = 0;
  for (char c : digits) {
    if (c == ',') {
      steps.push_back({0, t, pause_ms});
      t += pause_ms;
    } else {
      steps.push_back({static_cast<char>(std::toupper(static_cast<unsigned char>(c))), t, digit_ms});
      t += digit_ms + gap_ms;
    }
  }
  return steps;
}

namespace {
std::int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}
}  // namespace

/// Everything that depends on the negotiated session; rebuilt when it changes.
struct MediaRunner::Pipeline : transport::PacketSink {
  sip::MediaSession session;
  int pcm_rate = 8000;
  std::size_t frame = 160;  // samples per ptime at pcm_rate
  std::uint32_t frame_ts = 160;
  std::unique_ptr<transport::RtpTransport> rtp;
  std::unique_ptr<codec::Codec> encoder, decoder;
  std::optional<jitter::JitterBuffer> jitter;
  std::optional<dsp::TalkerDetector> talker;
  std::optional<dsp::DtmfDetector> detector;
  std::optional<dsp::DtmfGenerator> generator;
  std::vector<std::int16_t> voice;  // at pcm_rate
  std::vector<std::int16_t> heard, out;
  std::vector<std::uint8_t> packet;
  std::string received_digits;  // RFC 4733 ends

  void on_packet(const transport::ReceivedPacket& p) noexcept override { jitter->put(p); }
  void on_dtmf(const transport::DtmfEvent& e) noexcept override {
    if (e.end && received_digits.size() < 256) received_digits += e.digit;
  }
};

namespace {

std::unique_ptr<MediaRunner::Pipeline> make_pipeline(const MediaConfig& config, const sip::MediaSession& s) {
  auto p = std::make_unique<MediaRunner::Pipeline>();
  p->session = s;
  const auto params = sip::codec_params(s, 48000);
  p->pcm_rate = params.sample_rate_hz;
  p->frame = static_cast<std::size_t>(p->pcm_rate / 1000 * s.ptime_ms);
  p->frame_ts = static_cast<std::uint32_t>(s.clock_rate_hz / 1000 * s.ptime_ms);
  const auto registry = codec::CodecRegistry::with_builtin_codecs();
  p->encoder = registry.create_or_throw(s.codec, params);
  p->decoder = registry.create_or_throw(s.codec, params);

  transport::RtpConfig rtp = sip::rtp_config(s);
  rtp.local_address = config.local_address;
  rtp.local_port = config.local_port;
  auto opened = transport::RtpTransport::open(rtp);
  if (!opened) {
    throw Error(errc::io_error, "RTP on " + config.local_address + ":" + std::to_string(config.local_port) + ": " +
                                    opened.error().message());
  }
  p->rtp = std::move(*opened);
  if (!s.remote_address.empty() && s.remote_port != 0 && s.remote_address != "0.0.0.0") {
    p->rtp->set_remote(s.remote_address, s.remote_port, s.remote_rtcp_port);
  }

  jitter::JitterConfig jc;
  jc.clock_rate_hz = s.clock_rate_hz;
  jc.frame_duration_ts = p->frame_ts;
  jc.min_delay_ms = s.ptime_ms;
  jc.max_delay_ms = 300;
  jc.capacity_packets = static_cast<std::size_t>(300 / s.ptime_ms + 8);
  p->jitter.emplace(jc);
  dsp::TalkerDetectorConfig tc;
  tc.sample_rate_hz = p->pcm_rate;
  tc.frame_samples = p->frame;
  p->talker.emplace(tc);
  dsp::DtmfDetectorConfig dc;
  dc.sample_rate_hz = p->pcm_rate;
  p->detector.emplace(dc);
  dsp::DtmfGeneratorConfig gc;
  gc.sample_rate_hz = p->pcm_rate;
  p->generator.emplace(gc);
  if (!config.voice.empty()) {
    p->voice = config.voice_rate_hz == p->pcm_rate ? config.voice
                                                   : audio::resample_buffer(config.voice, config.voice_rate_hz, p->pcm_rate);
  }
  p->heard.assign(p->frame, 0);
  p->out.assign(p->frame, 0);
  p->packet.assign(codec::kMaxEncodedFrameBytes, 0);
  return p;
}

}  // namespace

MediaRunner::MediaRunner(MediaConfig config) : config_(std::move(config)) {
  pipeline_ = make_pipeline(config_, config_.session);
  thread_ = std::thread([this] { run(); });
}

MediaRunner::~MediaRunner() {
  if (thread_.joinable()) (void)stop();
}

void MediaRunner::update(const sip::MediaSession& session) {
  std::lock_guard lock(update_mutex_);
  pending_ = session;
}

MediaReport MediaRunner::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  return std::move(report_);
}

void MediaRunner::run() {
  Pipeline* p = pipeline_.get();
  transport::RtpStats previous{};  // counters of transports replaced by a rebuild
  auto add_stats = [](transport::RtpStats& sum, const transport::RtpStats& s) {
    sum.packets_sent += s.packets_sent;
    sum.packets_received += s.packets_received;
    sum.packets_lost += s.packets_lost;
    sum.dtmf_digits_sent += s.dtmf_digits_sent;
    sum.authentication_failed_dropped += s.authentication_failed_dropped;
    sum.wrong_payload_type_dropped += s.wrong_payload_type_dropped;
  };
  const auto start = Clock::now();
  auto deadline = start;
  std::size_t voice_pos = 0;
  std::size_t next_digit = 0;
  double heard_energy = 0;
  std::uint64_t heard_samples = 0;
  double speech_energy = 0;
  std::uint64_t speech_frames = 0;
  bool in_speech = false;
  std::vector<dsp::DtmfDigitEvent> dtmf_events(8);
  if (config_.record) report_.recording.reserve(static_cast<std::size_t>(std::min(config_.max_record_s, 600.0) * p->pcm_rate));

  try {
    while (running_) {
      deadline += std::chrono::milliseconds(p->session.ptime_ms);
      std::this_thread::sleep_until(deadline);
      const auto now = Clock::now();
      if (now - deadline > std::chrono::milliseconds(p->session.ptime_ms)) {
        ++report_.late_ticks;
        if (now - deadline > std::chrono::milliseconds(10 * p->session.ptime_ms)) deadline = now;  // resync after a stall
      }
      ++report_.ticks;
      const double t_s = std::chrono::duration<double>(now - start).count();

      // A changed session: the remote moves in place; anything else rebuilds the pipeline.
      {
        std::unique_lock lock(update_mutex_, std::try_to_lock);
        if (lock.owns_lock() && pending_) {
          const sip::MediaSession next = *pending_;
          pending_.reset();
          lock.unlock();
          const sip::MediaChange change = sip::compare(p->session, next);
          if (change.codec || change.keys || change.telephone_event || change.ptime ||
              next.rtcp_mux != p->session.rtcp_mux) {
            add_stats(previous, p->rtp->stats());
            p->rtp.reset();  // free the port before the new transport binds it
            pipeline_ = make_pipeline(config_, next);
            p = pipeline_.get();
            ++report_.rebuilds;
          } else {
            if (change.remote_address && next.remote_address != "0.0.0.0" && next.remote_port != 0) {
              p->rtp->set_remote(next.remote_address, next.remote_port, next.remote_rtcp_port);
            }
            p->session = next;
          }
        }
      }

      // Hear: the one place that polls the transport.
      p->rtp->poll(*p, monotonic_us());
      const auto f = p->jitter->get(monotonic_us());
      std::span<std::int16_t> heard(p->heard.data(), p->frame);
      std::fill(heard.begin(), heard.end(), 0);
      Result<std::size_t> decoded = std::size_t{0};
      switch (f.kind) {
        case jitter::FrameKind::audio: decoded = p->decoder->decode(f.payload, heard); break;
        case jitter::FrameKind::fec: decoded = p->decoder->decode_fec(f.payload, heard); break;
        case jitter::FrameKind::conceal: decoded = p->decoder->conceal(heard); break;
        case jitter::FrameKind::silence: break;
      }
      if (!decoded) std::fill(heard.begin(), heard.end(), 0);
      for (std::int16_t s : heard) heard_energy += static_cast<double>(s) * s;
      heard_samples += heard.size();
      const auto update = p->talker->process(heard);
      if (update.talking) {
        for (std::int16_t s : heard) speech_energy += static_cast<double>(s) * s;
        ++speech_frames;
        if (report_.first_speech_s < 0) report_.first_speech_s = t_s;
        if (!in_speech && report_.speech_segments.size() < 200) report_.speech_segments.push_back({t_s, t_s});
        in_speech = true;
        if (!report_.speech_segments.empty()) report_.speech_segments.back().second = t_s + p->session.ptime_ms / 1000.0;
      } else {
        in_speech = false;
      }
      const std::size_t n = p->detector->process(heard, dtmf_events);
      for (std::size_t i = 0; i < n; ++i) {
        if (dtmf_events[i].end && report_.digits_heard_inband.size() < 256) report_.digits_heard_inband += dtmf_events[i].digit;
      }
      if (config_.record && report_.recording.size() < static_cast<std::size_t>(config_.max_record_s * p->pcm_rate)) {
        report_.recording.insert(report_.recording.end(), heard.begin(), heard.end());
      }

      // Digits due now.
      const auto since_ms = static_cast<std::int64_t>(t_s * 1000.0) - config_.digits_at_ms;
      while (next_digit < config_.digits.size() && config_.digits[next_digit].at_ms <= since_ms) {
        const DigitStep& d = config_.digits[next_digit++];
        if (d.digit == 0) continue;
        report_.digits_sent += d.digit;
        switch (config_.dtmf) {
          case DtmfMode::rfc4733:
            p->rtp->send_dtmf(transport::DtmfEvent{d.digit, false, static_cast<std::uint32_t>(d.duration_ms), monotonic_us()});
            break;
          case DtmfMode::inband: (void)p->generator->play(d.digit, d.duration_ms, 0); break;
          case DtmfMode::info:
            if (config_.send_info) config_.send_info(d.digit, d.duration_ms);
            break;
        }
      }

      // Speak: in-band tones, else the voice, else silence.
      std::span<std::int16_t> out(p->out.data(), p->frame);
      if (!p->generator->idle()) {
        p->generator->generate(out);
      } else if (!p->voice.empty() && (voice_pos < p->voice.size() || config_.loop_voice)) {
        for (auto& s : out) {
          if (voice_pos >= p->voice.size()) {
            if (!config_.loop_voice) {
              s = 0;
              continue;
            }
            voice_pos = 0;
          }
          s = p->voice[voice_pos++];
        }
      } else {
        std::fill(out.begin(), out.end(), 0);
      }
      transport::OutgoingFrame frame;
      frame.samples = p->frame_ts;
      if (sip::sends(p->session.direction)) {
        auto encoded = p->encoder->encode(out, p->packet);
        if (encoded) frame.payload = std::span<const std::uint8_t>(p->packet.data(), *encoded);
      }
      p->rtp->send(frame);  // an empty payload only paces RFC 4733 events
    }
  } catch (const std::exception& e) {
    report_.error = e.what();
  }

  report_.media_s = std::chrono::duration<double>(Clock::now() - start).count();
  report_.codec = p->session.codec;
  report_.payload_type = p->session.payload_type;
  report_.pcm_rate_hz = p->pcm_rate;
  report_.ptime_ms = p->session.ptime_ms;
  if (p->session.local_crypto) report_.srtp = std::string(transport::sdes_suite_name(p->session.local_crypto->keys.profile));
  if (p->rtp) report_.rtp = p->rtp->stats();
  add_stats(report_.rtp, previous);
  report_.digits_received_rfc4733 = p->received_digits;
  report_.level_dbfs = heard_samples ? 10.0 * std::log10(std::max(heard_energy / heard_samples, 1e-12) / (32768.0 * 32768.0))
                                     : audio::kSilenceDbfs;
  const double speech_samples = static_cast<double>(speech_frames) * static_cast<double>(p->frame);
  report_.speech_level_dbfs = speech_frames ? 10.0 * std::log10(std::max(speech_energy / speech_samples, 1e-12) / (32768.0 * 32768.0))
                                            : audio::kSilenceDbfs;
  report_.speech_s = speech_frames * p->session.ptime_ms / 1000.0;
}

}  // namespace confcall
