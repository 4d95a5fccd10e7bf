#pragma once
/// @file
/// ConferenceService: the orchestration that turns the components into a
/// conferencing service. It owns nothing of the media path: it drives the
/// engine::Engine it is given (rooms, legs, prompts), a room::Conference (who
/// may do what), one ivr::IvrSession per caller in the menu, one
/// ivr::KeyMapMatcher per caller in a room, a room::CdrRecorder, and
/// optionally a store::Store (groups, CDR rows). It records callers' names
/// and whole rooms through engine::RoomRecorder objects it preallocates
/// (service/recorders.hpp), and hands recordings to the host as PCM: the
/// service itself does no file I/O.
///
/// Every call has a private engine room (its "lobby") for its whole life: the
/// IVR prompts, the operator queue's music on hold, the wait for a moderator
/// and the hold of a toggled call all play there, to that leg alone. When the
/// call is in a conference room its leg is moved to that room's engine room.
///
/// Threading: single-threaded. The host calls every method from one thread,
/// forwards every engine event through on_engine_events(), and calls tick()
/// at least every 20 ms with a millisecond clock that never goes back.
/// Errors: API calls return Result (not_found for unknown calls/rooms,
/// permission_denied, invalid_argument for hostile input); a refused call
/// changes nothing and is reported as an event. The constructor throws
/// libconf::Error naming a bad configuration value.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libconf/engine/engine.hpp"
#include "libconf/error.hpp"
#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/ivr_session.hpp"
#include "libconf/ivr/key_map_matcher.hpp"
#include "libconf/ivr/menu.hpp"
#include "libconf/room/cdr.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/service/dialer.hpp"
#include "libconf/service/prompt_library.hpp"
#include "libconf/service/room_recording.hpp"
#include "libconf/service/service_event.hpp"
#include "libconf/store/store.hpp"

namespace libconf::service {

/// The calling side of an incoming call, as the host's signalling saw it.
struct CallInfo {
  std::string did;           ///< the dialled number (or service code "*100", "*100XXX")
  std::string caller_id;     ///< E.164 number or SIP URI
  std::string display_name;  ///< may be empty
};

struct ServiceConfig {
  std::string tenant = "default";  ///< the tenant every call of this service belongs to
  ivr::DidRouter router;           ///< dialled number -> way in
  /// Menus by name (DidRoute::menu). "default" and "direct" fall back to the built-in menu.
  std::map<std::string, std::shared_ptr<const ivr::Menu>> menus;
  std::shared_ptr<const ivr::KeyMap> keys;  ///< null: ivr::KeyMap::builtin_default()
  int room_rate_hz = 16000;                 ///< mixing rate of every engine room
  std::size_t max_legs_per_room = 64;
  /// Dial-out allow list: glob patterns ('*' any run, '?' one character) on the
  /// number. Empty: no dial-out at all. Anything not matched is refused (toll fraud).
  std::vector<std::string> dial_out_allowed;
  std::int64_t invite_timeout_ms = 30'000;
  /// Group auto-assembly: the exact service code, and how long each member rings.
  std::string group_code = "*100";
  std::int64_t group_timeout_ms = 15'000;
  bool join_leave_tones = true;  ///< announce joins/leaves: tone, or recorded name + tone
  bool announce_only_participant = true;
  float key_gain_step_db = 3.0f;  ///< volume keys change by this, within +-12 dB
  /// A menu's RecordName records the caller for at most this long ('#' ends
  /// it sooner). The recording, trimmed of leading and trailing silence, is
  /// announced with the join/leave prompts.
  std::int64_t name_max_ms = 3'000;  ///< 500..30000
  /// Upper bound of RecordingLimits::max_duration_ms for room recordings.
  std::int64_t max_recording_ms = 4 * 3'600'000;
};

/// A caller asked for the operator from inside a room (the call_operator key).
struct OperatorRequest {
  CallId call = kNoCall;
  std::string room;
  std::int64_t at_ms = 0;
};

enum class CallState { ivr, queued, waiting, in_room, listening, held, ended };
std::string_view to_string(CallState state) noexcept;

/// A snapshot of one call.
struct CallView {
  CallId id = kNoCall;
  std::string caller_id;
  std::string did;
  CallState state = CallState::ivr;
  std::string room;  ///< conference room (or the room listened to); empty otherwise
  room::ParticipantId participant = 0;
  room::Role role = room::Role::participant;
  engine::LegId leg = engine::kNoLeg;
  bool muted = false;
};

class ConferenceService {
 public:
  /// The engine, conference and dialer/store (optional, may be null) must
  /// outlive the service. The tenant must exist in the conference.
  ConferenceService(engine::Engine& engine, room::Conference& conference, ServiceConfig config,
                    PromptLibrary prompts, Dialer* dialer = nullptr, store::Store* store = nullptr);
  ~ConferenceService();
  ConferenceService(const ConferenceService&) = delete;
  ConferenceService& operator=(const ConferenceService&) = delete;

