// The one place that names and serialises the service's events: names by
// type, fields by Boost.Describe (listed once per struct), JSON by Boost.JSON.
#include "libconf/service/service_event.hpp"

#include <boost/describe/class.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <type_traits>

#include "libconf/room/event_json.hpp"
#include "libconf/room/json_enums.hpp"
#include "libconf/service/event_json.hpp"

namespace libconf::ivr {
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, KeyAction a) { v = to_string(a); }
}  // namespace libconf::ivr

namespace libconf::service {

std::string_view to_string(CallState state) noexcept {
  switch (state) {
    case CallState::ivr: return "ivr";
    case CallState::queued: return "queued";
    case CallState::waiting: return "waiting";
    case CallState::in_room: return "in_room";
    case CallState::listening: return "listening";
    case CallState::held: return "held";
    case CallState::ended: return "ended";
  }
  return "unknown";
}

std::string_view to_string(QueueReason reason) noexcept {
  switch (reason) {
    case QueueReason::operator_number: return "operator_number";
    case QueueReason::requested: return "requested";
    case QueueReason::no_input: return "no_input";
    case QueueReason::invalid_input: return "invalid_input";
    case QueueReason::wrong_pin: return "wrong_pin";
    case QueueReason::room_unknown: return "room_unknown";
    case QueueReason::locked_out: return "locked_out";
    case QueueReason::pin_required: return "pin_required";
    case QueueReason::room_full: return "room_full";
    case QueueReason::room_locked: return "room_locked";
    case QueueReason::quota_exceeded: return "quota_exceeded";
  }
  return "unknown";
}

std::string_view to_string(HangupCause cause) noexcept {
  switch (cause) {
    case HangupCause::normal: return "normal";
    case HangupCause::kicked: return "kicked";
    case HangupCause::room_ended: return "room_ended";
    case HangupCause::access_denied: return "access_denied";
    case HangupCause::not_found: return "not_found";
    case HangupCause::unavailable: return "unavailable";
    case HangupCause::error: return "error";
  }
  return "unknown";
}

int sip_status(HangupCause cause) noexcept {
  switch (cause) {
    case HangupCause::normal: return 480;         // Temporarily Unavailable
    case HangupCause::kicked: return 403;         // Forbidden
    case HangupCause::room_ended: return 480;
    case HangupCause::access_denied: return 403;
    case HangupCause::not_found: return 404;      // Not Found
    case HangupCause::unavailable: return 503;    // Service Unavailable
    case HangupCause::error: return 500;          // Server Internal Error
  }
  return 500;
}

std::string_view to_string(AnswerMode mode) noexcept {
  return mode == AnswerMode::early_media ? "early_media" : "answer_first";
}

std::string_view to_string(DialProgress progress) noexcept {
  return progress == DialProgress::early_media ? "early_media" : "ringing";
}

std::string_view to_string(DialFailureCause cause) noexcept {
  switch (cause) {
    case DialFailureCause::busy: return "busy";
    case DialFailureCause::no_answer: return "no_answer";
    case DialFailureCause::rejected: return "rejected";
    case DialFailureCause::unreachable: return "unreachable";
    case DialFailureCause::cancelled: return "cancelled";
    case DialFailureCause::error: return "error";
  }
  return "unknown";
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, CallState s) { v = to_string(s); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, QueueReason r) { v = to_string(r); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, DialProgress p) { v = to_string(p); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, DialFailureCause c) { v = to_string(c); }

BOOST_DESCRIBE_STRUCT(DialFailure, (), (cause, sip_code, reason))

namespace event {

BOOST_DESCRIBE_STRUCT(CallArrived, (), (did, caller_id, external_id))
BOOST_DESCRIBE_STRUCT(CallRefused, (), (did, caller_id, reason))
BOOST_DESCRIBE_STRUCT(OperatorConnected, (), (name))
BOOST_DESCRIBE_STRUCT(Answered, (), (early_media))
BOOST_DESCRIBE_STRUCT(CallEnded, (), (room, reason, detail))
BOOST_DESCRIBE_STRUCT(Admitted, (), (room, outcome, role))
BOOST_DESCRIBE_STRUCT(Queued, (), (room, reason))
BOOST_DESCRIBE_STRUCT(TakenFromQueue, (), (room, reason))
BOOST_DESCRIBE_STRUCT(TakeFailed, (), (room, error))
BOOST_DESCRIBE_STRUCT(EnteredRoom, (), (room, listening))
BOOST_DESCRIBE_STRUCT(ListenInStopped, (), (room))
BOOST_DESCRIBE_STRUCT(OnHold, (), (room, state))
BOOST_DESCRIBE_STRUCT(Resumed, (), (room))
BOOST_DESCRIBE_STRUCT(MoveFailed, (), (room, error))
BOOST_DESCRIBE_STRUCT(PromptStarted, (), (prompt))
BOOST_DESCRIBE_STRUCT(PromptFailed, (), (prompt, error))
BOOST_DESCRIBE_STRUCT(RoomLookedUp, (), (room, found))
BOOST_DESCRIBE_STRUCT(PinChecked, (), (room, outcome))
BOOST_DESCRIBE_STRUCT(PinCheckRefused, (), (room))
BOOST_DESCRIBE_STRUCT(KeyPressed, (), (room, action))
BOOST_DESCRIBE_STRUCT(KeyFailed, (), (room, action, error))
BOOST_DESCRIBE_STRUCT(VolumesChanged, (), (room, talk_gain_db, listen_gain_db))
BOOST_DESCRIBE_STRUCT(WhisperStarted, (), (room, to))
BOOST_DESCRIBE_STRUCT(WhisperStopped, (), (room, to))
BOOST_DESCRIBE_STRUCT(NameRecording, (), (max_ms))
BOOST_DESCRIBE_STRUCT(NameRecorded, (), (duration_ms, ended_by))
BOOST_DESCRIBE_STRUCT(NameFailed, (), (error))
BOOST_DESCRIBE_STRUCT(Announced, (), (room, joined, recorded_name))
BOOST_DESCRIBE_STRUCT(NameSet, (), (room, name))
BOOST_DESCRIBE_STRUCT(OperatorCalled, (), (room, caller_id))
BOOST_DESCRIBE_STRUCT(OperatorAlerted, (), (room, phones))
BOOST_DESCRIBE_STRUCT(RecordingStarted, (), (room, prefix, tracks))
BOOST_DESCRIBE_STRUCT(RecordingFull, (), (room, prefix))
BOOST_DESCRIBE_STRUCT(RecordingFinished, (), (room, prefix, reason, tracks, duration_ms))
BOOST_DESCRIBE_STRUCT(DialStarted, (), (dial, room, number, caller_id))
BOOST_DESCRIBE_STRUCT(DialRefused, (), (room, number, reason))
BOOST_DESCRIBE_STRUCT(DialProgressed, (), (dial, room, number, progress))
BOOST_DESCRIBE_STRUCT(DialAnswered, (), (dial, room, number))
BOOST_DESCRIBE_STRUCT(DialFailed, (), (dial, room, number, failure))
BOOST_DESCRIBE_STRUCT(DialRejected, (), (dial, room, number, error))
BOOST_DESCRIBE_STRUCT(GroupRoomCreated, (), (room, owner))
BOOST_DESCRIBE_STRUCT(TransferRequested, (), (room, target))
BOOST_DESCRIBE_STRUCT(TransferFailed, (), (room, target))
BOOST_DESCRIBE_STRUCT(StoreFailed, (), (what, error, attempt, retry_in_ms, dropped))
BOOST_DESCRIBE_STRUCT(StoreRecovered, (), (what, attempt))
BOOST_DESCRIBE_STRUCT(PinChanged, (), (room, kind))
BOOST_DESCRIBE_STRUCT(PinChangeFailed, (), (room, kind, error))


// A masked digit is reported by its position only, never by its value.
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const DigitReceived& d) {
  boost::json::object o;
  if (d.masked) {
    o["masked"] = true;
  } else {
    o["digit"] = std::string(1, d.digit);
  }
  o["position"] = d.position;
  v = std::move(o);
}

}  // namespace event

