// Setting up a story: the tenant and its rooms, the service's configuration
// and prompts, and each phone's voice (file or tone, with in-band DTMF).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "libconf/audio/level.hpp"
#include "libconf/dsp/dtmf_generator.hpp"
#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/menu.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/file_transport.hpp"
#include "libconf/scenario/story_run.hpp"

namespace libconf::scenario::detail {

namespace {

std::int64_t to_us(double s) { return static_cast<std::int64_t>(std::llround(s * kUsPerS)); }

room::ConferenceOptions story_conference_options() {
  room::ConferenceOptions co;
  co.pin_hash = room::PinHashParams::minimum();  // a story is a test bench, not a vault
  return co;
}

void build_input(Phone& p, const StoryInput& in, const std::vector<StoryDtmf>& dtmf, const Story& story,
                 std::size_t total) {
  p.input.assign(total, 0);
  if (!in.file.empty()) {
    AudioBuffer b;
    try {
      b = read_audio_file(in.file, p.rate);
    } catch (const Error& e) {
      throw Error(e.code_enum(), story.source + ": '" + p.name + "'.input: " + e.detail());
    }
    const double start_s = p.call_spec ? p.call_spec->at_s : 0.0;
    const auto at = static_cast<std::size_t>(std::llround(start_s * p.rate));
    for (std::size_t i = 0; i < b.samples.size() && at + i < total; ++i) p.input[at + i] = b.samples[i];
  } else if (in.tone_hz > 0) {
    const double amp = audio::db_to_gain(in.tone_dbfs) * 32767.0 * std::numbers::sqrt2;
    const double w = 2.0 * std::numbers::pi * in.tone_hz / p.rate;
    for (std::size_t i = 0; i < total; ++i) {
      const double t = static_cast<double>(i) / p.rate;
      bool on = in.talk.empty();
      for (const auto& [a, b] : in.talk) on = on || (t >= a && t < b);
      if (on) p.input[i] = static_cast<std::int16_t>(std::lround(amp * std::sin(w * static_cast<double>(i))));
    }
  }
  for (const StoryDtmf& d : dtmf) {
    dsp::DtmfGeneratorConfig g;
    g.sample_rate_hz = p.rate;
    dsp::DtmfGenerator gen(g);
    if (!gen.queue(d.digits))
      throw Error(errc::invalid_argument, story.source + ": '" + p.name + "'.dtmf '" + d.digits + "'");
    std::vector<std::int16_t> tones(d.digits.size() * static_cast<std::size_t>(p.rate / 1000 * 200));
    gen.generate(tones);
    const auto at = static_cast<std::size_t>(std::llround(d.at_s * p.rate));
    for (std::size_t i = 0; i < tones.size() && at + i < total; ++i)
      p.input[at + i] = static_cast<std::int16_t>(std::clamp(p.input[at + i] + tones[i], -32768, 32767));
  }
}

// Creates the output folder; the path of its event log.
std::filesystem::path events_file(const std::filesystem::path& out_dir) {
  std::error_code fs_error;
  std::filesystem::create_directories(out_dir, fs_error);
  if (fs_error) throw Error(errc::io_error, out_dir.string() + ": cannot create output folder: " + fs_error.message());
  return out_dir / "events.jsonl";
}

}  // namespace

EventLog::EventLog(const std::filesystem::path& path) : out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) throw Error(errc::io_error, path.string() + ": cannot write");
}

StoryRun::StoryRun(const Story& story, const std::filesystem::path& out_dir)
    : story_(story),
      out_dir_(out_dir),
      clock_(std::make_shared<engine::VirtualClock>(0)),
      codecs_(codec::CodecRegistry::with_builtin_codecs()),
      conference_(story_conference_options()),
      console_{story.tenant, room::Role::superuser, room::kConsole},
      log_(events_file(out_dir)) {
  engine::EngineConfig ec;
  ec.workers = 1;
  ec.ptime_ms = kStoryPtimeMs;
  ec.clock = clock_;
  engine_ = std::make_unique<engine::Engine>(std::move(ec));
  set_up_conference();
  service_ = std::make_unique<service::ConferenceService>(*engine_, conference_, service_config(), prompts(),
                                                          service::HostInterfaces{this, this, nullptr});
  for (const auto& [owner, members] : story_.groups) service_->set_group(story_.tenant, owner, members);
  build_phones();
  result_.out_dir = out_dir_;
}

