#include <boost/json.hpp>

#include "libconf/room/cdr.hpp"

namespace libconf::room {
namespace {

// RFC 4180: quote a field that holds a comma, quote, CR or LF; double the quotes.
void csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class... Fields>
void csv_line(std::string& out, const Fields&... fields) {
  bool first = true;
  auto one = [&](const auto& f) {
    if (!first) out += ',';
    first = false;
    if constexpr (std::is_integral_v<std::decay_t<decltype(f)>>)
      out += std::to_string(f);
    else
      csv_field(out, f);
  };
  (one(fields), ...);
  out += "\r\n";
}

}  // namespace

std::string to_csv(const std::vector<LegRecord>& legs) {
  std::string out =
      "leg,tenant,caller_id,did,billing_mode,role,arrived_ms,ivr_ms,queue_ms,conference_ms,"
      "side_room_ms,left_ms,exit_reason,exit_detail,segments,host_id,call_id,arrived_utc_ms,left_utc_ms\r\n";
  for (const auto& l : legs) {
    std::string segs;
    for (const auto& s : l.segments) {
      if (!segs.empty()) segs += '|';
      if (s.side_room) segs += '~';
      segs += s.room + '@' + std::to_string(s.start_ms) + '+' + std::to_string(s.duration_ms());
    }
    csv_line(out, l.leg, l.tenant, l.caller_id, l.did, to_string(l.billing), to_string(l.role), l.arrived_ms,
             l.ivr_ms, l.queue_ms, l.conference_ms(), l.side_room_ms(), l.left_ms, to_string(l.exit),
             l.exit_detail, segs, l.host_id, l.call_id, l.arrived_utc_ms, l.left_utc_ms);
  }
  return out;
}

std::string to_json_lines(const std::vector<LegRecord>& legs) {
  std::string out;
  for (const auto& l : legs) {
    boost::json::array segs;
    for (const auto& s : l.segments)
      segs.push_back(boost::json::object{{"room", s.room},
                                         {"side_room", s.side_room},
                                         {"role", to_string(s.role)},
                                         {"start_ms", s.start_ms},
                                         {"end_ms", s.end_ms},
                                         {"duration_ms", s.duration_ms()}});
    boost::json::object o{{"leg", l.leg},
                          {"tenant", l.tenant},
                          {"caller_id", l.caller_id},
                          {"did", l.did},
                          {"billing_mode", to_string(l.billing)},
                          {"role", to_string(l.role)},
                          {"arrived_ms", l.arrived_ms},
                          {"ivr_ms", l.ivr_ms},
                          {"queue_ms", l.queue_ms},
                          {"conference_ms", l.conference_ms()},
                          {"side_room_ms", l.side_room_ms()},
                          {"left_ms", l.left_ms},
                          {"exit_reason", to_string(l.exit)},
                          {"exit_detail", l.exit_detail},
                          {"segments", std::move(segs)},
                          {"host_id", l.host_id},
                          {"call_id", l.call_id},
                          {"arrived_utc_ms", l.arrived_utc_ms},
                          {"left_utc_ms", l.left_utc_ms}};
    out += boost::json::serialize(o);
    out += '\n';
  }
  return out;
}

std::string to_csv(const std::vector<ModeratorSession>& sessions) {
  std::string out = "tenant,moderator,login_ms,logout_ms,duration_ms,host_id,call_id,login_utc_ms,logout_utc_ms\r\n";
  for (const auto& s : sessions)
    csv_line(out, s.tenant, s.moderator, s.login_ms, s.logout_ms, s.duration_ms(), s.host_id, s.call_id,
             s.login_utc_ms, s.logout_utc_ms);
  return out;
}

std::string to_json_lines(const std::vector<ModeratorSession>& sessions) {
  std::string out;
  for (const auto& s : sessions) {
    out += boost::json::serialize(boost::json::object{{"tenant", s.tenant},
                                                      {"moderator", s.moderator},
                                                      {"login_ms", s.login_ms},
                                                      {"logout_ms", s.logout_ms},
                                                      {"duration_ms", s.duration_ms()},
                                                      {"host_id", s.host_id},
                                                      {"call_id", s.call_id},
                                                      {"login_utc_ms", s.login_utc_ms},
                                                      {"logout_utc_ms", s.logout_utc_ms}});
    out += '\n';
  }
  return out;
}

}  // namespace libconf::room
