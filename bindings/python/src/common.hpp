#pragma once

#include <string>
#include <string_view>
// Helpers shared by the binding files: NumPy <-> span conversion (no copies
// where the layout allows), and raising libconf errors as the matching Python
// exception class (see errors.cpp).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::python {

/// Visitor built from lambdas, for std::visit over the action/event variants.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

inline std::string str(std::string_view s) { return std::string(s); }

namespace py = pybind11;

}  // namespace libconf::python

namespace boost::json {
class value;
}  // namespace boost::json

namespace libconf::python {

/// A JSON value as the matching Python object (dict, list, str, int, float, bool, None).
py::object to_python(const boost::json::value& v);

// One init function per module file.
void init_errors(py::module_& m);
void init_audio(py::module_& m);
void init_codec(py::module_& m);
void init_dsp(py::module_& m);
void init_jitter(py::module_& m);
void init_mix(py::module_& m);
void init_engine(py::module_& m);
void init_scenario(py::module_& m);
void init_room(py::module_& m);
void init_ivr(py::module_& m);
void init_store(py::module_& m);

/// Raises the Python exception class of code (libconf.<CamelCaseName>) with
/// message; never returns.
[[noreturn]] void raise_error(std::error_code code, const std::string& message);
[[noreturn]] inline void raise_error(errc code, const std::string& message) {
  raise_error(make_error_code(code), message);
}

/// The value of r, or raises its error (context names the call).
template <class T>
T unwrap(Result<T>&& r, const char* context) {
  if (!r) raise_error(r.error(), std::string(context) + ": " + r.error().message());
  return std::move(*r);
}
inline void check(const Result<void>& r, const char* context) {
  if (!r) raise_error(r.error(), std::string(context) + ": " + r.error().message());
}

/// A read-only view of int16 samples. Accepts a C-contiguous np.int16 array
/// without copying, any other sequence of integers by converting it. Arrays of
/// another dtype raise TypeError (silently casting floats to int16 would
/// truncate a [-1, 1] signal to zeros).
class Samples {
 public:
  explicit Samples(const py::handle& obj);
  std::span<const std::int16_t> span() const noexcept { return span_; }
  std::size_t size() const noexcept { return span_.size(); }
  const py::array& array() const noexcept { return array_; }

 private:
  py::array array_;
  std::span<const std::int16_t> span_;
};

/// A writable view of a C-contiguous np.int16 array (for in-place processing
/// and recordings). Anything else raises TypeError: a silent copy would lose the writes.
std::span<std::int16_t> writable_samples(const py::array& array, const char* what);

/// A new np.int16 array owning the vector's memory (no copy).
py::array_t<std::int16_t> to_numpy(std::vector<std::int16_t>&& samples);
/// A new np.int16 array of n zeros.
py::array_t<std::int16_t> zeros(std::size_t n);
/// A 1-D np.int16 view of memory owned by base (writable or read-only).
py::array view(std::span<const std::int16_t> samples, const py::handle& base, bool writable);

/// bytes -> byte span (no copy; valid while the bytes object lives).
inline std::span<const std::uint8_t> byte_span(const py::bytes& b) {
  char* data = nullptr;
  Py_ssize_t size = 0;
  PyBytes_AsStringAndSize(b.ptr(), &data, &size);
  return {reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)};
}

}  // namespace libconf::python
