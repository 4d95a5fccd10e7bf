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
/// One service serves many tenants: the dialled number's route names the
/// tenant (ivr::DidRoute::tenant), else CallInfo::tenant, else
/// ServiceConfig::default_tenant. Room names are per tenant; every tenant's
/// quota is the Conference's.
///
/// Every call has a private engine room (its "lobby") for its whole life: the
/// IVR prompts, the operator queue's music on hold, the wait for a moderator
/// and the hold of a toggled call all play there, to that leg alone. When the
/// call is in a conference room its leg is moved to that room's engine room.
///
/// The host's side: it reports what its signalling saw (incoming_call,
/// hangup, dial_progress, dial_answered, dial_failed, transfer_result) and
/// implements CallControl (answer, early media, hang up, transfer) and Dialer
/// (place and cancel outgoing calls), which the service calls. Events
/// (take_events) report; they never instruct.
///
/// Threading: single-threaded. The host calls every method from one thread
/// (the control thread, shared with its SIP stack), forwards every engine
/// event through on_engine_events(), and calls tick() at least every 20 ms
/// with a millisecond clock that never goes back. Nothing here waits on
/// anything slow. Per-tick work grows with what changed, not with the
/// number of calls.
/// Errors: API calls return Result (not_found for unknown calls/rooms,
/// permission_denied, invalid_argument for hostile input); a refused call
/// changes nothing and is reported as an event. The constructor throws
/// libconf::Error naming a bad configuration value.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "libconf/engine/engine.hpp"
#include "libconf/error.hpp"
#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/ivr_session.hpp"
#include "libconf/ivr/key_map_matcher.hpp"
#include "libconf/ivr/menu.hpp"
#include "libconf/room/cdr.hpp"
#include "libconf/room/conference.hpp"
#include "libconf/service/call_control.hpp"
#include "libconf/service/dialer.hpp"
#include "libconf/service/prompt_library.hpp"
#include "libconf/service/room_recording.hpp"
#include "libconf/service/service_event.hpp"
#include "libconf/store/store.hpp"

