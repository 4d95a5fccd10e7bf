// libconf.LibconfError and one subclass per libconf::errc enumerator, named
// after it in CamelCase (unknown_codec -> UnknownCodec). libconf::Error and
// std::system_error of the libconf category thrown in C++, and Result errors,
// arrive in Python as the matching subclass with the message; .code is the
// libconf.Errc value.
#include <array>
#include <cctype>
#include <string_view>

#include "common.hpp"

namespace libconf::python {
namespace {

struct ErrcName {
  errc code;
  const char* name;
};

// Every enumerator of libconf::errc, in order. The static_assert below fails
// the build when an enumerator is added to error.hpp but not here.
constexpr ErrcName kErrcNames[] = {
    {errc::ok, "ok"},
    {errc::invalid_argument, "invalid_argument"},
    {errc::unsupported_sample_rate, "unsupported_sample_rate"},
    {errc::unsupported_frame_size, "unsupported_frame_size"},
    {errc::buffer_too_small, "buffer_too_small"},
    {errc::unknown_codec, "unknown_codec"},
    {errc::codec_error, "codec_error"},
    {errc::malformed_packet, "malformed_packet"},
    {errc::authentication_failed, "authentication_failed"},
    {errc::replayed_packet, "replayed_packet"},
    {errc::capacity_exceeded, "capacity_exceeded"},
    {errc::not_found, "not_found"},
    {errc::already_exists, "already_exists"},
    {errc::permission_denied, "permission_denied"},
    {errc::wrong_pin, "wrong_pin"},
    {errc::locked_out, "locked_out"},
    {errc::room_locked, "room_locked"},
    {errc::room_full, "room_full"},
    {errc::quota_exceeded, "quota_exceeded"},
    {errc::parse_error, "parse_error"},
    {errc::io_error, "io_error"},
    {errc::store_error, "store_error"},
    {errc::timeout, "timeout"},
    {errc::invalid_state, "invalid_state"},
    {errc::not_supported, "not_supported"},
};
constexpr std::size_t kErrcCount = std::size(kErrcNames);
static_assert(static_cast<std::size_t>(errc::not_supported) + 1 == kErrcCount,
              "kErrcNames must list every libconf::errc enumerator");
constexpr bool names_in_order() {
  for (std::size_t i = 0; i < kErrcCount; ++i)
    if (static_cast<std::size_t>(kErrcNames[i].code) != i) return false;
  return true;
}
static_assert(names_in_order(), "kErrcNames must follow the enum's order");

std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

// Owned for the life of the interpreter (module objects are never unloaded).
PyObject* g_base = nullptr;
std::array<PyObject*, kErrcCount> g_classes{};
py::object* g_errc_enum = nullptr;

}  // namespace

[[noreturn]] void raise_error(std::error_code code, const std::string& message) {
  PyObject* cls = g_base;
  py::object code_value = py::none();
  if (code.category() == error_category() && code.value() > 0 && static_cast<std::size_t>(code.value()) < kErrcCount) {
    cls = g_classes[static_cast<std::size_t>(code.value())];
    code_value = (*g_errc_enum)(code.value());
  }
  py::object instance = py::reinterpret_steal<py::object>(PyObject_CallFunction(cls, "s", message.c_str()));
  if (!instance) throw py::error_already_set();
  instance.attr("code") = code_value;
  PyErr_SetObject(cls, instance.ptr());
  throw py::error_already_set();
}

void init_errors(py::module_& m) {
  py::enum_<errc> e(m, "Errc", "libconf error codes (libconf::errc); LibconfError.code holds one.");
  for (const auto& n : kErrcNames) e.value(n.name, n.code);
  g_errc_enum = new py::object(e);

  g_base = PyErr_NewExceptionWithDoc(
      "libconf.LibconfError",
      "Base class of every libconf error. .code is the libconf.Errc value; str() is the\n"
      "C++ message, which names the bad value (e.g. \"unknown codec 'G729'\").",
      PyExc_Exception, nullptr);
  m.add_object("LibconfError", py::handle(g_base).inc_ref());
  // Argument-range errors are also ValueErrors, as Python code expects.
  const bool value_error[kErrcCount] = {false, true, true, true};
  for (std::size_t i = 1; i < kErrcCount; ++i) {
    const std::string name = camel_case(kErrcNames[i].name);
    const std::string qualified = "libconf." + name;
    const std::string doc = "libconf::errc::" + std::string(kErrcNames[i].name) + ": " +
                            make_error_code(kErrcNames[i].code).message() + ".";
    py::object bases = value_error[i] ? py::object(py::make_tuple(py::handle(g_base), py::handle(PyExc_ValueError)))
                                      : py::reinterpret_borrow<py::object>(g_base);
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc.c_str(), bases.ptr(), nullptr);
    if (!cls) throw py::error_already_set();
    g_classes[i] = cls;
    m.add_object(name.c_str(), py::handle(cls).inc_ref());
  }
  m.def(
      "error_class", [](errc code) { return py::handle(g_classes[static_cast<std::size_t>(code)]).inc_ref(); },
      py::arg("code"), "The exception class raised for an Errc value.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const std::system_error& e) {
      if (e.code().category() != error_category()) throw;
      try {
        raise_error(e.code(), e.what());
      } catch (py::error_already_set& err) {
        err.restore();
      }
    }
  });
}

}  // namespace libconf::python
