#pragma once
// Internal: the state the service keeps per call. Not installed.

#include <memory>
#include <optional>
#include <string>

#include "libconf/service/conference_service.hpp"
#include "libconf/service/recorders.hpp"

namespace libconf::service {

struct ConferenceService::Call {
  CallId id = kNoCall;
  std::string tenant;
  std::string caller_id;
  std::string did;
  std::string external_id;
  std::string name;
  room::BillingMode billing = room::BillingMode::caller_pays;
  engine::LegId leg = engine::kNoLeg;
  engine::RoomId lobby = engine::kNoRoom;  // private room: IVR, queue, hold
  engine::RoomId where = engine::kNoRoom;  // engine room the leg is in now
  bool where_listening = false;            // counted as a listener of `where`
  CallState state = CallState::ivr;
  bool is_operator = false;
  bool held = false;
  bool answered = false;
  bool early_media = false;
  std::unique_ptr<ivr::IvrSession> ivr;
  std::optional<ivr::KeyMapMatcher> keys;
  std::optional<std::int64_t> timer;  // the deadline armed in timers_
  engine::PlaybackId prompt = 0;  // IVR prompt whose end the session waits for
  engine::PlaybackId moh = 0;     // music on hold playing in the lobby
  room::ParticipantId participant = 0;
  room::Role role = room::Role::participant;
  std::optional<room::AdmitDecision> pending;  // CheckPin admitted; placed on Join
  std::uint64_t ticket = 0;                    // Conference queue ticket (room full/locked)
  QueueReason queue_reason = QueueReason::operator_number;
  std::string queue_room;  // the room the queued caller asked for
  std::string room;        // conference room (main or side) the leg is in
  std::string listening;   // room listened in to; empty when not listening
  mix::LegMixState mix;
  bool mix_sent = false;
  bool in_queue_cdr = false;
  bool moderator_logged_in = false;
  std::string transfer_target;  // asked of the host, until transfer_result
  // The caller's recorded name (RecordName): recorder while recording, then
  // the announcements "<name> + joined/left" built once at the room's rate.
  std::shared_ptr<detail::TrackRecorder> name_recorder;
  std::int64_t name_deadline_ms = 0;
  engine::PromptPtr joined_prompt;
  engine::PromptPtr left_prompt;
};

struct ConferenceService::ActiveRecording {
  std::string out_prefix;
  engine::RoomId engine_room = engine::kNoRoom;
  std::shared_ptr<detail::RoomTapeRecorder> recorder;
  std::int64_t started_ms = 0;
  std::int64_t stopped_ms = 0;
  std::string stop_reason;  // set when stop was asked; finished on the engine's answer
};

}  // namespace libconf::service