namespace libconf::service {

namespace detail {
class PinVerifier;
class StoreOutbox;
}

/// The calling side of an incoming call, as the host's signalling saw it.
/// Every text is printable UTF-8 of at most 256 bytes (invalid_argument otherwise).
struct CallInfo {
  std::string did;           ///< the dialled number (or service code "*100", "*100XXX")
  std::string caller_id;     ///< E.164 number or SIP URI
  std::string display_name;  ///< may be empty
  std::string external_id = {};  ///< the host's id of the call (the SIP Call-ID), for logs and the CDR
  std::string tenant = {};       ///< the caller's tenant when the host knows it (a registered phone); else ""
};

struct ServiceConfig {
  /// Names this host in CDR rows and moderator sessions, so that records from
  /// several hosts can be merged (printable, 1..256 bytes).
  std::string host_id = "libconf";
  /// Wall-clock UTC in ms since 1970 for those records. Null: the system clock.
  /// (The service's own timing runs on the monotonic now_ms of tick().)
  std::function<std::int64_t()> utc_now_ms;
  /// The tenant of calls whose DID route names none (and CallInfo none), of
  /// operator phones connected without a tenant, and of the group code. ""
  /// means none: such calls are refused (not_found).
  std::string default_tenant = "default";
  ivr::DidRouter router;  ///< dialled number -> way in (and tenant)
  /// Menus by name (DidRoute::menu). "default" and "direct" fall back to the built-in menu.
  std::map<std::string, std::shared_ptr<const ivr::Menu>> menus;
  std::shared_ptr<const ivr::KeyMap> keys;  ///< null: ivr::KeyMap::builtin_default()
  /// When the service answers (see call_control.hpp).
  AnswerMode answer_mode = AnswerMode::answer_first;
  int room_rate_hz = 16000;                 ///< mixing rate of every engine room
  std::size_t max_legs_per_room = 64;
  /// Dial-out allow list: glob patterns on the number, where '*' matches any
  /// run of digits and '?' one digit ('+', '*' and '#' in a number match only
  /// themselves). Empty: no dial-out at all. Anything not matched is refused (toll fraud).
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
  /// PIN checks (Argon2id) run on this many threads of their own, never on
  /// the service's thread: hashing memory is bounded by threads x the hashes'
  /// memory cost. 0: they run inside tick() on the service's thread (the
  /// deterministic baseline; bench/service compares both). 0..16.
  int pin_check_threads = 2;
  /// PIN checks waiting for a thread at most; a caller beyond it takes the
  /// menu's locked-out way (the operator). 1..100000.
  std::size_t max_pending_pin_checks = 256;
  /// Store requests (CDR rows, sessions, moderators' changes, reads) queued
  /// for the store's own thread at most; beyond it a write is refused with a
  /// store_failed event (dropped). 1..10000000.
  std::size_t max_store_queue = 100'000;
  /// How long the destructor waits for queued store writes to finish, ms
  /// (call flush_store() earlier to know the outcome). 0..600000.
  std::int64_t store_flush_ms = 5'000;
};

/// What the service calls on the host. Each may be null: without CallControl
/// the service ends calls by itself (tests, the Python bindings), without a
/// Dialer nothing is dialled (invalid_state), without a Store nothing is
/// stored. Each must outlive the service. The Store is used by the service's
/// store thread only (its outbox): give the service a Store object of its
/// own (e.g. its own SqliteStore on the same file), never one another thread uses.
struct HostInterfaces {
  CallControl* control = nullptr;
  Dialer* dialer = nullptr;
  store::Store* store = nullptr;
};

/// Moderators' changes (lock, PINs, maximum size, the names they give callers)
/// are written to the store, when there is one, through the outbox; a restarted
/// host loads them with store::load_conference(), and a named caller gets its
/// name back when it calls again.

/// A caller asked for the operator from inside a room (the call_operator key).
struct OperatorRequest {
  CallId call = kNoCall;
  std::string tenant;
  std::string room;
  std::int64_t at_ms = 0;
};

/// A snapshot of one call.
struct CallView {
  CallId id = kNoCall;
  std::string tenant;
  std::string caller_id;
  std::string did;
  std::string external_id;
  CallState state = CallState::ivr;
  std::string room;  ///< conference room (or the room listened to); empty otherwise
  room::ParticipantId participant = 0;
  room::Role role = room::Role::participant;
  engine::LegId leg = engine::kNoLeg;
  bool muted = false;
  bool answered = false;  ///< CallControl::answer was called (or the host answered: operator, dial-out)
};

class ConferenceService {
 public:
  /// The engine and the conference must outlive the service.
  ConferenceService(engine::Engine& engine, room::Conference& conference, ServiceConfig config,
                    PromptLibrary prompts, HostInterfaces host = {});
  ~ConferenceService();
  ConferenceService(const ConferenceService&) = delete;
  ConferenceService& operator=(const ConferenceService&) = delete;

  // ---- calls -----------------------------------------------------------------
  /// A call arrives: routes the DID (menu, room, operator queue, group code)
  /// and answers it or opens early media (ServiceConfig::answer_mode).
  /// Errors: not_found (no route for the DID, or its tenant is unknown;
  /// nothing created), invalid_argument (a CallInfo text not printable
  /// UTF-8 or too long), engine errors.
  Result<CallId> incoming_call(const CallInfo& info, engine::LegConfig leg);
  /// An operator's phone (superuser of `tenant`, default_tenant when empty;
  /// answered and authenticated by the host). It waits in its private room
  /// until it takes a caller or listens in.
  Result<CallId> operator_call(const std::string& name, engine::LegConfig leg, const std::string& tenant = {});
  /// The caller hung up (or the host ends the call). not_found if unknown.
  Result<void> hangup(CallId call);

