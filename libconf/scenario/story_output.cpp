// A story's outputs: the service's events into events.jsonl (by the
// service's own serialiser), room recordings as WAV files, and at the end
// each phone's state, what it heard, the summary and the CDR.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <fstream>

#include "libconf/audio/level.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/json_text.hpp"
#include "libconf/scenario/story_run.hpp"
#include "libconf/service/event_json.hpp"

namespace libconf::scenario {

namespace json = boost::json;

namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(errc::io_error, p.string() + ": cannot write");
  out << text;
}

}  // namespace

const StoryPhone* StoryResult::phone(std::string_view name) const noexcept {
  for (const auto& p : phones)
    if (p.name == name) return &p;
  return nullptr;
}

const room::LegRecord* StoryResult::cdr_of(std::string_view caller_id) const noexcept {
  for (const auto& r : cdr)
    if (r.caller_id == caller_id) return &r;
  return nullptr;
}

namespace detail {

void StoryRun::drain_service() {
  for (service::ServiceEvent& e : service_->take_events()) {
    json::object o{{"t", round3(static_cast<double>(e.at_ms) / 1000.0)}};
    for (auto& field : service::to_json_object(e)) o.emplace(field.key(), std::move(field.value()));
    if (e.call) o["phone"] = name_of_call(e.call);
    log_.line(o);
    result_.events.push_back(std::move(e));
  }
}

// Finished room recordings become WAV files here, on the host's thread.
void StoryRun::write_recordings() {
  for (service::RoomRecording& rec : service_->take_recordings()) {
    StoryRecording sr;
    sr.room = rec.room;
    sr.prefix = rec.out_prefix;
    sr.sample_rate_hz = rec.sample_rate_hz;
    sr.stop_reason = rec.stop_reason;
    sr.mix_file = out_dir_ / (rec.out_prefix + "-mix.wav");
    write_wav(sr.mix_file, rec.mix, rec.sample_rate_hz);
    for (const auto& t : rec.tracks) {
      std::string who = name_of_call(t.call);
      if (who.empty()) who = "leg-" + std::to_string(t.leg);
      const auto file = out_dir_ / (rec.out_prefix + "-" + who + ".wav");
      write_wav(file, t.samples, rec.sample_rate_hz);
      sr.track_files[who] = file;
    }
    log_.line(json::object{{"t", round3(static_cast<double>(rec.stopped_ms) / 1000.0)},
                           {"event", "recording_written"},
                           {"room", sr.room},
                           {"prefix", sr.prefix},
                           {"tracks", sr.track_files.size()}});
    result_.recordings.push_back(std::move(sr));
  }
}

// The story ends: record each phone's state, then hang everyone up so the CDR is complete.
void StoryRun::finish() {
  for (Phone& p : phones_) {
    StoryPhone sp;
    sp.name = p.name;
    sp.sample_rate_hz = p.rate;
    sp.call = p.call;
    sp.final_state = "never called";
    sp.answered = p.answered;
    sp.ended_by_service = p.ended_by_service;
    if (p.started) {
      if (auto v = service_->call(p.call)) {
        sp.final_state = std::string(service::to_string(v->state));
        sp.room = v->room;
      }
    }
    if (p.started && !p.ended) (void)service_->hangup(p.call);  // not_found: already ended
    result_.phones.push_back(std::move(sp));
  }
  pump_engine();
  drain_service();
  write_recordings();
  result_.cdr = service_->take_cdr();
  result_.moderator_sessions = service_->take_moderator_sessions();
  result_.duration_s = static_cast<double>(end_us_) / kUsPerS;
}

void StoryRun::write_outputs() {
  json::array parts;
  for (std::size_t i = 0; i < phones_.size(); ++i) {
    StoryPhone& sp = result_.phones[i];
    sp.heard = std::move(phones_[i].heard);
    write_wav(out_dir_ / (sp.name + ".wav"), sp.heard, sp.sample_rate_hz);
    parts.push_back(json::object{{"name", sp.name},
                                 {"final_state", sp.final_state},
                                 {"room", sp.room},
                                 {"heard_file", sp.name + ".wav"},
                                 {"heard_level_dbfs", round3(audio::rms_dbfs(sp.heard))}});
  }
  write_text(out_dir_ / "summary.json",
             detail::to_json_text(json::object{{"story", std::filesystem::path(story_.source).filename().string()},
                                          {"duration_s", result_.duration_s},
                                          {"ptime_ms", kStoryPtimeMs},
                                          {"ticks", ticks_},
                                          {"phones", parts}}) +
                 "\n");
  write_text(out_dir_ / "cdr.csv", room::to_csv(result_.cdr));
  write_text(out_dir_ / "cdr.jsonl", room::to_json_lines(result_.cdr));
  write_text(out_dir_ / "moderators.csv", room::to_csv(result_.moderator_sessions));
}

}  // namespace detail
}  // namespace libconf::scenario