std::string_view event_name(const ServiceEvent& e) noexcept {
  return std::visit(
      [](const auto& ev) -> std::string_view {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, room::Event>) return room::event_name(ev);
        else if constexpr (std::is_same_v<T, event::CallArrived>) return "call_arrived";
        else if constexpr (std::is_same_v<T, event::CallRefused>) return "call_refused";
        else if constexpr (std::is_same_v<T, event::OperatorConnected>) return "operator_connected";
        else if constexpr (std::is_same_v<T, event::Answered>) return "answered";
        else if constexpr (std::is_same_v<T, event::CallEnded>) return "call_ended";
        else if constexpr (std::is_same_v<T, event::Admitted>) return "admitted";
        else if constexpr (std::is_same_v<T, event::Queued>) return "queued";
        else if constexpr (std::is_same_v<T, event::TakenFromQueue>) return "taken_from_queue";
        else if constexpr (std::is_same_v<T, event::TakeFailed>) return "take_failed";
        else if constexpr (std::is_same_v<T, event::EnteredRoom>) return "entered_room";
        else if constexpr (std::is_same_v<T, event::ListenInStopped>) return "listen_in_stopped";
        else if constexpr (std::is_same_v<T, event::OnHold>) return "on_hold";
        else if constexpr (std::is_same_v<T, event::Resumed>) return "resumed";
        else if constexpr (std::is_same_v<T, event::MoveFailed>) return "move_failed";
        else if constexpr (std::is_same_v<T, event::DigitReceived>) return "digit_received";
        else if constexpr (std::is_same_v<T, event::PromptStarted>) return "prompt_started";
        else if constexpr (std::is_same_v<T, event::PromptFailed>) return "prompt_failed";
        else if constexpr (std::is_same_v<T, event::RoomLookedUp>) return "room_looked_up";
        else if constexpr (std::is_same_v<T, event::PinChecked>) return "pin_checked";
        else if constexpr (std::is_same_v<T, event::PinCheckRefused>) return "pin_check_refused";
        else if constexpr (std::is_same_v<T, event::KeyPressed>) return "key_pressed";
        else if constexpr (std::is_same_v<T, event::KeyFailed>) return "key_failed";
        else if constexpr (std::is_same_v<T, event::VolumesChanged>) return "volumes_changed";
        else if constexpr (std::is_same_v<T, event::WhisperStarted>) return "whisper_started";
        else if constexpr (std::is_same_v<T, event::WhisperStopped>) return "whisper_stopped";
        else if constexpr (std::is_same_v<T, event::NameRecording>) return "name_recording";
        else if constexpr (std::is_same_v<T, event::NameRecorded>) return "name_recorded";
        else if constexpr (std::is_same_v<T, event::NameFailed>) return "name_failed";
        else if constexpr (std::is_same_v<T, event::Announced>) return "announced";
        else if constexpr (std::is_same_v<T, event::NameSet>) return "name_set";
        else if constexpr (std::is_same_v<T, event::OperatorCalled>) return "operator_called";
        else if constexpr (std::is_same_v<T, event::OperatorAlerted>) return "operator_alerted";
        else if constexpr (std::is_same_v<T, event::RecordingStarted>) return "recording_started";
        else if constexpr (std::is_same_v<T, event::RecordingFull>) return "recording_full";
        else if constexpr (std::is_same_v<T, event::RecordingFinished>) return "recording_finished";
        else if constexpr (std::is_same_v<T, event::DialStarted>) return "dial_started";
        else if constexpr (std::is_same_v<T, event::DialRefused>) return "dial_refused";
        else if constexpr (std::is_same_v<T, event::DialProgressed>) return "dial_progressed";
        else if constexpr (std::is_same_v<T, event::DialAnswered>) return "dial_answered";
        else if constexpr (std::is_same_v<T, event::DialFailed>) return "dial_failed";
        else if constexpr (std::is_same_v<T, event::DialRejected>) return "dial_rejected";
        else if constexpr (std::is_same_v<T, event::GroupRoomCreated>) return "group_room_created";
        else if constexpr (std::is_same_v<T, event::TransferRequested>) return "transfer_requested";
        else if constexpr (std::is_same_v<T, event::TransferFailed>) return "transfer_failed";
        else if constexpr (std::is_same_v<T, event::StoreFailed>) return "store_failed";
        else if constexpr (std::is_same_v<T, event::StoreRecovered>) return "store_recovered";
        else if constexpr (std::is_same_v<T, event::PinChanged>) return "pin_changed";
        else if constexpr (std::is_same_v<T, event::PinChangeFailed>) return "pin_change_failed";        else static_assert(!sizeof(T), "every event needs a name");
      },
      e.data);
}

boost::json::object to_json_object(const ServiceEvent& e) {
  boost::json::object o;
  o["at_ms"] = e.at_ms;
  o["event"] = event_name(e);
  if (e.call != kNoCall) o["call"] = e.call;
  if (!e.tenant.empty()) o["tenant"] = e.tenant;
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        boost::json::value fields;
        if constexpr (std::is_same_v<T, room::Event>) {
          fields = room::to_json(ev);
        } else {
          fields = boost::json::value_from(ev);
        }
        // The envelope's time, name and tenant win over the room event's own copies.
        for (auto& field : fields.as_object())
          if (!o.contains(field.key())) o.emplace(field.key(), std::move(field.value()));
      },
      e.data);
  return o;
}

std::string to_json(const ServiceEvent& e) { return boost::json::serialize(to_json_object(e)); }

}  // namespace libconf::service