  /// Feed every engine event (DTMF, playback ends...). Unknown legs are ignored.
  void on_engine_events(std::span<const engine::Event> events);
  /// Timers: IVR and key timeouts, dial timeouts, room end grace; and the
  /// results of PIN checks finished off the thread. now_ms is the engine clock in ms.
  void tick(std::int64_t now_ms);
  /// Blocks until every PIN check handed to the verifier threads so far has
  /// finished, or the timeout; true when they have. For hosts on a virtual
  /// clock (the file host, tests) that want results at a deterministic tick;
  /// a real-time host never calls it.
  bool wait_for_background(std::chrono::milliseconds timeout);
  /// Blocks until every store request queued so far has been carried out (or
  /// given up), or the timeout; then runs their completions and reports
  /// (events) as tick() would. True when nothing is left. For a host's orderly
  /// shutdown (SIGTERM: hang up every call, then flush the CDR).
  bool flush_store(std::chrono::milliseconds timeout);

  // ---- operator ----------------------------------------------------------------
  /// Takes the actor's tenant's longest-waiting caller from the operator queue
  /// into `room` (Conference::admit_direct; a superuser may overfill). Needs take_from_queue.
  Result<CallId> take_from_queue(const room::Actor& actor, const std::string& room,
                                 room::Role role = room::Role::participant);
  /// Callers of `tenant` in the operator queue, longest waiting first.
  std::vector<CallId> queue(const std::string& tenant) const;
  /// Sends a call out of the bridge to `number` (REFER/302 by the host's
  /// CallControl). Needs Action::transfer over the call's room (the
  /// superuser); the number must match dial_out_allowed. The call stays until
  /// the host reports transfer_result().
  Result<void> transfer(const room::Actor& actor, CallId call, const std::string& number);
  /// The host's outcome of CallControl::transfer: ok ends the call
  /// (ExitReason::transferred, no hang_up), a failure leaves it where it was.
  Result<void> transfer_result(CallId call, bool ok);

  // ---- moderation (each checked by the Conference's permissions) --------------
  Result<void> set_muted(const room::Actor& actor, CallId target, bool muted);
  Result<void> mute_all(const room::Actor& actor, const std::string& room);
  Result<void> set_deaf(const room::Actor& actor, CallId target, bool deaf);
  Result<void> kick(const room::Actor& actor, CallId target, const std::string& reason);
  Result<void> move(const room::Actor& actor, CallId target, const std::string& room);
  /// Talk/listen gains of a call, dB within -24..+24 (invalid_argument outside).
  /// A participant may change only its own; moderators those in the rooms they moderate.
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
  /// Changes a main room's PIN of `kind` ("" clears it). Needs Action::create_room
  /// over the room (the superuser). The PIN is hashed off the service's thread
  /// (and compared with the room's other PINs there); the outcome comes as an
  /// event: pin_changed, or pin_change_failed (already_exists: it is another
  /// role's PIN; invalid_state: the room's PINs changed meanwhile, try again).
  /// Errors now: permission_denied, not_found, invalid_argument (not 4..16 digits).
  Result<void> set_pin(const room::Actor& actor, const std::string& room, room::PinKind kind,
                       const std::string& pin);
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
  /// Records `room` (main or side, someone must be in it) of the actor's
  /// tenant: the mix and one track per leg, at the room's rate, into memory
  /// preallocated here. Needs Action::record over the room. out_prefix names
  /// the recording for the host's files (1..64 of [A-Za-z0-9_-], not starting
  /// with '-'). Errors: permission_denied, not_found (room unknown),
  /// invalid_state (nobody in it), already_exists (recording),
  /// invalid_argument (prefix or limits).
  Result<void> start_room_recording(const room::Actor& actor, const std::string& room,
                                    const std::string& out_prefix, RecordingLimits limits = {});
  /// Stops it. The recording is handed over by take_recordings() once the
  /// engine has let go of the recorder (the next tick). Needs Action::record.
  Result<void> stop_room_recording(const room::Actor& actor, const std::string& room);
  /// True while `room` of `tenant` is being recorded.
  bool recording(const std::string& tenant, const std::string& room) const;
  /// Finished recordings since the last call (stopped, full, or the room closed).
  std::vector<RoomRecording> take_recordings();

  /// The Actor for a call acting from its phone (operator calls: superuser).
  Result<room::Actor> actor_of(CallId call) const;