void StoryRun::set_up_conference() {
  (void)conference_.create_tenant(story_.tenant, room::TenantQuota{story_.max_participants, story_.max_rooms}, 0);
  for (std::size_t i = 0; i < story_.rooms.size(); ++i) {
    const StoryRoom& r = story_.rooms[i];
    const std::string where = story_.source + ": rooms[" + std::to_string(i) + "]";
    room::RoomConfig rc;
    rc.name = r.name;
    rc.topic = r.topic;
    rc.max_members = r.max_members;
    rc.when_full = r.when_full == "overflow" ? room::FullPolicy::overflow : room::FullPolicy::route_to_operator;
    rc.wait_for_moderator = r.wait_for_moderator;
    rc.end_with_last_moderator = r.end_with_last_moderator;
    rc.end_grace_ms = static_cast<std::int64_t>(r.end_grace_s * 1000);
    try {
      if (auto ok = conference_.create_room(console_, rc, 0); !ok)
        throw Error(ok.error().value() ? static_cast<errc>(ok.error().value()) : errc::invalid_argument,
                    where + ".name: '" + r.name + "': " + ok.error().message());
      const std::pair<room::PinKind, const std::string*> pins[] = {{room::PinKind::participant, &r.pin},
                                                                   {room::PinKind::moderator, &r.moderator_pin},
                                                                   {room::PinKind::listener, &r.listener_pin}};
      for (const auto& [kind, pin] : pins) {
        if (pin->empty()) continue;
        if (auto ok = conference_.set_pin(console_, r.name, kind, *pin, 0); !ok)
          throw Error(static_cast<errc>(ok.error().value()),
                      where + ": " + std::string(kind == room::PinKind::moderator ? "moderator_pin" : "a PIN") + ": " +
                          ok.error().message());
      }
    } catch (const Error& e) {
      throw Error(e.code_enum(), e.detail().rfind(where, 0) == 0 ? e.detail() : where + ": " + e.detail());
    }
  }
}

service::ServiceConfig StoryRun::service_config() const {
  service::ServiceConfig sc;
  sc.default_tenant = story_.tenant;
  sc.room_rate_hz = story_.room_rate_hz;
  sc.dial_out_allowed = story_.dial_out_allowed;
  sc.answer_mode = story_.answer_mode;
  if (!story_.routes_json.empty()) sc.router = ivr::DidRouter::parse(story_.routes_json, story_.source + ": routes");
  for (const auto& [name, path] : story_.menus)
    sc.menus[name] = std::make_shared<const ivr::Menu>(ivr::Menu::load_file(path));
  return sc;
}

service::PromptLibrary StoryRun::prompts() const {
  service::PromptLibrary prompts(story_.room_rate_hz);
  for (const auto& [id, path] : story_.prompts) {
    AudioBuffer b;
    try {
      b = read_audio_file(path);
    } catch (const Error& e) {
      throw Error(e.code_enum(), story_.source + ": prompts." + id + ": " + e.detail());
    }
    auto p = std::make_shared<engine::Prompt>();
    p->samples = std::move(b.samples);
    p->sample_rate_hz = b.sample_rate_hz;
    prompts.set(id, std::move(p));
  }
  return prompts;
}

void StoryRun::build_phones() {
  const std::int64_t ptime_us = kStoryPtimeMs * 1000;
  ticks_ = static_cast<std::uint64_t>((to_us(story_.duration_s) + ptime_us - 1) / ptime_us);
  end_us_ = static_cast<std::int64_t>(ticks_) * ptime_us;
  phones_.resize(story_.calls.size() + story_.dial_targets.size());
  for (std::size_t i = 0; i < phones_.size(); ++i) {
    Phone& p = phones_[i];
    const bool is_call = i < story_.calls.size();
    if (is_call) {
      p.call_spec = &story_.calls[i];
      p.name = p.call_spec->name;
      p.codec = p.call_spec->codec;
      p.hangup_s = p.call_spec->hangup_s;
    } else {
      p.target = &story_.dial_targets[i - story_.calls.size()];
      p.name = p.target->name;
      p.codec = p.target->codec;
      p.hangup_s = p.target->hangup_s;
    }
    if (!codecs_.contains(p.codec))
      throw Error(errc::unknown_codec, story_.source + ": '" + p.name + "'.codec: unknown codec '" + p.codec + "'");
    p.rate = engine::natural_codec_rate(p.codec, 0, story_.room_rate_hz);
    const auto total = static_cast<std::size_t>(end_us_ * p.rate / kUsPerS);
    build_input(p, is_call ? p.call_spec->input : p.target->input, is_call ? p.call_spec->dtmf : p.target->dtmf, story_,
                total);
    p.heard.assign(total, 0);
  }
}

engine::LegConfig StoryRun::make_leg(Phone& p, std::int64_t now_us) {
  codec::CodecParams params;
  params.sample_rate_hz = p.rate;
  params.ptime_ms = kStoryPtimeMs;
  auto enc = codecs_.create(p.codec, params);
  auto dec = codecs_.create(p.codec, params);
  if (!enc || !dec)
    throw Error(errc::codec_error, story_.source + ": '" + p.name + "': codec " + p.codec + " at " +
                                       std::to_string(p.rate) + " Hz");
  const auto first = static_cast<std::size_t>(now_us * p.rate / kUsPerS);
  engine::LegConfig lc;
  lc.name = p.name;
  lc.codec = p.codec;
  lc.codec_rate_hz = p.rate;
  // Steady test tones look like line noise to talker detection (by design),
  // so a tone phone is mixed whenever it is unmuted, as in the engine's tests.
  const StoryInput& in = p.call_spec ? p.call_spec->input : p.target->input;
  if (in.tone_hz > 0 || in.file.empty()) {
    lc.processing.agc = false;
    lc.processing.talker_detection = false;
  }
  lc.transport = std::make_unique<FileTransport>(std::move(*enc), std::move(*dec),
                                                 std::span<const std::int16_t>(p.input).subspan(first), now_us,
                                                 p.heard, 0, kStoryPtimeMs);
  p.started = true;
  return lc;
}

}  // namespace libconf::scenario::detail
