// Option tables seen from Python: keywords instead of flag names, Python values instead of the
// tables' JSON forms (True / False for switches), and the tables themselves as lists of dicts
// so that the estimators' parameters, validation and docstrings come from the library.
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/options/option.hpp"

namespace rbmkit::python {

namespace py = pybind11;

// The option of `table` whose Python keyword is `keyword`; TypeError when there is none.
template <class S>
const Option<S>& option_by_keyword(const OptionTable<S>& table, const std::string& keyword, const std::string& what) {
  for (const auto& o : table)
    if (o.python_keyword() == keyword) return o;
  throw py::type_error(what + " got an unexpected keyword argument '" + keyword + "'");
}

// A Python value as the table's JSON form of option `o` (bool -> "on"/"off" for switches, numpy
// scalars to numbers); the JSON form back to Python.
nlohmann::json option_value(const OptionSpec& o, const py::handle& value);
py::object python_value(const OptionSpec& o, const nlohmann::json& value);

// {keyword: value} -> the table's option values (by name), each checked (ParameterError).
template <class S>
OptionValues option_values(const OptionTable<S>& table, const py::dict& given, const std::string& what) {
  OptionValues out;
  for (const auto& [k, v] : given) {
    const Option<S>& o = option_by_keyword(table, py::cast<std::string>(k), what);
    nlohmann::json value = option_value(o, v);
    o.check(value);
    out.emplace_back(o.name, std::move(value));
  }
  return out;
}

// One dict per option: name, keyword, label, kind, help, role, default, range (min, max,
// min_open, max_open) or None, choices, nullable.
template <class S>
py::list describe_table(const OptionTable<S>& table);

py::dict describe_option(const OptionSpec& o, const nlohmann::json& default_value);

template <class S>
py::list describe_table(const OptionTable<S>& table) {
  py::list out;
  const S defaults{};
  for (const auto& o : table) out.append(describe_option(o, o.get(defaults)));
  return out;
}

// The Python keyword of the option named `name` in any command's table (the name with '-' ->
// '_' when no table knows it): how ParameterError messages name their parameter.
std::string keyword_of(const std::string& name);

}  // namespace rbmkit::python
