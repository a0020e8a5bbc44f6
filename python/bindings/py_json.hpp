// Python objects to JSON values and back: None, bool, int, float, str, lists and tuples, dicts
// with string keys, and numpy scalars (through their item()).
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace rbmkit::python {

namespace py = pybind11;

// TypeError naming `what` for anything else.
nlohmann::json to_json_value(const py::handle& obj, const std::string& what);
py::object from_json_value(const nlohmann::json& j);

}  // namespace rbmkit::python
