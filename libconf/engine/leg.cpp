#include "libconf/engine/leg.hpp"

#include <algorithm>

namespace libconf::engine::detail {

bool CodecKey::operator==(const CodecKey& o) const noexcept {
  const auto& a = params;
  const auto& b = o.params;
  return name == o.name && a.sample_rate_hz == b.sample_rate_hz && a.ptime_ms == b.ptime_ms &&
         a.bitrate_bps == b.bitrate_bps && a.complexity == b.complexity && a.fec == b.fec && a.dtx == b.dtx &&
         a.expected_loss_percent == b.expected_loss_percent;
}

namespace {

// Slots must hold the codec's largest payload: L16 at 48 kHz is 1920 bytes a
// 20 ms frame, and a 1500-byte slot dropped every packet as oversized (the
// leg decoded nothing and never talked).
jitter::JitterConfig jitter_config(const LegMediaSettings& s, int rtp_clock_hz, std::uint32_t rtp_frame,
                                   std::size_t max_payload_bytes) {
  jitter::JitterConfig j;
  j.clock_rate_hz = rtp_clock_hz;
  j.frame_duration_ts = rtp_frame;
  j.min_delay_ms = s.jitter_min_delay_ms;
  j.max_delay_ms = s.jitter_max_delay_ms;
  j.max_payload_bytes = std::max(j.max_payload_bytes, max_payload_bytes);
  return j;
}

dsp::AgcConfig agc_config(const LegProcessing& p, int rate, std::size_t frame) {
  dsp::AgcConfig a;
  a.sample_rate_hz = rate;
  a.frame_samples = frame;
  a.target_level_dbfs = p.agc_target_dbfs;
  a.enabled = p.agc;
  return a;
}

dsp::TalkerDetectorConfig talker_config(int rate, std::size_t frame) {
  dsp::TalkerDetectorConfig t;
  t.sample_rate_hz = rate;
  t.frame_samples = frame;
  return t;
}

bool guard_supports(int rate) { return rate == 8000 || rate == 16000 || rate == 48000; }

/// Rank of a leg with LegProcessing::always_talking: like a room-wide prompt,
/// it wins a talker slot.
constexpr float kAlwaysTalkingLevelDbfs = 100.0f;

}  // namespace

Result<std::unique_ptr<LegMedia>> build_leg_media(const codec::CodecRegistry& codecs, const CodecKey& key,
                                                  const LegMediaSettings& s, std::string* why) {
  auto decoder = codecs.create(key.name, key.params);
  if (!decoder) {
    if (why) *why = "codec " + key.name + " at " + std::to_string(key.params.sample_rate_hz) + " Hz: " + decoder.error().message();
    return decoder.error();
  }
  auto encoder = codecs.create(key.name, key.params);
  if (!encoder) return encoder.error();
  const int rate = (*decoder)->sample_rate_hz();
  const int rtp_clock = (*decoder)->rtp_clock_rate_hz();
  const std::size_t frame = audio::samples_per_frame(rate, s.ptime_ms);
  const auto rtp_frame = static_cast<std::uint32_t>(rtp_clock / 1000 * s.ptime_ms);
  const std::size_t max_payload = (*decoder)->max_payload_bytes();
  try {
    auto media = std::make_unique<LegMedia>(LegMedia{key, std::move(*decoder), std::move(*encoder),
                                                     jitter::JitterBuffer(jitter_config(s, rtp_clock, rtp_frame, max_payload)),
                                                     dsp::Agc(agc_config(s.processing, rate, frame)),
                                                     dsp::TalkerDetector(talker_config(rate, frame)), std::nullopt,
                                                     rate, frame, rtp_frame});
    if (s.processing.inband_dtmf && guard_supports(rate)) {
      dsp::DtmfGuardConfig g;
      g.sample_rate_hz = rate;
      g.frame_samples = frame;
      media->guard.emplace(g);
    }
    return media;
  } catch (const Error& e) {
    if (why) *why = e.what();
    return e.code_enum();
  }
}

Leg::Leg(LegId id, std::unique_ptr<transport::MediaTransport> transport, std::unique_ptr<LegMedia> media,
         RoomRateParts parts, const LegConfig& config, std::shared_ptr<StatsCell> stats)
    : id_(id),
      transport_(std::move(transport)),
      media_(std::move(media)),
      parts_(std::move(parts)),
      processing_(config.processing),
      mix_(config.mix),
      direction_(config.direction),
      stats_cell_(std::move(stats)) {}

void Leg::on_packet(const transport::ReceivedPacket& packet) noexcept {
  if (receives()) media_->jitter.put(packet);
}

void Leg::on_dtmf(const transport::DtmfEvent& event) noexcept {
  if (receives() && pending_dtmf_count_ < pending_dtmf_.size()) pending_dtmf_[pending_dtmf_count_++] = event;
}

void Leg::emit_pending_dtmf(std::int64_t now_us, RoomId room, EventSink& events) noexcept {
  for (std::size_t i = 0; i < pending_dtmf_count_; ++i) {
    const auto& d = pending_dtmf_[i];
    Event e;
    e.kind = d.end ? EventKind::dtmf_ended : EventKind::dtmf_started;
    e.digit = d.digit;
    e.room = room;
    e.leg = id_;
    e.value = d.end ? static_cast<std::int32_t>(d.duration_ms) : 1;
    e.time_us = now_us;
    if (d.end) ++stats_.dtmf_digits;
    events.emit(e);
  }
  pending_dtmf_count_ = 0;
}

void Leg::decode(std::int64_t now_us, std::span<std::int16_t> pcm) noexcept {
  LegMedia& m = *media_;
  const jitter::JitterFrame jf = m.jitter.get(now_us);
  Result<std::size_t> decoded = std::size_t{0};
  switch (jf.kind) {
    case jitter::FrameKind::audio:
      decoded = m.decoder->decode(jf.payload, pcm);
      ++stats_.frames_in;
      break;
    case jitter::FrameKind::fec:
      decoded = m.decoder->decode_fec(jf.payload, pcm);
      ++stats_.frames_fec;
      break;
    case jitter::FrameKind::conceal:
      decoded = m.decoder->conceal(pcm);
      ++stats_.frames_concealed;
      break;
    case jitter::FrameKind::silence:
      std::fill(pcm.begin(), pcm.end(), std::int16_t{0});
      ++stats_.frames_silent;
      break;
  }
  if (!decoded || (jf.kind != jitter::FrameKind::silence && *decoded != m.codec_frame)) {
    if (!decoded) ++stats_.decode_errors;
    std::fill(pcm.begin() + static_cast<std::ptrdiff_t>(decoded ? std::min(*decoded, m.codec_frame) : 0), pcm.end(),
              std::int16_t{0});
  }
}

void Leg::receive(std::int64_t now_us, RoomId room, std::span<std::int16_t> room_frame, EventSink& events) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  transport_->poll(*this, now_us);  // drains the sockets (and keeps RTCP going) even when not receiving
  if (!receives()) {
    std::fill(room_frame.begin(), room_frame.end(), std::int16_t{0});
    return;
  }
  emit_pending_dtmf(now_us, room, events);
  LegMedia& m = *media_;
  std::span<std::int16_t> pcm(decoded_.data(), m.codec_frame);
  decode(now_us, pcm);

