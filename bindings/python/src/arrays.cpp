// NumPy <-> span helpers (see common.hpp).
#include <memory>

#include "common.hpp"

namespace libconf::python {

namespace {
bool is_int16_c_array(const py::array& a) {
  return a.dtype().is(py::dtype::of<std::int16_t>()) && (a.flags() & py::array::c_style) && a.ndim() <= 1;
}
}  // namespace

Samples::Samples(const py::handle& obj) {
  if (py::isinstance<py::array>(obj)) {
    py::array a = py::reinterpret_borrow<py::array>(obj);
    if (a.ndim() > 1) throw py::type_error("expected a 1-D array of int16 samples, got " + std::to_string(a.ndim()) + " dimensions");
    if (!a.dtype().is(py::dtype::of<std::int16_t>()))
      throw py::type_error("expected int16 samples, got dtype " + std::string(py::str(a.dtype())) +
                           " (convert explicitly, e.g. (x * 32767).astype(np.int16))");
    array_ = is_int16_c_array(a) ? a : py::array(py::array_t<std::int16_t, py::array::c_style | py::array::forcecast>::ensure(a));
  } else {
    array_ = py::array_t<std::int16_t, py::array::c_style | py::array::forcecast>::ensure(obj);
    if (!array_) throw py::type_error("expected int16 samples (a numpy array or a sequence of ints)");
    if (array_.ndim() > 1) throw py::type_error("expected a 1-D sequence of samples");
  }
  span_ = {static_cast<const std::int16_t*>(array_.data()), static_cast<std::size_t>(array_.size())};
}

std::span<std::int16_t> writable_samples(const py::array& a, const char* what) {
  if (!is_int16_c_array(a))
    throw py::type_error(std::string(what) + ": expected a C-contiguous 1-D np.int16 array (processed in place)");
  if (!a.writeable()) throw py::value_error(std::string(what) + ": the array is read-only");
  return {static_cast<std::int16_t*>(const_cast<void*>(a.data())), static_cast<std::size_t>(a.size())};
}

py::array_t<std::int16_t> to_numpy(std::vector<std::int16_t>&& samples) {
  auto* owned = new std::vector<std::int16_t>(std::move(samples));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<std::int16_t>*>(p); });
  return py::array_t<std::int16_t>({static_cast<py::ssize_t>(owned->size())}, {sizeof(std::int16_t)}, owned->data(),
                                   owner);
}

py::array_t<std::int16_t> zeros(std::size_t n) {
  py::array_t<std::int16_t> a(static_cast<py::ssize_t>(n));
  std::fill_n(a.mutable_data(), n, std::int16_t{0});
  return a;
}

py::array view(std::span<const std::int16_t> samples, const py::handle& base, bool writable) {
  py::array a(py::dtype::of<std::int16_t>(), {static_cast<py::ssize_t>(samples.size())}, {sizeof(std::int16_t)},
              samples.data(), base);
  if (!writable) a.attr("setflags")(py::arg("write") = false);
  return a;
}

}  // namespace libconf::python
