// Recording: the caller's name (a menu's RecordName) announced on join and
// leave, and whole rooms (mix + one track per leg) handed to the host.
// Both use engine::RoomRecorder objects whose buffers are allocated here,
// on the service's thread (libconf/service/recorders.hpp).
#include <algorithm>
#include <iterator>
#include <utility>

#include "libconf/audio/level.hpp"
#include "libconf/audio/resampler.hpp"
#include "libconf/service/call.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::service {

namespace {

// A recorded name is cut to where the caller spoke: 10 ms blocks quieter than
// -45 dBFS at either end go (line and comfort noise sit far below, speech at
// -30..-15 dBFS), keeping 40 ms around the voice so no syllable is clipped.
constexpr double kNameSilenceDbfs = -45.0;
constexpr int kNameMarginMs = 40;
constexpr int kNameGapMs = 150;  // between the name and the joined/left prompt
constexpr std::size_t kSpareTracks = 4;
constexpr std::size_t kMaxPrefix = 64;

std::vector<std::int16_t> trim_silence(std::span<const std::int16_t> x, int rate) {
  const std::size_t block = static_cast<std::size_t>(rate) / 100;
  const std::size_t blocks = x.size() / block;
  std::size_t first = blocks, last = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    if (audio::rms_dbfs(x.subspan(b * block, block)) > kNameSilenceDbfs) {
      first = std::min(first, b);
      last = b;
    }
  }
  if (first == blocks) return {};
  const std::size_t margin = static_cast<std::size_t>(rate) * kNameMarginMs / 1000;
  const std::size_t from = first * block > margin ? first * block - margin : 0;
  const std::size_t to = std::min(x.size(), (last + 1) * block + margin);
  return {x.begin() + static_cast<std::ptrdiff_t>(from), x.begin() + static_cast<std::ptrdiff_t>(to)};
}

// A prompt's samples at `rate` (configuration-time work, off the media thread).
std::vector<std::int16_t> at_rate(const engine::Prompt& p, int rate) {
  if (p.sample_rate_hz == rate) return p.samples;
  audio::Resampler rs(p.sample_rate_hz, rate);
  const std::size_t in_block = static_cast<std::size_t>(p.sample_rate_hz) / 100;
  const std::size_t out_block = static_cast<std::size_t>(rate) / 100;
  std::vector<std::int16_t> in(p.samples);
  in.resize((in.size() + in_block - 1) / in_block * in_block, 0);
  std::vector<std::int16_t> out(in.size() / in_block * out_block);
  for (std::size_t b = 0; b < in.size() / in_block; ++b)
    (void)rs.process(std::span<const std::int16_t>(in).subspan(b * in_block, in_block),
                     std::span<std::int16_t>(out).subspan(b * out_block, out_block));
  return out;
}

bool valid_prefix(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxPrefix || s.front() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
  });
}

}  // namespace

// ---- names ------------------------------------------------------------------------

void ConferenceService::start_name_recording(Call& c) {
  const auto capacity = static_cast<std::size_t>(config_.room_rate_hz) * static_cast<std::size_t>(config_.name_max_ms) / 1000;
  answer(c);  // early media may not carry the caller's voice: record an answered call
  auto rec = std::make_shared<detail::TrackRecorder>(c.leg, capacity);
  if (auto r = engine_.start_recording(c.lobby, rec); !r) {
    // The menu goes on without a name: joins and leaves get the tone alone.
    emit(c, event::NameFailed{static_cast<errc>(r.error().value())});
    apply(c, c.ivr->on_host_reply(ivr::HostReply::recorded(), now_ms_));
    return;
  }
  c.name_recorder = std::move(rec);
  c.name_deadline_ms = now_ms_ + config_.name_max_ms;
  engine::PlayOptions o;  // "speak after the beep": heard by the caller, not recorded
  o.to_leg = c.leg;
  (void)engine_.play(c.lobby, prompts_.get("beep"), o);
  emit(c, event::NameRecording{config_.name_max_ms});
  mark(c);
}

