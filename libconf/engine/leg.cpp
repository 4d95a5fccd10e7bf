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

jitter::JitterConfig jitter_config(const LegConfig& c, int rtp_clock_hz, std::uint32_t rtp_frame) {
  jitter::JitterConfig j;
  j.clock_rate_hz = rtp_clock_hz;
  j.frame_duration_ts = rtp_frame;
  j.min_delay_ms = c.jitter_min_delay_ms;
  j.max_delay_ms = c.jitter_max_delay_ms;
  return j;
}

dsp::AgcConfig agc_config(const LegConfig& c, int rate, std::size_t frame) {
  dsp::AgcConfig a;
  a.sample_rate_hz = rate;
  a.frame_samples = frame;
  a.target_level_dbfs = c.processing.agc_target_dbfs;
  a.enabled = c.processing.agc;
  return a;
}

dsp::TalkerDetectorConfig talker_config(int rate, std::size_t frame) {
  dsp::TalkerDetectorConfig t;
  t.sample_rate_hz = rate;
  t.frame_samples = frame;
  return t;
}

bool guard_supports(int rate) { return rate == 8000 || rate == 16000 || rate == 48000; }

}  // namespace

Leg::Leg(LegId id, LegConfig config, std::unique_ptr<codec::Codec> decoder, std::unique_ptr<codec::Codec> encoder,
         RoomRateParts parts, int /*room_rate_hz*/, int ptime_ms, std::shared_ptr<StatsCell> stats)
    : id_(id),
      name_(std::move(config.name)),
      key_{config.codec, config.codec_params},
      transport_(std::move(config.transport)),
      decoder_(std::move(decoder)),
      encoder_(std::move(encoder)),
      parts_(std::move(parts)),
      jitter_(jitter_config(config, decoder_->rtp_clock_rate_hz(),
                            static_cast<std::uint32_t>(decoder_->rtp_clock_rate_hz() / 1000 * ptime_ms))),
      agc_(agc_config(config, decoder_->sample_rate_hz(),
                      audio::samples_per_frame(decoder_->sample_rate_hz(), ptime_ms))),
      talker_(talker_config(decoder_->sample_rate_hz(), audio::samples_per_frame(decoder_->sample_rate_hz(), ptime_ms))),
      processing_(config.processing),
      mix_(config.mix),
      codec_rate_hz_(decoder_->sample_rate_hz()),
      codec_frame_(audio::samples_per_frame(decoder_->sample_rate_hz(), ptime_ms)),
      rtp_frame_(static_cast<std::uint32_t>(decoder_->rtp_clock_rate_hz() / 1000 * ptime_ms)),
      stats_cell_(std::move(stats)) {
  if (processing_.inband_dtmf && guard_supports(codec_rate_hz_)) {
    dsp::DtmfGuardConfig g;
    g.sample_rate_hz = codec_rate_hz_;
    g.frame_samples = codec_frame_;
    guard_.emplace(g);
  }
}

void Leg::on_packet(const transport::ReceivedPacket& packet) noexcept { jitter_.put(packet); }

void Leg::on_dtmf(const transport::DtmfEvent& event) noexcept {
  if (pending_dtmf_count_ < pending_dtmf_.size()) pending_dtmf_[pending_dtmf_count_++] = event;
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

void Leg::receive(std::int64_t now_us, RoomId room, std::span<std::int16_t> room_frame, EventSink& events) noexcept {
  transport_->poll(*this, now_us);
  emit_pending_dtmf(now_us, room, events);

  std::span<std::int16_t> pcm(decoded_.data(), codec_frame_);
  const jitter::JitterFrame jf = jitter_.get(now_us);
  Result<std::size_t> decoded = std::size_t{0};
  switch (jf.kind) {
    case jitter::FrameKind::audio:
      decoded = decoder_->decode(jf.payload, pcm);
      ++stats_.frames_in;
      break;
    case jitter::FrameKind::fec:
      decoded = decoder_->decode_fec(jf.payload, pcm);
      ++stats_.frames_fec;
      break;
    case jitter::FrameKind::conceal:
      decoded = decoder_->conceal(pcm);
      ++stats_.frames_concealed;
      break;
    case jitter::FrameKind::silence:
      std::fill(pcm.begin(), pcm.end(), std::int16_t{0});
      ++stats_.frames_silent;
      break;
  }
  if (!decoded || (jf.kind != jitter::FrameKind::silence && *decoded != codec_frame_)) {
    if (!decoded) ++stats_.decode_errors;
    std::fill(pcm.begin() + static_cast<std::ptrdiff_t>(decoded ? std::min(*decoded, codec_frame_) : 0), pcm.end(),
              std::int16_t{0});
  }

  std::span<std::int16_t> clean = pcm;
  if (guard_) {
    std::array<dsp::DtmfDigitEvent, 4> digits{};
    std::span<std::int16_t> out(guarded_.data(), codec_frame_);
    const std::size_t n = guard_->process(pcm, out, digits);
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

  if (processing_.agc) agc_.process(clean);
  if (processing_.talker_detection) {
    const dsp::TalkerUpdate u = talker_.process(clean);
    const bool now_talking = u.talking && !mix_.muted && !mix_.listen_only;
    if (now_talking != talking_) {
      Event e;
      e.kind = now_talking ? EventKind::talking_started : EventKind::talking_stopped;
      e.room = room;
      e.leg = id_;
      e.time_us = now_us;
      events.emit(e);
      talking_ = now_talking;
    }
    stats_.level_dbfs = u.level_dbfs;
  } else {
    talking_ = !mix_.muted && !mix_.listen_only;
  }
  (void)parts_.to_room.process(clean, room_frame);
}

void Leg::stop_talking(std::int64_t now_us, RoomId room, EventSink& events) noexcept {
  (void)talker_.force_stop();
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
  std::span<std::int16_t> pcm(out_pcm_.data(), codec_frame_);
  if (!parts_.from_room.process(room_mix, pcm)) return;
  const Result<std::size_t> n = encoder_->encode(pcm, encoded_);
  if (!n || *n == 0) return;
  send_shared({encoded_.data(), *n});
}

void Leg::send_shared(std::span<const std::uint8_t> payload) noexcept {
  transport::OutgoingFrame f;
  f.payload = payload;
  f.samples = rtp_frame_;
  f.marker = marker_next_;
  marker_next_ = false;
  transport_->send(f);
  ++stats_.packets_out;
}

void Leg::publish_stats(std::uint32_t output_group) noexcept {
  const jitter::JitterStats& js = jitter_.stats();
  stats_.jitter_late = js.late;
  stats_.jitter_lost = js.lost;
  stats_.jitter_delay_ms = js.current_delay_ms;
  stats_.talking = talking_;
  stats_.agc_gain_db = static_cast<float>(agc_.gain_db());
  stats_.output_group = output_group;
  stats_.network = transport_->network_stats();
  stats_cell_->publish(stats_);
}

}  // namespace libconf::engine::detail
