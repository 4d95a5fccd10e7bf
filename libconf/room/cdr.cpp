#include "libconf/room/cdr.hpp"

#include "libconf/room/room_config.hpp"

namespace libconf::room {

std::string_view to_string(BillingMode mode) noexcept {
  return mode == BillingMode::initiator_pays ? "initiator_pays" : "caller_pays";
}

std::optional<BillingMode> billing_mode_from_string(std::string_view text) noexcept {
  if (text == "caller_pays") return BillingMode::caller_pays;
  if (text == "initiator_pays") return BillingMode::initiator_pays;
  return std::nullopt;
}

std::int64_t LegRecord::conference_ms() const noexcept {
  std::int64_t sum = 0;
  for (const auto& s : segments)
    if (!s.side_room) sum += s.duration_ms();
  return sum;
}

std::int64_t LegRecord::side_room_ms() const noexcept {
  std::int64_t sum = 0;
  for (const auto& s : segments)
    if (s.side_room) sum += s.duration_ms();
  return sum;
}

Result<void> CdrRecorder::arrive(LegId leg, const std::string& tenant, const std::string& caller_id,
                                 const std::string& did, BillingMode billing, std::int64_t now_ms,
                                 const CallOrigin& origin) {
  validate_text("CDR caller ID", caller_id);
  validate_text("CDR DID", did);
  validate_text("CDR host id", origin.host_id);
  validate_text("CDR call id", origin.call_id);
  if (open_.count(leg)) return errc::already_exists;
  Open o;
  o.record.leg = leg;
  o.record.tenant = tenant;
  o.record.caller_id = caller_id;
  o.record.did = did;
  o.record.billing = billing;
  o.record.role = Role::listener;
  o.record.arrived_ms = now_ms;
  o.record.host_id = origin.host_id;
  o.record.call_id = origin.call_id;
  o.record.arrived_utc_ms = origin.utc_ms;
  open_.emplace(leg, std::move(o));
  return {};
}

void CdrRecorder::close_queue(Open& o, std::int64_t now_ms) {
  if (o.queue_since_ms) {
    o.record.queue_ms += now_ms - *o.queue_since_ms;
    o.queue_since_ms.reset();
  }
}

void CdrRecorder::close_segment(Open& o, std::int64_t now_ms) {
  if (!o.record.segments.empty() && o.record.segments.back().end_ms < 0) o.record.segments.back().end_ms = now_ms;
}

Result<void> CdrRecorder::enter_queue(LegId leg, std::int64_t now_ms) {
  auto it = open_.find(leg);
  if (it == open_.end()) return errc::not_found;
  Open& o = it->second;
  if (o.queue_since_ms) return errc::invalid_state;
  if (!o.routed) o.record.ivr_ms = now_ms - o.record.arrived_ms;
  o.routed = true;
  close_segment(o, now_ms);
  o.queue_since_ms = now_ms;
  return {};
}

Result<void> CdrRecorder::leave_queue(LegId leg, std::int64_t now_ms) {
  auto it = open_.find(leg);
  if (it == open_.end()) return errc::not_found;
  if (!it->second.queue_since_ms) return errc::invalid_state;
  close_queue(it->second, now_ms);
  return {};
}

Result<void> CdrRecorder::enter_room(LegId leg, const std::string& room, bool side_room, Role role,
                                     std::int64_t now_ms) {
  auto it = open_.find(leg);
  if (it == open_.end()) return errc::not_found;
  Open& o = it->second;
  if (!o.routed) o.record.ivr_ms = now_ms - o.record.arrived_ms;
  o.routed = true;
  close_queue(o, now_ms);
  close_segment(o, now_ms);
  o.record.segments.push_back(CdrSegment{room, side_room, role, now_ms, -1});
  if (o.record.segments.size() == 1 || rank(role) > rank(o.record.role)) o.record.role = role;
  return {};
}

Result<LegRecord> CdrRecorder::depart(LegId leg, ExitReason reason, const std::string& detail,
                                      std::int64_t now_ms) {
  auto it = open_.find(leg);
  if (it == open_.end()) return errc::not_found;
  Open o = std::move(it->second);
  open_.erase(it);
  if (!o.routed) o.record.ivr_ms = now_ms - o.record.arrived_ms;
  close_queue(o, now_ms);
  close_segment(o, now_ms);
  o.record.left_ms = now_ms;
  if (o.record.arrived_utc_ms) o.record.left_utc_ms = o.record.arrived_utc_ms + (now_ms - o.record.arrived_ms);
  o.record.exit = reason;
  o.record.exit_detail = detail;
  finished_.push_back(o.record);
  return std::move(o.record);
}

Result<void> CdrRecorder::moderator_login(const std::string& tenant, const std::string& moderator,
                                          std::int64_t now_ms, const CallOrigin& origin) {
  ModeratorSession s{tenant, moderator, now_ms, 0, origin.host_id, origin.call_id, origin.utc_ms, 0};
  if (!logged_in_.emplace(std::make_pair(tenant, moderator), std::move(s)).second) return errc::already_exists;
  return {};
}

Result<ModeratorSession> CdrRecorder::moderator_logout(const std::string& tenant, const std::string& moderator,
                                                       std::int64_t now_ms) {
  auto it = logged_in_.find({tenant, moderator});
  if (it == logged_in_.end()) return errc::not_found;
  ModeratorSession s = std::move(it->second);
  s.logout_ms = now_ms;
  if (s.login_utc_ms) s.logout_utc_ms = s.login_utc_ms + (now_ms - s.login_ms);
  logged_in_.erase(it);
  sessions_.push_back(s);
  return s;
}

std::vector<LegRecord> CdrRecorder::take_finished() { return std::exchange(finished_, {}); }
std::vector<ModeratorSession> CdrRecorder::take_sessions() { return std::exchange(sessions_, {}); }

}  // namespace libconf::room