void ConferenceService::finish_name_recording(Call& c, const std::string& why) {
  if (!c.name_recorder) return;
  (void)engine_.stop_recording(c.lobby);
  const int rate = config_.room_rate_hz;
  std::vector<std::int16_t> name = trim_silence(c.name_recorder->recorded(), rate);
  c.name_recorder.reset();
  if (name.empty()) {
    emit(c, event::NameRecorded{0, why});
  } else {
    const auto ms = static_cast<std::int64_t>(name.size()) * 1000 / rate;
    for (const bool joined : {true, false}) {
      const char* id = joined ? "has_joined" : "has_left";
      const engine::PromptPtr tail = prompts_.get(prompts_.has_recording(id) ? id : joined ? "join_tone" : "leave_tone");
      auto p = std::make_shared<engine::Prompt>();
      p->sample_rate_hz = rate;
      p->samples = name;
      p->samples.resize(p->samples.size() + static_cast<std::size_t>(rate) * kNameGapMs / 1000, 0);
      const std::vector<std::int16_t> t = at_rate(*tail, rate);
      p->samples.insert(p->samples.end(), t.begin(), t.end());
      (joined ? c.joined_prompt : c.left_prompt) = std::move(p);
    }
    emit(c, event::NameRecorded{ms, why});
  }
  if (c.ivr && c.state == CallState::ivr) apply(c, c.ivr->on_host_reply(ivr::HostReply::recorded(), now_ms_));
}

void ConferenceService::announce(Call& c, const std::string& room, bool joined) {
  const engine::RoomId target = engine_room(c.tenant, room);
  if (!config_.join_leave_tones || target == engine::kNoRoom) return;
  engine::PromptPtr p = joined ? c.joined_prompt : c.left_prompt;
  const bool named = p != nullptr;
  if (!p) {
    const char* id = joined ? "has_joined" : "has_left";
    p = prompts_.get(prompts_.has_recording(id) ? id : joined ? "join_tone" : "leave_tone");
  }
  if (engine_.play(target, std::move(p))) emit(c, event::Announced{room, joined, named});
}

Result<void> ConferenceService::set_name(const room::Actor& actor, CallId target, const std::string& name) {
  Call* c = find(target);
  if (!c || !c->participant) return errc::not_found;
  Result<void> r;
  try {
    r = conference_.set_name(actor, c->participant, name, now_ms_);
  } catch (const Error&) {
    return errc::invalid_argument;
  }
  forward_conference_events();
  if (!r) return r;
  c->name = name;
  c->joined_prompt.reset();  // a text name: announced by the tone alone
  c->left_prompt.reset();
  emit(*c, event::NameSet{c->room, name});
  // A moderator's name for a caller is kept: the number gets it back next time.
  if (actor.id != c->participant)
    store_write("caller name " + c->tenant, [rec = store::CallerNameRecord{c->tenant, c->caller_id, name}](
                                                store::Store& st) { return st.put_caller_name(rec); });
  return {};
}

// ---- the operator key -------------------------------------------------------------

void ConferenceService::call_operator(Call& c) {
  std::erase_if(operator_requests_, [&](const OperatorRequest& r) { return r.call == c.id; });
  operator_requests_.push_back(OperatorRequest{c.id, c.tenant, c.room, now_ms_});
  emit(c, event::OperatorCalled{c.room, c.caller_id});
  int alerted = 0;
  for (CallId id : operators_) {
    const Call* o = find(id);
    if (!o || o->tenant != c.tenant) continue;
    engine::PlayOptions opt;
    opt.to_leg = o->leg;
    if (engine_.play(o->where, prompts_.get("operator_alert"), opt)) ++alerted;
  }
  emit(c, event::OperatorAlerted{c.room, alerted});
}

std::vector<OperatorRequest> ConferenceService::operator_requests() const { return operator_requests_; }

// ---- rooms ----------------------------------------------------------------------