  std::span<std::int16_t> clean = pcm;
  if (m.guard) {
    std::array<dsp::DtmfDigitEvent, 4> digits{};
    std::span<std::int16_t> out(guarded_.data(), m.codec_frame);
    const std::size_t n = m.guard->process(pcm, out, digits);
    for (std::size_t i = 0; i < n; ++i) {
      Event e;
      e.kind = digits[i].end ? EventKind::dtmf_ended : EventKind::dtmf_started;
      e.digit = digits[i].digit;
      e.room = room;
      e.leg = id_;
      e.value = digits[i].end ? static_cast<std::int32_t>(digits[i].duration_ms) : 0;
      e.time_us = now_us;
      if (digits[i].end) ++stats_.dtmf_digits;
      events.emit(e);
    }
    clean = out;
  }

  // One level analysis, of the input before the gain, serves both the AGC
  // and talker detection.
  dsp::TalkerUpdate u{};
  if (processing_.agc || processing_.talker_detection) u = m.talker.process(clean);
  if (processing_.agc) m.agc.process(clean, u);
  bool now_talking = !mix_.muted && !mix_.listen_only;
  if (processing_.always_talking) {
    stats_.level_dbfs = kAlwaysTalkingLevelDbfs;
  } else if (processing_.talker_detection) {
    now_talking = now_talking && u.talking;
    stats_.level_dbfs = u.talking && processing_.agc ? u.level_dbfs + static_cast<float>(m.agc.gain_db()) : u.level_dbfs;
  }
  if (processing_.always_talking || processing_.talker_detection) {
    if (now_talking != talking_) {
      Event e;
      e.kind = now_talking ? EventKind::talking_started : EventKind::talking_stopped;
      e.room = room;
      e.leg = id_;
      e.time_us = now_us;
      events.emit(e);
    }
  }
  talking_ = now_talking;
  (void)parts_.to_room.process(clean, room_frame);
}