  // ---- dial-out ---------------------------------------------------------------
  /// Dials `number` into `room` of the actor's tenant (answered: joins without
  /// PIN). Needs invite over the room; the number must match
  /// ServiceConfig::dial_out_allowed. Errors: permission_denied (role, room
  /// or number not allowed), invalid_argument (malformed number),
  /// invalid_state (no dialer), not_found (room).
  Result<DialId> invite(const room::Actor& actor, const std::string& room, const std::string& number,
                        const std::string& presented_caller_id = {});
  /// The callee's phone rings or plays early media (events only; the timeout runs on).
  void dial_progress(DialId dial, DialProgress progress);
  /// The host's callee answered: the callee joins the room (admit_direct).
  /// external_id is the host's id of the new call (SIP Call-ID).
  Result<CallId> dial_answered(DialId dial, engine::LegConfig leg, const std::string& external_id = {});
  /// The call did not connect.
  void dial_failed(DialId dial, const DialFailure& failure);
  /// In-memory group of an owner's number in `tenant` (used when the store has none).
  void set_group(const std::string& tenant, const std::string& owner_number, std::vector<std::string> members);

  // ---- ad-hoc three-party and toggling -----------------------------------------
  /// Puts a call in a room on hold: music on hold in its private room.
  Result<void> hold(CallId call);
  /// Returns a held call to its room.
  Result<void> resume(CallId call);

  // ---- queries and records ------------------------------------------------------
  Result<CallView> call(CallId call) const;
  std::vector<CallView> calls() const;
  std::optional<CallId> call_of_leg(engine::LegId leg) const;
  /// True while the leg's call is in a menu state that collects a PIN: a host
  /// that logs raw engine DTMF events masks this leg's digits.
  bool collecting_pin(engine::LegId leg) const;
  /// Engine room of a conference room (kNoRoom when it has no engine room now).
  engine::RoomId engine_room(const std::string& tenant, const std::string& room) const;
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
  /// A conference room of a tenant.
  using RoomRef = std::pair<std::string, std::string>;
  struct EngineRoom {
    engine::RoomId id = engine::kNoRoom;
    int legs = 0;       // calls whose leg is in it
    int listeners = 0;  // of them, listening in
  };
  struct Dial {
    std::string tenant;
    std::string room;
    std::string number;
    room::Actor actor;
    std::int64_t deadline_ms = 0;
  };
  enum class AdmitVia { direct, ivr_pin, ivr_join };
  /// A PIN check begun for a call in the menu.
  struct PinWait {
    CallId call = kNoCall;
    std::string room;
  };

  Call* find(CallId id);
  const Call* find(CallId id) const;
  Call* find_participant(room::ParticipantId pid);
  Result<std::reference_wrapper<Call>> new_call(const std::string& tenant, const std::string& caller_id,
                                               const std::string& did, engine::LegConfig& leg);
  void start_ivr(Call& c, std::shared_ptr<const ivr::Menu> menu, std::string_view preset_room);
  void apply(Call& c, std::span<const ivr::Action> actions);
  void check_pin(Call& c, const std::string& room, std::string_view pin);
  void store_write(std::string what, std::function<Result<void>(store::Store&)> run);
  void store_read(std::string what, std::function<Result<void>(store::Store&)> run,
                  std::function<void(const Result<void>&)> done);
  void take_store_reports();
  void persist_room(const std::string& tenant, const std::string& room);
  void recall_name(Call& c);
  void finish_pin_changes();
  room::CallOrigin origin(const Call& c) const;
  void schedule_pin_check(room::PinCheck check);
  void submit_pin_check(room::PinCheck check);
  void finish_pin_checks();
  void admitted(Call& c, const std::string& room, const Result<room::AdmitDecision>& d, AdmitVia via);
  void play_to(Call& c, std::string_view prompt_id, bool loop);
  void stop_prompt(Call& c);
  void enqueue(Call& c, std::uint64_t ticket, QueueReason reason, const std::string& room);
  void place(Call& c, const room::AdmitDecision& d);
  void answer(Call& c);
  void mark(Call& c);
  void sync();
  void sync_call(Call& c);
  void rearm(Call& c);
  void relocate(Call& c, engine::RoomId target, bool listening);
  engine::RoomId ensure_engine_room(const std::string& tenant, const std::string& room);
  void close_unused_rooms();
  void end_call(Call& c, room::ExitReason reason, const std::string& detail, std::optional<HangupCause> tell_host);
  void on_digit(Call& c, char digit);
  void on_timer(Call& c);
  void on_key(Call& c, const ivr::KeyEvent& k);
  void start_name_recording(Call& c);
  void finish_name_recording(Call& c, const std::string& why);
  void announce(Call& c, const std::string& room, bool joined);
  void call_operator(Call& c);
  void finish_recording(const RoomRef& room, const std::string& reason);
  void on_engine_room_gone(engine::RoomId room);
  void group_call(Call& c);
  void dial_group(const std::string& tenant, const std::string& room, const std::string& owner,
                  const std::vector<std::string>& members);
  Result<DialId> start_dial(const std::string& tenant, const std::string& room, const std::string& number,
                            const std::string& caller_id, const room::Actor& actor, std::int64_t timeout_ms);
  void cancel_dials_to(const std::string& tenant, const std::string& room);
  /// errc::ok, or why `number` may not be dialled: invalid_argument (malformed),
  /// permission_denied (not on the allow list).
  errc number_refusal(std::string_view number) const;
  void emit(CallId call, const std::string& tenant, EventData data);
  void emit(const Call& c, EventData data);
  void denied(const room::Actor& actor, room::Action action);
  void forward_conference_events();
  std::shared_ptr<const ivr::Menu> menu(const std::string& name) const;