  // ---- calls -----------------------------------------------------------------
  /// A call arrives: routes the DID (menu, room, operator queue, group code).
  /// Errors: not_found (no route for the DID; nothing created),
  /// invalid_argument (caller ID/DID not printable or too long), engine errors.
  Result<CallId> incoming_call(const CallInfo& info, engine::LegConfig leg);
  /// An operator's phone (superuser, already authenticated by the host). It
  /// waits in its private room until it takes a caller or listens in.
  Result<CallId> operator_call(const std::string& name, engine::LegConfig leg);
  /// The caller hung up (or the host ends the call). not_found if unknown.
  Result<void> hangup(CallId call);

  /// Feed every engine event (DTMF, playback ends...). Unknown legs are ignored.
  void on_engine_events(std::span<const engine::Event> events);
  /// Timers: IVR and key timeouts, dial timeouts, room end grace. now_ms is the
  /// engine clock in ms.
  void tick(std::int64_t now_ms);

  // ---- operator ----------------------------------------------------------------
  /// Takes the longest-waiting caller from the operator queue into `room`
  /// (Conference::admit_direct; a superuser may overfill). Needs take_from_queue.
  Result<CallId> take_from_queue(const room::Actor& actor, const std::string& room,
                                 room::Role role = room::Role::participant);
  /// Callers in the operator queue, longest waiting first.
  std::vector<CallId> queue() const;

  // ---- moderation (each checked by the Conference's permissions) --------------
  Result<void> set_muted(const room::Actor& actor, CallId target, bool muted);
  Result<void> mute_all(const room::Actor& actor, const std::string& room);
  Result<void> set_deaf(const room::Actor& actor, CallId target, bool deaf);
  Result<void> kick(const room::Actor& actor, CallId target, const std::string& reason);
  Result<void> move(const room::Actor& actor, CallId target, const std::string& room);
  /// Talk/listen gains of a call, dB within -24..+24 (invalid_argument outside).
  /// A participant may change only its own; moderators anyone's in their tenant.
  Result<void> set_volumes(const room::Actor& actor, CallId target, float talk_gain_db,
                           float listen_gain_db);
  /// Opens a séparée of main_room with these calls; returns its name.
  Result<std::string> create_side_room(const room::Actor& actor, const std::string& main_room,
                                       const std::vector<CallId>& members);
  Result<void> bring_back(const room::Actor& actor, const std::string& side_room);
  /// The listener call (a moderator's or the operator's phone) hears `room`
  /// (main or side) without being heard. Its own seat, if any, is given up.
  Result<void> listen_in(const room::Actor& actor, CallId listener, const std::string& room);
  /// Ends listening: the listener returns to its private room.
  Result<void> stop_listen_in(CallId listener);
  /// `from` talks to `to` alone (coaching). Both must be in the same room
  /// (e.g. the operator listening in). Needs whisper.
  Result<void> whisper(const room::Actor& actor, CallId from, CallId to);
  Result<void> stop_whisper(CallId from, CallId to);
  Result<void> set_locked(const room::Actor& actor, const std::string& room, bool locked);
  Result<void> set_max_members(const room::Actor& actor, const std::string& room, int max_members);
  /// Sets a participant's display name (own: set_own_name; another's:
  /// set_name, e.g. a moderator naming a caller). A text name replaces a
  /// recorded one: from then on joins and leaves are announced by the tone
  /// alone. invalid_argument for text the Conference refuses.
  Result<void> set_name(const room::Actor& actor, CallId target, const std::string& name);
  /// Callers who pressed the call_operator key and were not attended yet,
  /// oldest first. A request is attended when an operator or moderator
  /// listens in to its room, or the call ends.
  std::vector<OperatorRequest> operator_requests() const;

  // ---- recording --------------------------------------------------------------
  /// Records `room` (main or side, someone must be in it): the mix and one
  /// track per leg, at the room's rate, into memory preallocated here. Needs
  /// Action::record. out_prefix names the recording for the host's files
  /// (1..64 of [A-Za-z0-9_-], not starting with '-'). Errors:
  /// permission_denied, not_found (room unknown), invalid_state (nobody in
  /// it), already_exists (recording), invalid_argument (prefix or limits).
  Result<void> start_room_recording(const room::Actor& actor, const std::string& room,
                                    const std::string& out_prefix, RecordingLimits limits = {});
  /// Stops it. The recording is handed over by take_recordings() once the
  /// engine has let go of the recorder (the next tick). Needs Action::record.
  Result<void> stop_room_recording(const room::Actor& actor, const std::string& room);
  /// True while `room` is being recorded.
  bool recording(const std::string& room) const;
  /// Finished recordings since the last call (stopped, full, or the room closed).
  std::vector<RoomRecording> take_recordings();

