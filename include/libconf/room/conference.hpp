#pragma once
/// @file
/// The conference domain model: tenants, rooms with side rooms, participants,
/// the operator queue, and the decision logic the engine applies (admission by PIN
/// and ACL with lock-out, max size and overflow, wait for a moderator, end with
/// the last moderator, séparées). Pure logic: no threads, no audio, no I/O; time
/// comes in as now_ms (any monotonic millisecond clock, never decreasing).
///
/// Thread-safety: none. One owner (the engine's control thread) calls it.
/// Real-time: no. admit() and set_pin() hash with Argon2id (10-15 ms per hash at
/// PinHashParams::standard(), three hashes per PIN check); a control thread
/// that must not wait uses begin_admit / verify_pin_check (any thread) /
/// finish_admit and set_pin_hash instead.
///
/// Errors: runtime outcomes come back as Result (not_found, permission_denied,
/// room_full, quota_exceeded, invalid_state, already_exists); configuration values
/// out of range throw libconf::Error naming the value. A failed call changes nothing.
/// Every call that changes state or is refused for permission emits events,
/// collected until drain_events().

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/events.hpp"
#include "libconf/room/lockout.hpp"
#include "libconf/room/permissions.hpp"
#include "libconf/room/pin.hpp"
#include "libconf/room/pin_throttle.hpp"
#include "libconf/room/role.hpp"
#include "libconf/room/room_config.hpp"

