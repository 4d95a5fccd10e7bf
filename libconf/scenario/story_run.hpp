#pragma once
// Internal: one run of a Story. The simulated host: phones on FileTransport
// legs, a CallControl (answers, hang-ups, transfers) and a Dialer (ringing
// dial targets) that behave as a SIP host would, on a virtual clock. Not
// installed. run_story() builds one and calls run().

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/scenario/story.hpp"
#include "libconf/service/conference_service.hpp"

namespace libconf::scenario::detail {

inline constexpr int kStoryPtimeMs = 20;
inline constexpr std::int64_t kUsPerS = 1'000'000;

/// One simulated phone: a call of the story or a dial target.
struct Phone {
  std::string name;
  std::string codec;
  int rate = 8000;
  std::vector<std::int16_t> input;  // from story time 0
  std::vector<std::int16_t> heard;  // from story time 0
  const StoryCall* call_spec = nullptr;
  const StoryDialTarget* target = nullptr;
  service::CallId call = service::kNoCall;
  bool started = false, ended = false;
  bool answered = false;
  std::optional<double> hangup_s;
  std::optional<service::HangupReason> ended_by_service;
};

/// A call the simulated Dialer placed and has not finished with.
struct PendingDial {
  service::DialId id = 0;
  const StoryDialTarget* target = nullptr;  // null: an unknown number
  std::string number;
  std::int64_t dialed_us = 0;
  bool ringing_reported = false;
};

/// A transfer the simulated host carries out one second after it is asked.
struct PendingTransfer {
  service::CallId call = service::kNoCall;
  std::int64_t due_us = 0;
};

/// Writes events.jsonl, one JSON object per line.
class EventLog {
 public:
  explicit EventLog(const std::filesystem::path& path);
  void line(const boost::json::object& o);

 private:
  std::ofstream out_;
};

class StoryRun final : public service::CallControl, public service::Dialer {
 public:
  StoryRun(const Story& story, const std::filesystem::path& out_dir);
  StoryResult run();

  // service::CallControl
  void answer(const service::CallRef& call) override;
  void early_media(const service::CallRef& call) override;
  void hang_up(const service::CallRef& call, const service::HangupReason& reason) override;
  void transfer(const service::CallRef& call, const std::string& target) override;
  // service::Dialer
  Result<service::DialId> dial(const service::DialRequest& request) override;
  void cancel(service::DialId id) override;

 private:
  // Set-up (story_setup.cpp).
  void set_up_conference();
  service::ServiceConfig service_config() const;
  service::PromptLibrary prompts() const;
  void build_phones();
  engine::LegConfig make_leg(Phone& p, std::int64_t now_us);
  // One tick of the story (story_host.cpp).
  void start_and_end_calls(std::int64_t now_us);
  void progress_dials(std::int64_t now_us);
  void finish_transfers(std::int64_t now_us);
  void pump_engine();
  // Actions (story_actions.cpp).
  void perform_due_actions(std::int64_t now_us);
  std::string perform(const StoryAction& a);
  // Output (story_output.cpp).
  void drain_service();
  void write_recordings();
  void finish();
  void write_outputs();

  Phone* phone_named(const std::string& name);
  Phone* phone_of(const service::CallRef& call);
  service::CallId call_of(const std::string& name);
  std::string name_of_call(service::CallId id) const;
  double story_time_s() const;

  const Story& story_;
  std::filesystem::path out_dir_;
  std::shared_ptr<engine::VirtualClock> clock_;
  std::unique_ptr<engine::Engine> engine_;
  codec::CodecRegistry codecs_;
  room::Conference conference_;
  room::Actor console_;
  std::unique_ptr<service::ConferenceService> service_;
  std::vector<Phone> phones_;
  std::vector<PendingDial> dials_;
  std::vector<PendingTransfer> transfers_;
  service::DialId next_dial_ = 1;
  std::uint64_t ticks_ = 0;
  std::int64_t end_us_ = 0;
  std::size_t next_action_ = 0;
  EventLog log_;
  StoryResult result_;
  std::array<engine::Event, 1024> engine_events_{};
};

}  // namespace libconf::scenario::detail