  /// The Actor for a call acting from its phone (operator calls: superuser).
  Result<room::Actor> actor_of(CallId call) const;

  // ---- dial-out ---------------------------------------------------------------
  /// Dials `number` into `room` (answered: joins without PIN). Needs invite;
  /// the number must match ServiceConfig::dial_out_allowed. Errors:
  /// permission_denied (role or number not allowed), invalid_argument
  /// (malformed number), invalid_state (no dialer), not_found (room).
  Result<DialId> invite(const room::Actor& actor, const std::string& room, const std::string& number,
                        const std::string& presented_caller_id = {});
  /// The host's callee answered: the callee joins the room (admit_direct).
  Result<CallId> dial_answered(DialId dial, engine::LegConfig leg);
  /// The call failed (busy, rejected, unreachable).
  void dial_failed(DialId dial, const std::string& reason);
  /// In-memory group of an owner's number (used when the store has none).
  void set_group(const std::string& owner_number, std::vector<std::string> members);

  // ---- ad-hoc three-party and toggling -----------------------------------------
  /// Puts a call in a room on hold: music on hold in its private room.
  Result<void> hold(CallId call);
  /// Returns a held call to its room.
  Result<void> resume(CallId call);

  // ---- queries and records ------------------------------------------------------
  Result<CallView> call(CallId call) const;
  std::vector<CallView> calls() const;
  std::optional<CallId> call_of_leg(engine::LegId leg) const;
  /// Engine room of a conference room (kNoRoom when it has no engine room now).
  engine::RoomId engine_room(const std::string& room) const;
  /// Events since the last call, oldest first.
  std::vector<ServiceEvent> take_events();
  /// Finished CDR legs / moderator sessions since the last call (also appended
  /// to the store when one was given).
  std::vector<room::LegRecord> take_cdr();
  std::vector<room::ModeratorSession> take_moderator_sessions();
  std::int64_t now_ms() const noexcept { return now_ms_; }

 private:
  struct Call;
  struct ActiveRecording;
  struct Dial {
    std::string room;
    std::string number;
    room::Actor actor;
    std::int64_t deadline_ms = 0;
  };
  Call* find(CallId id);
  const Call* find(CallId id) const;
  Call& new_call(const std::string& caller_id, const std::string& did, engine::LegConfig& leg,
                 Result<engine::LegId>& added);
  void start_ivr(Call& c, std::shared_ptr<const ivr::Menu> menu, std::string_view preset_room);
  void apply(Call& c, std::span<const ivr::Action> actions);
  void play_to(Call& c, std::string_view prompt_id, bool loop);
  void stop_prompt(Call& c);
  void enqueue(Call& c, std::uint64_t ticket, const std::string& reason);
  void place(Call& c, const room::AdmitDecision& d);
  void sync();
  void sync_call(Call& c);
  engine::RoomId ensure_engine_room(const std::string& room);
  void close_unused_rooms();
  void end_call(Call& c, room::ExitReason reason, const std::string& detail);
  void on_key(Call& c, const ivr::KeyEvent& k);
  void start_name_recording(Call& c);
  void finish_name_recording(Call& c, const std::string& why);
  void announce(Call& c, const std::string& room, bool joined);
  void call_operator(Call& c);
  void finish_recording(const std::string& room, const std::string& reason);
  void on_engine_room_gone(engine::RoomId room);
  void group_call(Call& c);
  Result<DialId> start_dial(const std::string& room, const std::string& number, const std::string& caller_id,
                            const room::Actor& actor, std::int64_t timeout_ms);
  bool dial_allowed(const std::string& number) const;
  void emit(const std::string& kind, CallId call, const std::string& room, const std::string& detail);
  void forward_conference_events();
  std::shared_ptr<const ivr::Menu> menu(const std::string& name) const;

  engine::Engine& engine_;
  room::Conference& conference_;
  ServiceConfig config_;
  PromptLibrary prompts_;
  Dialer* dialer_;
  store::Store* store_;
  room::CdrRecorder cdr_;
  std::map<CallId, std::unique_ptr<Call>> calls_;
  std::map<engine::LegId, CallId> by_leg_;
  std::map<engine::PlaybackId, CallId> playbacks_;
  std::map<std::string, engine::RoomId> rooms_;  // conference room -> engine room
  std::map<std::string, std::unique_ptr<ActiveRecording>> recordings_;  // by conference room
  std::vector<RoomRecording> finished_recordings_;
  std::vector<OperatorRequest> operator_requests_;
  std::map<DialId, Dial> dials_;
  std::map<std::string, std::vector<std::string>> groups_;
  std::deque<CallId> queue_;
  std::vector<ServiceEvent> events_;
  std::vector<room::LegRecord> finished_;
  std::vector<room::ModeratorSession> sessions_;
  CallId next_call_ = 1;
  std::int64_t now_ms_ = 0;
};

}  // namespace libconf::service
