#include "options.hpp"

#include <pybind11/stl.h>

#include "py_json.hpp"
#include "rbmkit/options/eval_options.hpp"
#include "rbmkit/options/sample_options.hpp"
#include "rbmkit/options/train_options.hpp"

namespace rbmkit::python {
namespace {

const char* kind_name(OptionKind k) {
  switch (k) {
    case OptionKind::Integer: return "integer";
    case OptionKind::Real: return "real";
    case OptionKind::Switch: return "switch";
    case OptionKind::Choice: return "choice";
    case OptionKind::Text: return "text";
    case OptionKind::Flag: return "flag";
  }
  return "text";
}

const char* role_name(OptionRole r) {
  switch (r) {
    case OptionRole::Model: return "model";
    case OptionRole::Run: return "run";
    case OptionRole::Output: return "output";
  }
  return "run";
}

template <class S>
bool find_keyword(const OptionTable<S>& table, const std::string& name, std::string& out) {
  for (const auto& o : table)
    if (o.name == name) {
      out = o.python_keyword();
      return true;
    }
  return false;
}

}  // namespace

nlohmann::json option_value(const OptionSpec& o, const py::handle& value) {
  if (o.kind == OptionKind::Switch && py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "on" : "off";
  if (o.kind == OptionKind::Switch && py::hasattr(value, "dtype") && py::str(value.attr("dtype").attr("kind")).cast<std::string>() == "b")
    return value.attr("item")().cast<bool>() ? "on" : "off";
  nlohmann::json j = to_json_value(value, o.python_keyword());
  // A whole float where an integer is asked for stays a float, and check() names it.
  return j;
}

py::object python_value(const OptionSpec& o, const nlohmann::json& value) {
  if (o.kind == OptionKind::Switch && value.is_string()) return py::bool_(value == "on");
  return from_json_value(value);
}

py::dict describe_option(const OptionSpec& o, const nlohmann::json& default_value) {
  py::dict d;
  d["name"] = o.name;
  d["keyword"] = o.python_keyword();
  d["label"] = o.label;
  d["kind"] = kind_name(o.kind);
  d["help"] = o.help;
  d["role"] = role_name(o.role);
  d["default"] = python_value(o, default_value);
  d["default_text"] = o.default_text;
  if (o.range) {
    py::dict r;
    r["min"] = o.range->min;
    r["max"] = o.range->max;
    r["min_open"] = o.range->min_open;
    r["max_open"] = o.range->max_open;
    r["text"] = o.range->text();
    d["range"] = r;
  } else {
    d["range"] = py::none();
  }
  d["choices"] = o.choices;
  d["nullable"] = o.nullable;
  return d;
}

std::string keyword_of(const std::string& name) {
  std::string out;
  if (find_keyword(train_options(), name, out) || find_keyword(eval_options(), name, out) ||
      find_keyword(sample_options(), name, out))
    return out;
  out = name;
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

}  // namespace rbmkit::python