  std::unique_ptr<detail::PinVerifier> verifier_;
  std::unique_ptr<detail::StoreOutbox> outbox_;
  engine::Engine& engine_;
  room::Conference& conference_;
  ServiceConfig config_;
  PromptLibrary prompts_;
  HostInterfaces host_;
  room::CdrRecorder cdr_;
  std::map<CallId, std::unique_ptr<Call>> calls_;
  std::deque<CallId> ended_;  // ended calls kept for queries, oldest first
  std::map<engine::LegId, CallId> by_leg_;
  std::map<room::ParticipantId, CallId> by_participant_;
  std::map<engine::PlaybackId, CallId> playbacks_;
  std::map<RoomRef, EngineRoom> rooms_;               // conference room -> engine room
  std::map<engine::RoomId, RoomRef> room_of_engine_;  // and back
  std::set<RoomRef> maybe_unused_;                    // rooms whose last leg may have left
  std::set<CallId> dirty_;                            // calls to bring in step with the Conference
  std::set<std::pair<std::int64_t, CallId>> timers_;  // (deadline, call): IVR, keys, names
  std::set<CallId> operators_;                        // operator phones connected
  std::map<RoomRef, std::unique_ptr<ActiveRecording>> recordings_;
  std::vector<RoomRecording> finished_recordings_;
  std::vector<OperatorRequest> operator_requests_;
  std::map<DialId, Dial> dials_;
  std::set<std::pair<std::int64_t, DialId>> dial_deadlines_;
  std::map<RoomRef, std::vector<std::string>> groups_;  // (tenant, owner number) -> members
  std::deque<CallId> queue_;
  std::vector<ServiceEvent> events_;
  std::vector<room::LegRecord> finished_;
  std::vector<room::ModeratorSession> sessions_;
  /// A PIN change hashed off the thread.
  struct PinChange {
    room::Actor actor;
    std::string room;
    room::PinKind kind = room::PinKind::participant;
    std::vector<std::string> others;  // the room's other PIN hashes when it began
  };
  std::map<std::uint64_t, PinChange> pin_changes_;
  std::uint64_t next_pin_change_ = 1;
  std::map<std::uint64_t, PinWait> pin_waits_;                 // by check id: checks not finished
  std::map<std::uint64_t, room::PinCheck> deferred_checks_;    // waiting for their throttle slot
  std::set<std::pair<std::int64_t, std::uint64_t>> deferred_;  // (not_before, check id)
  CallId next_call_ = 1;
  std::int64_t now_ms_ = 0;
};

}  // namespace libconf::service
