// libconf IVR: DTMF menus (JSON) and one caller's IvrSession. The session
// returns actions as dicts: {"action": "play_prompt", "id": ...}, ...
#include <variant>

#include <pybind11/stl/filesystem.h>

#include "libconf/ivr/action.hpp"
#include "libconf/ivr/host_reply.hpp"
#include "libconf/ivr/ivr_session.hpp"
#include "libconf/ivr/menu.hpp"

#include "common.hpp"

namespace libconf::python {
namespace {
using namespace libconf::ivr;


py::list actions(std::span<const Action> in) {
  py::list out;
  for (const Action& a : in) {
    py::dict d;
    std::visit(Overloaded{
                   [&](const PlayPrompt& x) {
                     d["action"] = "play_prompt";
                     d["id"] = str(x.id);
                   },
                   [&](const StopPrompt&) { d["action"] = "stop_prompt"; },
                   [&](const LookupRoom& x) {
                     d["action"] = "lookup_room";
                     d["room"] = str(x.room.view());
                   },
                   [&](const CheckPin& x) {
                     d["action"] = "check_pin";
                     d["room"] = str(x.room.view());
                     d["pin"] = str(x.pin.view());
                   },
                   [&](const Join& x) {
                     d["action"] = "join";
                     d["room"] = str(x.room.view());
                     d["role"] = x.role_hint;
                   },
                   [&](const RouteToOperator& x) {
                     d["action"] = "route_to_operator";
                     d["reason"] = str(to_string(x.reason));
                     d["room"] = str(x.room.view());
                   },
                   [&](const RecordName&) { d["action"] = "record_name"; },
                   [&](const DialOut& x) {
                     d["action"] = "dial_out";
                     d["number"] = str(x.number.view());
                   },
                   [&](const Hangup& x) {
                     d["action"] = "hangup";
                     d["reason"] = str(to_string(x.reason));
                   },
               },
               a);
    out.append(d);
  }
  return out;
}

HostReply reply_from(const std::string& kind, room::Role role) {
  if (kind == "room_found") return HostReply::room_found();
  if (kind == "room_unknown") return HostReply::room_unknown();
  if (kind == "pin_ok") return HostReply::pin_ok(role);
  if (kind == "pin_wrong") return HostReply::pin_wrong();
  if (kind == "locked_out") return HostReply::locked_out();
  if (kind == "recorded") return HostReply::recorded();
  raise_error(errc::invalid_argument, "IvrSession.reply: unknown reply '" + kind +
                                          "' (room_found, room_unknown, pin_ok, pin_wrong, locked_out, recorded)");
}

}  // namespace

void init_ivr(py::module_& m) {
  py::class_<Menu, std::shared_ptr<Menu>>(m, "Menu", "An immutable DTMF menu (a state machine parsed from JSON, docs/ivr.md).")
      .def_static(
          "parse", [](const std::string& json, const std::string& source) { return std::make_shared<Menu>(Menu::parse(json, source)); },
          py::arg("json"), py::arg("source_name") = "<string>",
          "Parses and validates menu JSON. Raises ParseError, InvalidArgument, NotFound naming the field.")
      .def_static(
          "load_file", [](const std::filesystem::path& p) { return std::make_shared<Menu>(Menu::load_file(p)); },
          py::arg("path"), "Reads and parses a menu file. Raises IoError or as parse().")
      .def_static(
          "builtin_default", [] { return std::const_pointer_cast<Menu>(Menu::builtin_default()); },
          "welcome -> room number -> PIN -> join; three wrong PINs or no input -> operator.")
      .def_static("builtin_default_json", [] { return str(Menu::builtin_default_json()); })
      .def_property_readonly("name", &Menu::name)
      .def_property_readonly("source", &Menu::source)
      .def_property_readonly("state_count", [](const Menu& menu) { return menu.states().size(); });

  py::class_<IvrSession>(m, "IvrSession",
                         "One caller's walk through a Menu. Feed it inputs; each returns the actions the host must\n"
                         "carry out, as dicts with 'action' in play_prompt (id), stop_prompt, lookup_room (room),\n"
                         "check_pin (room, pin), join (room, role), route_to_operator (reason, room), record_name,\n"
                         "dial_out (number), hangup (reason). Times are now_ms on any monotonic ms clock.")
      .def(py::init([](std::shared_ptr<Menu> menu) { return std::make_unique<IvrSession>(std::move(menu)); }),
           py::arg("menu"), py::keep_alive<1, 2>())
      .def(
          "preset_room", [](IvrSession& s, const std::string& room) { check(s.preset_room(room), "IvrSession.preset_room"); },
          py::arg("room"), "Presets the room (a DID routed straight to it). Call before start().")
      .def(
          "start", [](IvrSession& s, std::int64_t now) { return actions(s.start(now)); }, py::arg("now_ms") = 0)
      .def(
          "on_digit",
          [](IvrSession& s, const std::string& digit, std::int64_t now) {
            if (digit.size() != 1) raise_error(errc::invalid_argument, "IvrSession.on_digit: one digit expected, got '" + digit + "'");
            return actions(s.on_digit(digit[0], now));
          },
          py::arg("digit"), py::arg("now_ms"))
      .def(
          "on_digits",
          [](IvrSession& s, const std::string& digits, std::int64_t now, std::int64_t step) {
            py::list all;
            for (char c : digits) {
              for (auto a : actions(s.on_digit(c, now))) all.append(a);
              now += step;
            }
            return all;
          },
          py::arg("digits"), py::arg("now_ms"), py::arg("step_ms") = 200,
          "Types several digits step_ms apart; returns all their actions.")
      .def(
          "on_prompt_done", [](IvrSession& s, std::int64_t now) { return actions(s.on_prompt_done(now)); },
          py::arg("now_ms"), "The prompt last asked for has finished playing.")
      .def(
          "on_tick", [](IvrSession& s, std::int64_t now) { return actions(s.on_tick(now)); }, py::arg("now_ms"),
          "Advances timeouts; call at least every next_deadline_ms.")
      .def(
          "on_host_reply",
          [](IvrSession& s, const std::string& kind, room::Role role, std::int64_t now) {
            return actions(s.on_host_reply(reply_from(kind, role), now));
          },
          py::arg("kind"), py::arg("role") = room::Role::participant, py::arg("now_ms") = 0,
          "Answers lookup_room/check_pin/record_name: kind is room_found, room_unknown, pin_ok (with role),\n"
          "pin_wrong, locked_out or recorded.")
      .def_property_readonly("started", &IvrSession::started)
      .def_property_readonly("finished", &IvrSession::finished)
      .def_property_readonly("state_name", [](const IvrSession& s) { return str(s.state_name()); })
      .def_property_readonly("room", [](const IvrSession& s) { return str(s.room()); })
      .def_property_readonly("entry", [](const IvrSession& s) { return str(s.entry()); })
      .def_property_readonly("pin_failures", &IvrSession::pin_failures)
      .def_property_readonly("next_deadline_ms", &IvrSession::next_deadline_ms);
}

}  // namespace libconf::python
