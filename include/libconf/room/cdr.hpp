#pragma once
/// @file
/// Call detail records for statistics and billing: per leg the arrival, time in
/// the IVR, time in the operator queue, one segment per room or side room, the
/// role, the DID dialled and its billing mode, and the exit reason; per moderator
/// the login/logout sessions. The recorder only records what the engine reports,
/// at the times it reports (ms on any monotonic clock). So that records from
/// several hosts can be merged, each also carries the host's id, the host's
/// own call id (the SIP Call-ID) and wall-clock UTC times: the arrival's read
/// from the host's clock once, the end's derived from it and the monotonic
/// duration (a clock step during the call moves neither). Not thread-safe: one owner.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/room/billing.hpp"
#include "libconf/room/events.hpp"
#include "libconf/room/role.hpp"

namespace libconf::room {

using LegId = std::uint64_t;

/// Time spent in one room or side room.
struct CdrSegment {
  std::string room;
  bool side_room = false;
  Role role = Role::participant;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t duration_ms() const noexcept { return end_ms - start_ms; }
};

/// Where a leg or a moderator session comes from, for records merged across hosts.
struct CallOrigin {
  std::string host_id;       ///< the host that carried the call ("" if unknown)
  std::string call_id;       ///< the host's id of the call (SIP Call-ID), "" if none
  std::int64_t utc_ms = 0;   ///< wall-clock UTC at the start, ms since 1970 (0 if unknown)
};

/// One finished call leg.
struct LegRecord {
  LegId leg = 0;  ///< the host's (service's) id of the call; unique per host, not across hosts
  std::string tenant;
  std::string caller_id;
  std::string did;  ///< the number dialled ("" for dial-out legs)
  BillingMode billing = BillingMode::caller_pays;
  Role role = Role::participant;  ///< the most powerful role the leg held
  std::int64_t arrived_ms = 0;
  std::int64_t ivr_ms = 0;    ///< arrival to first room or queue (menus, PIN entry)
  std::int64_t queue_ms = 0;  ///< total time waiting for the operator
  std::int64_t left_ms = 0;
  std::vector<CdrSegment> segments;
  ExitReason exit = ExitReason::hangup;
  std::string exit_detail;
  std::string host_id = {};         ///< CallOrigin::host_id
  std::string call_id = {};         ///< CallOrigin::call_id (SIP Call-ID)
  std::int64_t arrived_utc_ms = 0;  ///< UTC of arrived_ms, ms since 1970 (0 if unknown)
  std::int64_t left_utc_ms = 0;     ///< UTC of left_ms: arrived_utc_ms + (left_ms - arrived_ms)

  std::int64_t conference_ms() const noexcept;  ///< sum of main-room segments
  std::int64_t side_room_ms() const noexcept;   ///< sum of side-room segments
};

/// A moderator's logged-in period.
struct ModeratorSession {
  std::string tenant;
  std::string moderator;
  std::int64_t login_ms = 0;
  std::int64_t logout_ms = 0;
  std::string host_id = {};        ///< CallOrigin::host_id
  std::string call_id = {};        ///< the moderator's call (SIP Call-ID)
  std::int64_t login_utc_ms = 0;   ///< UTC of login_ms (0 if unknown)
  std::int64_t logout_utc_ms = 0;  ///< UTC of logout_ms: login_utc_ms + duration
  std::int64_t duration_ms() const noexcept { return logout_ms - login_ms; }
};

class CdrRecorder {
 public:
  /// Starts a leg. already_exists if `leg` is open. Throws Error(invalid_argument)
  /// for a caller ID or DID that is not printable text up to 256 bytes.
  Result<void> arrive(LegId leg, const std::string& tenant, const std::string& caller_id,
                      const std::string& did, BillingMode billing, std::int64_t now_ms,
                      const CallOrigin& origin = {});
  /// The leg waits for the operator from now until leave_queue or enter_room.
  Result<void> enter_queue(LegId leg, std::int64_t now_ms);
  Result<void> leave_queue(LegId leg, std::int64_t now_ms);
  /// The leg is in `room` from now: closes its previous segment (and queue wait).
  Result<void> enter_room(LegId leg, const std::string& room, bool side_room, Role role,
                          std::int64_t now_ms);
  /// Ends the leg; the record moves to finished(). not_found for an unknown leg.
  Result<LegRecord> depart(LegId leg, ExitReason reason, const std::string& detail, std::int64_t now_ms);

  /// already_exists if the moderator is logged in.
  Result<void> moderator_login(const std::string& tenant, const std::string& moderator, std::int64_t now_ms,
                               const CallOrigin& origin = {});
  Result<ModeratorSession> moderator_logout(const std::string& tenant, const std::string& moderator,
                                            std::int64_t now_ms);

  /// Finished records since the last take, oldest first.
  std::vector<LegRecord> take_finished();
  std::vector<ModeratorSession> take_sessions();
  std::size_t open_legs() const noexcept { return open_.size(); }

 private:
  struct Open {
    LegRecord record;
    bool routed = false;  // has entered a queue or room
    std::optional<std::int64_t> queue_since_ms;
  };
  void close_queue(Open& o, std::int64_t now_ms);
  void close_segment(Open& o, std::int64_t now_ms);

  std::map<LegId, Open> open_;
  std::map<std::pair<std::string, std::string>, ModeratorSession> logged_in_;
  std::vector<LegRecord> finished_;
  std::vector<ModeratorSession> sessions_;
};

/// RFC 4180 CSV, one line per leg after a header line: leg, tenant, caller_id,
/// did, billing_mode, role, arrived_ms, ivr_ms, queue_ms, conference_ms,
/// side_room_ms, left_ms, exit_reason, exit_detail, segments ("room@start_ms+duration_ms"
/// joined by '|', side rooms marked with a leading '~'), host_id, call_id,
/// arrived_utc_ms, left_utc_ms.
std::string to_csv(const std::vector<LegRecord>& legs);
/// One JSON object per line (JSON Lines) with the same fields, segments as an array.
std::string to_json_lines(const std::vector<LegRecord>& legs);
/// CSV header + one line per session: tenant, moderator, login_ms, logout_ms, duration_ms,
/// host_id, call_id, login_utc_ms, logout_utc_ms.
std::string to_csv(const std::vector<ModeratorSession>& sessions);
std::string to_json_lines(const std::vector<ModeratorSession>& sessions);

}  // namespace libconf::room
