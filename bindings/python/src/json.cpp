// Boost.JSON values as Python objects: how events serialised by the library's
// one serialiser (room::to_json, service::to_json) reach Python as dicts.
#include <boost/json/value.hpp>

#include "common.hpp"

namespace libconf::python {

py::object to_python(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return py::none();
    case boost::json::kind::bool_: return py::bool_(v.get_bool());
    case boost::json::kind::int64: return py::int_(v.get_int64());
    case boost::json::kind::uint64: return py::int_(v.get_uint64());
    case boost::json::kind::double_: return py::float_(v.get_double());
    case boost::json::kind::string: return py::str(std::string(v.get_string()));
    case boost::json::kind::array: {
      py::list out;
      for (const auto& x : v.get_array()) out.append(to_python(x));
      return out;
    }
    case boost::json::kind::object: {
      py::dict out;
      for (const auto& kv : v.get_object()) out[py::str(std::string(kv.key()))] = to_python(kv.value());
      return out;
    }
  }
  return py::none();
}

}  // namespace libconf::python