namespace libconf::room {

struct ConferenceOptions {
  /// Cost of PIN hashes made by set_pin(). Production: interactive(); tests: minimum().
  PinHashParams pin_hash = PinHashParams::standard();
  /// Per caller ID within a tenant (all rooms): 3 wrong PINs lock it out 30 s,
  /// then 60 s, 120 s, ... up to 1 h; forgotten after 1 h without failures.
  /// Callers without caller ID ("") share one key.
  LockoutPolicy caller_lockout{3, 30'000, 3'600'000, 3'600'000};
  /// Per room (any callers): after 20 wrong PINs, PIN checks are spaced 3 s
  /// apart, doubling per 20 further failures up to 180 s; a caller waits at
  /// most 30 s for its slot, else goes to the operator. Never refuses a right
  /// PIN that gets a slot (pin_throttle.hpp).
  PinThrottlePolicy room_throttle{20, 3'000, 180'000, 3'600'000, 30'000};
  /// Overflow rooms "<room>-2" .. "<room>-N" at most (N = 1 + this).
  int max_overflow_rooms = 9;
};

/// Who performs an operation. The host builds it after authenticating the person
/// (console login) or with actor_of() for a participant acting by DTMF.
///
/// Authority: a superuser (the operator, a tenant's administrator) acts on
/// every room of its tenant. Anyone else acts only on the room it moderates
/// (or takes part in): that main room, its side rooms and its overflow rooms.
/// For an actor on a call that room is the seat its participant holds
/// (unforgeable); for a console actor that is not a superuser it is `room`,
/// which the host sets after authenticating the person for that room.
struct Actor {
  std::string tenant;
  Role role = Role::participant;
  ParticipantId id = kConsole;  ///< the actor's own participant, or kConsole
  std::string room = {};        ///< console actors below superuser: the main room of their authority
};

struct Participant {
  ParticipantId id = 0;
  std::string tenant;
  std::string caller_id;
  std::string name;
  Role role = Role::participant;
  std::string room;       ///< where the participant is now (a side room is a room too)
  std::string home_room;  ///< the main room whose seat it holds
  bool muted = false;
  bool deaf = false;
  bool waiting = false;   ///< on hold until a moderator joins
  std::int64_t joined_at_ms = 0;
  std::int64_t room_since_ms = 0;  ///< entered `room`
};

/// A snapshot of a room for listing (console, roster).
struct RoomView {
  std::string tenant;
  std::string name;
  std::string topic;
  std::string parent;       ///< the main room of a side room; empty for a main room
  std::string overflow_of;  ///< the room this overflow room relieves; empty otherwise
  bool locked = false;
  int max_members = 0;
  int seats_taken = 0;      ///< present + own members away in side rooms
  std::vector<ParticipantId> members;  ///< present, in order of arrival
  bool moderator_present = false;
  std::optional<std::int64_t> ends_at_ms;  ///< set while the end-with-last-moderator grace runs
};

enum class AdmitOutcome {
  joined,              ///< in the room as `role`
  wait_for_moderator,  ///< in the room, on hold (music) until a moderator joins
  overflow,            ///< joined `room`, an overflow room of the one asked for
  wrong_pin,           ///< try again (the IVR decides how often)
  locked_out,          ///< too many wrong PINs; retry_at_ms says when
  route_to_operator,   ///< in the operator queue (ticket); reason says why
  denied,              ///< the room's ACL refuses this caller
};
std::string_view to_string(AdmitOutcome outcome) noexcept;

struct AdmitRequest {
  std::string tenant;
  std::string room;
  std::string caller_id;  ///< E.164 number or SIP URI, as the host saw it
  std::string pin;        ///< digits entered; empty if none
  std::string name;       ///< display name; empty: the caller ID
};

struct AdmitDecision {
  AdmitOutcome outcome = AdmitOutcome::wrong_pin;
  ParticipantId participant = 0;  ///< set for joined, wait_for_moderator, overflow
  Role role = Role::participant;
  std::string room;               ///< the room joined (the overflow room for overflow)
  std::int64_t retry_at_ms = 0;   ///< locked_out: when PIN entry opens again
  errc reason = errc::ok;         ///< route_to_operator: room_full, room_locked, quota_exceeded, locked_out
  std::uint64_t queue_ticket = 0; ///< route_to_operator
};

/// A caller waiting for the operator, FIFO per tenant.
struct QueueEntry {
  std::uint64_t ticket = 0;
  std::string tenant;
  std::string room;       ///< the room the caller asked for
  std::string caller_id;
  errc reason = errc::ok;
  std::int64_t enqueued_at_ms = 0;
  std::int64_t waited_ms = 0;  ///< filled when taken
};

enum class PinKind { participant, moderator, listener };

/// PIN checks of one room that may wait for their turn (beyond the
/// throttle's max_in_flight); more callers at once take the locked-out way.
inline constexpr std::size_t kMaxWaitingChecksPerRoom = 256;

/// "participant", "moderator", "listener".
std::string_view to_string(PinKind kind) noexcept;

/// Which of a room's PINs the digits matched.
enum class PinMatch { none, moderator, participant, listener };

/// The slow half of a PIN admission: Argon2id verification of the digits
/// against every PIN hash of the room. Plain values, so it can run on any
/// thread (verify_pin_check) while the Conference goes on.
struct PinCheck {
  std::uint64_t id = 0;       ///< names the check to finish_admit / abandon_admit
  std::string pin;            ///< the digits typed (never logged; wipe after use)
  std::string moderator_hash, participant_hash, listener_hash;  ///< "" where the room has no such PIN
  std::int64_t not_before_ms = 0;  ///< the room's throttle: do not verify before this time
};

/// Verifies check.pin against every hash present, always all of them (no
/// early return), so the time taken says nothing about which PIN matched or
/// whether one did. Pure and thread-safe; slow (Argon2id, the hashes' cost).
PinMatch verify_pin_check(const PinCheck& check) noexcept;

/// What begin_admit could decide without hashing, or the hashing to do.
struct AdmitStart {
  std::optional<AdmitDecision> decision;  ///< decided now (denied, locked out, no PIN needed or wrong...)
  std::optional<PinCheck> check;          ///< else: verify this, then finish_admit()
  /// Else the room already verifies PinThrottlePolicy::max_in_flight checks:
  /// this one waits its turn and comes out of take_ready_checks() later.
  std::uint64_t waiting_check = 0;
};

class Conference {
 public:
  explicit Conference(ConferenceOptions options = {});

  // ---- tenants and rooms (configuration) -------------------------------------
  /// already_exists if the tenant exists. Throws on a bad name or quota.
  Result<void> create_tenant(const std::string& tenant, TenantQuota quota, std::int64_t now_ms);
  /// Lowering a quota below current use keeps everyone; it stops new joins.
  Result<void> set_quota(const std::string& tenant, TenantQuota quota, std::int64_t now_ms);
  /// Needs Action::create_room. quota_exceeded beyond the tenant's max_rooms.
  Result<void> create_room(const Actor& actor, RoomConfig config, std::int64_t now_ms);
  /// Needs Action::create_room; invalid_state while anyone is in it.
  Result<void> remove_room(const Actor& actor, const std::string& room, std::int64_t now_ms);
  /// Hashes and sets (or with an empty pin clears) a PIN. Needs Action::create_room.
  /// already_exists when the PIN is another role's PIN of the room (a moderator
  /// PIN equal to the participant or listener PIN would hand out the wrong role).
  /// Throws Error(invalid_argument) for a malformed PIN, naming the rule, not the PIN.
  Result<void> set_pin(const Actor& actor, const std::string& room, PinKind kind,
                       const std::string& pin, std::int64_t now_ms);
  /// Sets (or with an empty hash clears) a PIN from a hash made elsewhere
  /// (hash_pin off the control thread). Needs Action::create_room. The caller
  /// makes sure the PIN is no other role's PIN (set_pin checks it; a hash
  /// cannot be compared). Throws Error(invalid_argument) for a string that is
  /// not a crypto_pwhash_str hash.
  Result<void> set_pin_hash(const Actor& actor, const std::string& room, PinKind kind, std::string hash,
                            std::int64_t now_ms);
  /// Replaces the ACL. Needs Action::create_room. Throws on a bad pattern.
  Result<void> set_acl(const Actor& actor, const std::string& room, Acl acl, std::int64_t now_ms);

  // ---- admission --------------------------------------------------------------
  /// Decides what happens to a caller who asked for a room with a PIN. Order:
  /// ACL; caller and room lock-out; PIN (moderator, then participant, then
  /// listener PIN); room lock (moderators pass); tenant quota; room size (when full:
  /// overflow or operator); wait for a moderator. not_found for an unknown tenant
  /// or room (nothing counted). An overflow room copies the full room's topic,
  /// PINs, size, ACL and full-policy, but never waits for or ends with a moderator
  /// (moderators are always admitted to the room they asked for). It is removed
  /// when its last member leaves.
  /// Synchronous: begin_admit, verify_pin_check on this thread, finish_admit.
  /// A check the room's throttle would delay is not waited for: the caller
  /// gets locked_out with retry_at_ms at its slot.
  Result<AdmitDecision> admit(const AdmitRequest& request, std::int64_t now_ms);
  /// The fast half of admit(), for a control thread that must not hash: every
  /// rule up to the PIN (ACL, lock-outs, the room's throttle slot) and, when no
  /// hashing is needed (no PIN where none is required, a malformed PIN, a
  /// refusal), the decision. Else a PinCheck to verify off the thread and hand
  /// to finish_admit(). not_found for an unknown tenant or room.
  Result<AdmitStart> begin_admit(const AdmitRequest& request, std::int64_t now_ms);
  /// The check's outcome: counts a failure or clears the caller's record,
  /// then decides as admit() (room lock, quota, size, overflow, wait).
  /// not_found for an unknown check id or a room removed meanwhile.
  Result<AdmitDecision> finish_admit(std::uint64_t check_id, PinMatch match, std::int64_t now_ms);
  /// Nobody waits for the check any more (the caller hung up): `verified` is
  /// its result when it ran (a wrong PIN still counts), nullopt when it never
  /// ran (its throttle slot is handed back). Places nobody; unknown ids are ignored.
  void abandon_admit(std::uint64_t check_id, std::optional<PinMatch> verified, std::int64_t now_ms);
  /// Checks that waited for their room's turn and may now be verified (in
  /// the order they were begun), since the last call.
  std::vector<PinCheck> take_ready_checks();
  /// Checks begun and not finished or abandoned.
  std::size_t pending_pin_checks() const noexcept { return pending_checks_.size(); }
  /// Places a caller without PIN: an invited (dialled-out) callee, or a caller the
  /// operator takes from the queue. Needs Action::invite; a role above the actor's
  /// own is permission_denied. Respects lock, quota and size, except for a
  /// superuser actor, who may place into a full or locked room (not past the quota).
  Result<ParticipantId> admit_direct(const Actor& actor, const std::string& room,
                                     const std::string& caller_id, Role role, std::int64_t now_ms);
  /// The caller hung up (or the host removes it). not_found for an unknown id.
  Result<void> leave(ParticipantId id, ExitReason reason, std::int64_t now_ms);

  // ---- moderation -------------------------------------------------------------
  /// Self (Action::mute_self) or other (mute_other / unmute_other). Unmuting a
  /// listener is invalid_state: listeners never speak.
  Result<void> set_muted(const Actor& actor, ParticipantId target, bool muted, std::int64_t now_ms);
  /// Mutes every participant and listener of the room, not moderators/superusers.
  Result<void> mute_all(const Actor& actor, const std::string& room, std::int64_t now_ms);
  Result<void> set_deaf(const Actor& actor, ParticipantId target, bool deaf, std::int64_t now_ms);
  Result<void> kick(const Actor& actor, ParticipantId target, const std::string& reason,
                    std::int64_t now_ms);
  /// Moves to another main room of the tenant (room_full if it has no seat; a
  /// superuser actor may overfill). Leaving a main room frees the seat.
  Result<void> move(const Actor& actor, ParticipantId target, const std::string& room,
                    std::int64_t now_ms);
  /// Opens a séparée of `main_room` named "<main_room>/side-N" (a name no configured
  /// room can take) and moves `members`
  /// into it: at least two participants, or one caller with the acting moderator
  /// (1:1 consultation; include the actor's own id). Every member must be present
  /// in main_room. Members keep their seat in main_room (see bring_back).
  Result<std::string> create_side_room(const Actor& actor, const std::string& main_room,
                                       const std::vector<ParticipantId>& members, std::int64_t now_ms);
  /// Returns everyone in the side room to its main room and closes it. Always fits:
  /// returnees kept their seats, even if the limit was lowered meanwhile.
  Result<void> bring_back(const Actor& actor, const std::string& side_room, std::int64_t now_ms);
  /// Whether the actor may hear `room` (main or side) unheard. Emits ListenInGranted.
  Result<void> check_listen_in(const Actor& actor, const std::string& room, std::int64_t now_ms);
  /// Whether the actor may talk to `target` alone. Emits WhisperGranted.
  Result<void> check_whisper(const Actor& actor, ParticipantId target, std::int64_t now_ms);
  Result<void> set_locked(const Actor& actor, const std::string& room, bool locked, std::int64_t now_ms);
  /// Live change; lowering below the present count keeps everyone, stops joins.
  /// Throws Error(invalid_argument) outside 1..kMaxRoomMembers.
  Result<void> set_max_members(const Actor& actor, const std::string& room, int max_members,
                               std::int64_t now_ms);
  /// Own name (Action::set_own_name) or another's (Action::set_name). Throws on bad text.
  Result<void> set_name(const Actor& actor, ParticipantId target, const std::string& name,
                        std::int64_t now_ms);
  /// Ends the room for everyone in it and its side rooms (ExitReason::room_ended).
  Result<void> end_room(const Actor& actor, const std::string& room, std::int64_t now_ms);

  /// Whether `actor` may perform `action` on `room` of its tenant (a main or
  /// side room; "" for an action on no particular room). The one check every
  /// operation makes, for hosts and the service to ask before acting on
  /// something the model does not hold (recordings, transfers, volumes).
  /// not_found for an unknown tenant or room; permission_denied (with an
  /// ActionDenied event) when the role or its authority does not reach.
  Result<void> authorize(const Actor& actor, Action action, const std::string& room, std::int64_t now_ms);

  // ---- operator queue ---------------------------------------------------------
  /// The longest waiting caller of the tenant (or the one holding `ticket`
  /// when it is not 0), with waited_ms. Needs take_from_queue; not_found when
  /// empty or the ticket is unknown.
  Result<QueueEntry> take_from_queue(const Actor& actor, std::int64_t now_ms, std::uint64_t ticket = 0);
  /// The caller hung up while waiting. not_found for an unknown ticket.
  Result<void> abandon_queue(std::uint64_t ticket, std::int64_t now_ms);
  std::vector<QueueEntry> queue(const std::string& tenant) const;

  /// Advances timers: ends rooms whose last-moderator grace has run out. Its
  /// cost grows with the endings due, not with the number of rooms.
  void tick(std::int64_t now_ms);

  // ---- queries ----------------------------------------------------------------
  bool has_tenant(const std::string& tenant) const noexcept { return tenants_.count(tenant) > 0; }
  const ConferenceOptions& options() const noexcept { return options_; }
  Result<Participant> participant(ParticipantId id) const;
  /// The Actor for a participant acting from its phone.
  Result<Actor> actor_of(ParticipantId id) const;
  Result<RoomView> room(const std::string& tenant, const std::string& name) const;
  Result<RoomConfig> room_config(const std::string& tenant, const std::string& name) const;
  /// Main rooms and side rooms of the tenant, by name.
  std::vector<RoomView> rooms(const std::string& tenant) const;
  /// The roster of a room (main or side), in order of arrival, with joined_at_ms
  /// and room_since_ms for "how long has each been here". Empty if no such room.
  std::vector<Participant> roster(const std::string& tenant, const std::string& room) const;
  /// Participants of the tenant (all rooms), the number the quota limits.
  int participant_count(const std::string& tenant) const;
  /// Events since the last call, oldest first.
  std::vector<Event> drain_events();

 private:
  struct RoomState {
    RoomConfig config;
    std::string parent;       // side room: its main room
    std::string overflow_of;
    bool locked = false;
    std::vector<ParticipantId> members;
    int away_in_side_rooms = 0;  // main room: its members now in side rooms
    int next_side_room = 1;
    std::optional<std::int64_t> ends_at_ms;
  };
  struct Tenant {
    TenantQuota quota;
    std::map<std::string, RoomState> rooms;
    int participants = 0;
    int main_rooms = 0;
  };

  Result<void> authorize(const Actor& actor, Action action, std::int64_t now_ms);
  /// The role check, then the room's existence (not_found) and the actor's authority over it.
  Result<void> authorize_room(const Actor& actor, Action action, const std::string& room, std::int64_t now_ms);
  /// The role check, then the target in the actor's tenant (not_found) and in its authority.
  Result<Participant*> authorize_target(const Actor& actor, Action action, ParticipantId target,
                                        std::int64_t now_ms);
  /// True when `room` (main, side or overflow) lies within the actor's authority.
  bool within_authority(const Actor& actor, const std::string& room) const;
  Result<void> deny(const Actor& actor, Action action, const std::string& room, std::int64_t now_ms);
  Tenant* tenant_of(const std::string& name);
  const Tenant* tenant_of(const std::string& name) const;
  RoomState* room_of(const std::string& tenant, const std::string& room);
  Participant* target_in(const Actor& actor, ParticipantId id);
  static int seats_taken(const RoomState& r) noexcept;
  bool moderator_in(const std::string& tenant, const RoomState& r) const;
  std::uint64_t enqueue(const std::string& tenant, const std::string& room,
                        const std::string& caller_id, errc reason, std::int64_t now_ms);
  ParticipantId place(const std::string& tenant, RoomState& r, const std::string& caller_id,
                      const std::string& name, Role role, std::int64_t now_ms);
  void enter(Participant& p, RoomState& to, std::int64_t now_ms);
  void exit_room(Participant& p, std::int64_t now_ms);
  void release_waiting(RoomState& r, std::int64_t now_ms);
  void check_ending(const std::string& tenant, const std::string& main_room, std::int64_t now_ms);
  void remove(ParticipantId id, ExitReason reason, const std::string& detail, std::int64_t now_ms);
  void end_session(const std::string& tenant, const std::string& main_room, std::int64_t now_ms);
  void drop_room_if_done(const std::string& tenant, const std::string& room, std::int64_t now_ms);
  RoomView view(const std::string& tenant, const RoomState& r) const;
  RoomState* overflow_target(const std::string& tenant, RoomState& base, std::int64_t now_ms);

  struct PendingCheck {
    AdmitRequest request;  // the PIN only while the check waits its turn
    std::string room_key;
    PinThrottle::Slot slot;
    bool waiting = false;
  };
  /// Hands out waiting checks of `room_key` while the room has turns free.
  void promote(const std::string& room_key, std::int64_t now_ms);
  std::optional<PinCheck> make_check(std::uint64_t id, PendingCheck& p, const PinThrottle::Slot& slot);
  AdmitDecision record_wrong_pin(const AdmitRequest& req, std::int64_t now_ms);
  Result<AdmitDecision> decide(const AdmitRequest& req, Role role, std::int64_t now_ms);

  ConferenceOptions options_;
  LockoutTracker caller_lockout_;
  PinThrottle room_throttle_;
  std::map<std::uint64_t, PendingCheck> pending_checks_;
  std::map<std::string, std::deque<std::uint64_t>> waiting_checks_;  // by room key, in order
  std::vector<PinCheck> ready_checks_;
  std::set<std::tuple<std::int64_t, std::string, std::string>> endings_;  // (ends_at_ms, tenant, room)
  std::uint64_t next_check_ = 1;
  std::map<std::string, Tenant> tenants_;
  std::map<ParticipantId, Participant> participants_;
  std::deque<QueueEntry> queue_;
  ParticipantId next_id_ = 1;
  std::uint64_t next_ticket_ = 1;
  std::vector<Event> events_;
};

}  // namespace libconf::room
