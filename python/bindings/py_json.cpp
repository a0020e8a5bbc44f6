#include "py_json.hpp"

namespace rbmkit::python {

nlohmann::json to_json_value(const py::handle& obj, const std::string& what) {
  if (obj.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(obj)) return obj.cast<bool>();
  if (py::isinstance<py::int_>(obj)) {
    const long long v = obj.cast<long long>();
    if (v >= 0) return static_cast<std::uint64_t>(v);
    return static_cast<std::int64_t>(v);
  }
  if (py::isinstance<py::float_>(obj)) return obj.cast<double>();
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
  if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
    nlohmann::json out = nlohmann::json::array();
    for (const py::handle item : obj) out.push_back(to_json_value(item, what));
    return out;
  }
  if (py::isinstance<py::dict>(obj)) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : obj.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k)) throw py::type_error(what + ": dictionary keys must be strings");
      out[k.cast<std::string>()] = to_json_value(v, what + "[" + k.cast<std::string>() + "]");
    }
    return out;
  }
  // numpy scalars (numpy.int64, numpy.float32, numpy.bool_, ...): their Python value.
  if (py::hasattr(obj, "item") && py::hasattr(obj, "dtype") && py::len(obj.attr("shape")) == 0)
    return to_json_value(obj.attr("item")(), what);
  throw py::type_error(what + ": a value of type " + std::string(py::str(py::type::handle_of(obj).attr("__name__"))) +
                       " is not a number, string, bool or None");
}

py::object from_json_value(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(j.get<double>());
    case nlohmann::json::value_t::string: return py::str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& v : j) out.append(from_json_value(v));
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [k, v] : j.items()) out[py::str(k)] = from_json_value(v);
      return out;
    }
    default: return py::none();
  }
}

}  // namespace rbmkit::python