void Leg::stop_talking(std::int64_t now_us, RoomId room, EventSink& events) noexcept {
  (void)media_->talker.force_stop();
  if (!talking_) return;
  talking_ = false;
  Event e;
  e.kind = EventKind::talking_stopped;
  e.room = room;
  e.leg = id_;
  e.time_us = now_us;
  events.emit(e);
}

void Leg::send_unique(std::span<const std::int16_t> room_mix) noexcept {
  LegMedia& m = *media_;
  std::span<std::int16_t> pcm(out_pcm_.data(), m.codec_frame);
  if (!parts_.from_room.process(room_mix, pcm)) return;
  const Result<std::size_t> n = m.encoder->encode(pcm, encoded_);
  if (!n || *n == 0) return;
  send_shared({encoded_.data(), *n});
}

void Leg::send_shared(std::span<const std::uint8_t> payload) noexcept {
  transport::OutgoingFrame f;
  f.payload = payload;
  f.samples = media_->rtp_frame;
  f.marker = marker_next_;
  marker_next_ = false;
  transport_->send(f);
  ++stats_.packets_out;
}

void Leg::send_nothing() noexcept {
  transport::OutgoingFrame f;
  f.samples = media_->rtp_frame;
  transport_->send(f);
  marker_next_ = true;  // the next audio starts a talkspurt
}

void Leg::apply(LegChange& change, std::int64_t now_us, RoomId room, EventSink& events) noexcept {
  LIBCONF_DCHECK_OWNER(owner_);
  if (change.transport) transport_->apply_update(*change.transport);
  const bool was_receiving = receives();
  if (change.direction) direction_ = *change.direction;
  if (change.media) {
    stop_talking(now_us, room, events);
    jitter_late_before_ += media_->jitter.stats().late;
    jitter_lost_before_ += media_->jitter.stats().lost;
    media_.swap(change.media);
    std::swap(parts_, *change.rate_parts);
    pending_dtmf_count_ = 0;
    marker_next_ = true;
  } else if (was_receiving && !receives()) {
    stop_talking(now_us, room, events);
    pending_dtmf_count_ = 0;
  } else if (!was_receiving && receives()) {
    media_->jitter.reset();  // what arrived while not receiving is stale
  }
}

void Leg::publish_stats(std::uint32_t output_group) noexcept {
  const jitter::JitterStats& js = media_->jitter.stats();
  stats_.jitter_late = jitter_late_before_ + js.late;
  stats_.jitter_lost = jitter_lost_before_ + js.lost;
  stats_.jitter_delay_ms = js.current_delay_ms;
  stats_.talking = talking_;
  stats_.agc_gain_db = static_cast<float>(media_->agc.gain_db());
  stats_.output_group = output_group;
  stats_.network = transport_->network_stats();
  stats_cell_->publish(stats_);
}

}  // namespace libconf::engine::detail