Result<void> ConferenceService::start_room_recording(const room::Actor& actor, const std::string& room,
                                                     const std::string& out_prefix, RecordingLimits limits) {
  if (auto ok = conference_.authorize(actor, room::Action::record, room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  if (!valid_prefix(out_prefix) || limits.max_duration_ms <= 0 || limits.max_duration_ms > config_.max_recording_ms ||
      limits.max_tracks > config_.max_legs_per_room)
    return errc::invalid_argument;
  const RoomRef ref{actor.tenant, room};
  if (recordings_.count(ref)) return errc::already_exists;
  auto er_it = rooms_.find(ref);
  if (er_it == rooms_.end()) return errc::invalid_state;
  const engine::RoomId er = er_it->second.id;
  std::size_t tracks = limits.max_tracks;
  if (tracks == 0)
    tracks = std::min(static_cast<std::size_t>(er_it->second.legs) + kSpareTracks, config_.max_legs_per_room);
  const auto capacity =
      static_cast<std::size_t>(config_.room_rate_hz) * static_cast<std::size_t>(limits.max_duration_ms) / 1000;
  auto a = std::make_unique<ActiveRecording>();
  a->out_prefix = out_prefix;
  a->engine_room = er;
  a->recorder = std::make_shared<detail::RoomTapeRecorder>(capacity, tracks);
  a->started_ms = now_ms_;
  if (auto r = engine_.start_recording(er, a->recorder); !r) return r;
  recordings_.emplace(ref, std::move(a));
  emit(kNoCall, actor.tenant, event::RecordingStarted{room, out_prefix, tracks});
  return {};
}

Result<void> ConferenceService::stop_room_recording(const room::Actor& actor, const std::string& room) {
  if (auto ok = conference_.authorize(actor, room::Action::record, room, now_ms_); !ok) {
    forward_conference_events();
    return ok.error();
  }
  auto it = recordings_.find(RoomRef{actor.tenant, room});
  if (it == recordings_.end() || !it->second->stop_reason.empty()) return errc::not_found;
  it->second->stop_reason = "stopped";
  it->second->stopped_ms = now_ms_;
  return engine_.stop_recording(it->second->engine_room);
}

bool ConferenceService::recording(const std::string& tenant, const std::string& room) const {
  return recordings_.count(RoomRef{tenant, room}) > 0;
}

std::vector<RoomRecording> ConferenceService::take_recordings() { return std::exchange(finished_recordings_, {}); }

void ConferenceService::finish_recording(const RoomRef& room, const std::string& reason) {
  auto it = recordings_.find(room);
  if (it == recordings_.end()) return;
  const ActiveRecording& a = *it->second;
  const detail::RoomTapeRecorder& rec = *a.recorder;
  RoomRecording out;
  out.room = room.second;
  out.out_prefix = a.out_prefix;
  out.sample_rate_hz = config_.room_rate_hz;
  out.started_ms = a.started_ms;
  out.stopped_ms = a.stop_reason.empty() ? now_ms_ : a.stopped_ms;
  out.stop_reason = a.stop_reason.empty() ? reason : a.stop_reason;
  out.mix.assign(rec.mix().begin(), rec.mix().end());
  out.legs_untracked = rec.some_legs_untracked();
  for (const auto& t : rec.tracks()) {
    if (t.leg == engine::kNoLeg) continue;
    RoomRecording::Track track;
    track.leg = t.leg;
    // Also an ended call (kept for queries): a recording outlives its legs.
    for (const auto& [id, c] : calls_)
      if (c->leg == t.leg) {
        track.call = id;
        track.caller_id = c->caller_id;
        track.name = c->name;
      }
    track.samples.assign(t.samples.begin(), t.samples.begin() + static_cast<std::ptrdiff_t>(rec.recorded_samples()));
    out.tracks.push_back(std::move(track));
  }
  const auto ms = static_cast<std::int64_t>(out.mix.size()) * 1000 / out.sample_rate_hz;
  emit(kNoCall, room.first, event::RecordingFinished{room.second, out.out_prefix, out.stop_reason, out.tracks.size(), ms});
  finished_recordings_.push_back(std::move(out));
  recordings_.erase(it);
}

void ConferenceService::on_engine_room_gone(engine::RoomId room) {
  for (auto it = recordings_.begin(); it != recordings_.end();) {
    auto next = std::next(it);
    if (it->second->engine_room == room) finish_recording(it->first, "room closed");
    it = next;
  }
}

}  // namespace libconf::service
