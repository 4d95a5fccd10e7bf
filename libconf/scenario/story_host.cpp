// The simulated host of a story: what a SIP host does with real phones, done
// with FileTransport legs on a virtual clock. It places calls when the story
// says, hangs up phones the service ends (CallControl::hang_up), rings dial
// targets and reports their progress (Dialer), carries out transfers, and
// pumps the engine's events into the service every tick.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>

#include "libconf/scenario/json_text.hpp"
#include "libconf/scenario/story_run.hpp"

namespace libconf::scenario::detail {

namespace json = boost::json;

namespace {

constexpr double kBusyAfterS = 1.0;      // a busy or unknown number fails this long after the dial
constexpr double kTransferAfterS = 1.0;  // the far end accepts a transfer this long after it is asked

std::int64_t to_us(double s) { return static_cast<std::int64_t>(std::llround(s * kUsPerS)); }
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

void EventLog::line(const json::object& o) { out_ << detail::to_json_text(o) << '\n'; }

double StoryRun::story_time_s() const { return round3(static_cast<double>(clock_->now_us()) / kUsPerS); }

Phone* StoryRun::phone_named(const std::string& name) {
  for (Phone& p : phones_)
    if (p.name == name) return &p;
  return nullptr;
}

// The story gives every call its phone's name as the host's id (external_id),
// so a CallControl request finds its phone even before the CallId is known.
Phone* StoryRun::phone_of(const service::CallRef& call) {
  for (Phone& p : phones_)
    if (p.name == call.external_id) return &p;
  return nullptr;
}

service::CallId StoryRun::call_of(const std::string& name) {
  const Phone* p = phone_named(name);
  return p && p->started && !p->ended ? p->call : service::kNoCall;
}

std::string StoryRun::name_of_call(service::CallId id) const {
  for (const Phone& p : phones_)
    if (p.call == id && id != service::kNoCall) return p.name;
  return {};
}

// ---- CallControl ---------------------------------------------------------------

void StoryRun::answer(const service::CallRef& call) {
  Phone* p = phone_of(call);
  if (p) p->answered = true;
  log_.line(json::object{{"t", story_time_s()}, {"event", "host_answer"}, {"phone", p ? p->name : ""}});
}

void StoryRun::early_media(const service::CallRef& call) {
  Phone* p = phone_of(call);
  log_.line(json::object{{"t", story_time_s()}, {"event", "host_early_media"}, {"phone", p ? p->name : ""}});
}

void StoryRun::hang_up(const service::CallRef& call, const service::HangupReason& reason) {
  Phone* p = phone_of(call);
  json::object o{{"t", story_time_s()}, {"event", "host_hang_up"}, {"phone", p ? p->name : ""},
                 {"cause", service::to_string(reason.cause)}, {"text", reason.text}};
  if (p) {
    p->ended = true;
    p->ended_by_service = reason;
    // What a SIP host sends: BYE on an answered call, else a final response.
    if (p->answered) {
      o["sip"] = "BYE";
    } else {
      o["sip"] = service::sip_status(reason.cause);
    }
  }
  log_.line(o);
}

void StoryRun::transfer(const service::CallRef& call, const std::string& target) {
  transfers_.push_back(PendingTransfer{call.id, clock_->now_us() + to_us(kTransferAfterS)});
  log_.line(json::object{{"t", story_time_s()}, {"event", "host_transfer"}, {"call", std::string(call.external_id)},
                         {"target", target}});
}

// ---- Dialer ----------------------------------------------------------------------

Result<service::DialId> StoryRun::dial(const service::DialRequest& request) {
  const StoryDialTarget* t = nullptr;
  for (const auto& x : story_.dial_targets)
    if (x.number == request.number) t = &x;
  const service::DialId id = next_dial_++;
  dials_.push_back(PendingDial{id, t, request.number, clock_->now_us(), false});
  log_.line(json::object{{"t", story_time_s()}, {"event", "host_dial"}, {"number", request.number},
                         {"caller_id", request.caller_id}, {"room", request.room}});
  return id;
}

void StoryRun::cancel(service::DialId id) {
  std::erase_if(dials_, [&](const PendingDial& p) { return p.id == id; });
}

// ---- one tick --------------------------------------------------------------------

void StoryRun::start_and_end_calls(std::int64_t now_us) {
  for (Phone& p : phones_) {
    if (p.call_spec && !p.started && now_us >= to_us(p.call_spec->at_s)) {
      engine::LegConfig lc = make_leg(p, now_us);
      auto id = p.call_spec->operator_phone
                    ? service_->operator_call(p.call_spec->caller_id, std::move(lc))
                    : service_->incoming_call(
                          service::CallInfo{p.call_spec->did, p.call_spec->caller_id, p.name, p.name, {}},
                          std::move(lc));
      log_.line(json::object{{"t", story_time_s()}, {"event", "call"}, {"phone", p.name},
                             {"result", id ? "ok" : id.error().message()}});
      if (id) {
        if (p.call_spec->operator_phone) p.answered = true;
        p.call = *id;
      } else {
        p.ended = true;
      }
    }
    if (p.started && !p.ended && p.hangup_s && now_us >= to_us(*p.hangup_s)) {
      p.ended = true;
      (void)service_->hangup(p.call);  // not_found: the service ended it in this very tick
    }
  }
}

void StoryRun::progress_dials(std::int64_t now_us) {
  for (auto it = dials_.begin(); it != dials_.end();) {
    const StoryDialTarget* tg = it->target;
    const double since = static_cast<double>(now_us - it->dialed_us) / kUsPerS;
    const service::DialId id = it->id;
    Phone* p = tg ? phone_named(tg->name) : nullptr;
    const bool due = tg && !tg->busy && tg->answer_after_s && since >= *tg->answer_after_s;
    if (!tg && since >= kBusyAfterS) {
      it = dials_.erase(it);
      service_->dial_failed(id, {service::DialFailureCause::unreachable, 404, "Not Found"});
    } else if ((tg && tg->busy && since >= kBusyAfterS) || (due && p->started)) {
      it = dials_.erase(it);  // a busy target, or one already on a call
      service_->dial_failed(id, {service::DialFailureCause::busy, 486, "Busy Here"});
    } else if (due) {
      it = dials_.erase(it);
      auto call = service_->dial_answered(id, make_leg(*p, now_us), p->name);
      if (call) {
        p->call = *call;
        p->answered = true;
      } else {
        p->ended = true;
      }
    } else {
      if (tg && !tg->busy && !it->ringing_reported) {
        it->ringing_reported = true;
        service_->dial_progress(id, service::DialProgress::ringing);
      }
      ++it;
    }
  }
}

void StoryRun::finish_transfers(std::int64_t now_us) {
  for (auto it = transfers_.begin(); it != transfers_.end();) {
    if (it->due_us > now_us) {
      ++it;
      continue;
    }
    const service::CallId call = it->call;
    it = transfers_.erase(it);
    for (Phone& p : phones_)
      if (p.call == call && p.started && !p.ended) p.ended = true;  // the phone talks to the target now
    (void)service_->transfer_result(call, true);  // not_found: it hung up meanwhile
  }
}

void StoryRun::pump_engine() {
  engine_->tick().value();
  for (std::size_t n; (n = engine_->poll_events(engine_events_)) > 0;) {
    for (std::size_t i = 0; i < n; ++i) {
      const engine::Event& e = engine_events_[i];
      json::object o{{"t", round3(static_cast<double>(e.time_us) / kUsPerS)}, {"event", engine::to_string(e.kind)}};
      if (e.room != engine::kNoRoom) o["room_id"] = e.room;
      if (auto c = service_->call_of_leg(e.leg)) o["call"] = name_of_call(*c);
      // Digits are logged by the service (digit_received), which masks those
      // typed while a PIN is collected; the engine's own lines carry none.
      if (e.kind == engine::EventKind::command_failed) o["error"] = make_error_code(e.error).message();
      log_.line(o);
    }
    service_->on_engine_events(std::span<const engine::Event>(engine_events_.data(), n));
  }
}

StoryResult StoryRun::run() {
  for (std::uint64_t t = 0; t < ticks_; ++t) {
    const std::int64_t now = clock_->now_us();
    // PIN checks run on the service's own threads; waiting for them here makes
    // their results land at the same story time on every run.
    if (!service_->wait_for_background(std::chrono::seconds(30)))
      throw Error(errc::timeout, story_.source + ": PIN checks did not finish within 30 s");
    service_->tick(now / 1000);
    start_and_end_calls(now);
    progress_dials(now);
    finish_transfers(now);
    perform_due_actions(now);
    drain_service();
    pump_engine();
    drain_service();
    write_recordings();
  }
  finish();
  write_outputs();
  return std::move(result_);
}

}  // namespace libconf::scenario::detail
