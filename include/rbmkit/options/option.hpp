// Option tables: each setting of a command declared once, with its name, type, range or choices,
// help and role. Defaults are the settings struct's own member initialisers (S{}), read through
// the table. Front ends derive everything from a table: the CLI its flags, --help and defaults,
// the Python module its keyword arguments; the library validates with it, so a value out of range
// is refused with the same message wherever it came from:
//
//   ParameterError("lr", "learning rate must be > 0 (got -1)")
//
// which the CLI shows as "--lr: learning rate must be > 0 (got -1)".
//
// Values travel as JSON: numbers, "on"/"off" for switches, strings for choices and texts, true
// or false for flags, and null for a text or number that is not set. model.npz's meta records
// the Model and Run options of a training run in this form.
#pragma once

#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

enum class OptionKind {
  Integer,  // a whole number in `range`
  Real,     // a finite number in `range`
  Switch,   // on | off (also true/false, 1/0)
  Choice,   // one of `choices`
  Text,     // a data spec, a path, a rule; checked by whoever reads it
  Flag,     // no value: given or not (--json)
};

// What a setting is to a run (for training: whether it defines the model).
enum class OptionRole {
  Model,   // defines the trained model; recorded in model.npz's meta; fixed on --resume
  Run,     // how the run goes (seed, length, threads, reporting); recorded in meta
  Output,  // where and how results are shown (paths, pictures, verbosity); not recorded
};

// A closed or open interval of numbers; integers use closed bounds.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;
  bool contains(double x) const;
  // "> 0", ">= 1", "in [0, 1)", "in [1, 100000]"
  std::string text() const;
};

// The descriptive part of an option; Option<S> adds access to a settings struct S.
struct OptionSpec {
  std::string name;        // flag without dashes, e.g. "lr"; positionals: upper case, e.g. "MODEL"
  std::string label;       // the parameter in messages, e.g. "learning rate"
  OptionKind kind = OptionKind::Text;
  std::string help;        // what it does (its default is shown from the struct)
  OptionRole role = OptionRole::Run;
  std::optional<NumberRange> range;   // Integer and Real
  std::vector<std::string> choices;   // Choice
  std::vector<std::string> aliases;   // older flag names still accepted
  std::string keyword;     // Python keyword argument; empty: the name with '-' -> '_'
  std::string value_name;  // shown in help (INT, FLOAT, SPEC, ...); empty: from the kind
  std::string default_text;  // shown as the default when it is decided at run time ("the model's")
  bool positional = false;
  bool required = false;
  bool nullable = false;   // null (not set) is a valid value

  // The value of `text` as JSON, checked; throws ParameterError naming this option.
  nlohmann::json parse(std::string_view text) const;
  // Throws ParameterError unless `value` is valid for this option (type, range, choices).
  void check(const nlohmann::json& value) const;
  // The Python keyword (keyword, or the name with '-' -> '_').
  std::string python_keyword() const;
  // Shown in help for a value name: value_name, else "INT", "FLOAT", "on|off", choices joined by '|'.
  std::string shown_value_name() const;
  // The default as help shows it: default_text, else the value ("on", "0.1", "none" for null).
  std::string shown_default(const nlohmann::json& value) const;
};

// A warning for the user. `parameter` names the option it is about (its table name, e.g.
// "ais-chains"), empty when none; a front end shows it as its own spelling of the option
// followed by `text` ("--chains is ignored with the exact method").
struct Warning {
  std::string parameter;
  std::string text;
};

// How a front end spells an option of a table, e.g. "ais-chains" -> "--ais-chains".
using OptionSpelling = std::function<std::string(const std::string&)>;

// "<option as spelled> <text>", or the text alone when the warning names no option.
std::string warning_text(const Warning& w, const OptionSpelling& spell);

// Throws ParameterError naming `option` unless `path` ends in `extension` (any letter case),
// e.g. ("out", "samples.jpg", ".png", "PNG"): "... is written as PNG: give a name ending in .png".
void check_file_extension(const std::string& option, const std::string& path, std::string_view extension,
                          const std::string& format);

// Throws ParameterError "<label> must be <what> (got <value>)" for this option.
[[noreturn]] void throw_option_error(const OptionSpec& o, const std::string& what, const std::string& got);

template <class S>
struct Option : OptionSpec {
  std::function<nlohmann::json(const S&)> get;
  std::function<void(S&, const nlohmann::json&)> put;  // `value` already passed check()
};

template <class S>
using OptionTable = std::vector<Option<S>>;

// --- JSON form of field types -----------------------------------------------------------------

// A float as the shortest decimal that reads back as the same float ("0.1", not
// 0.10000000149011612), as a JSON number.
nlohmann::json float_json(float x);

template <class T>
nlohmann::json value_json(const T& v, OptionKind kind) {
  if constexpr (std::is_same_v<T, bool>) {
    return kind == OptionKind::Flag ? nlohmann::json(v) : nlohmann::json(v ? "on" : "off");
  } else if constexpr (std::is_enum_v<T>) {
    return enum_name(v);
  } else if constexpr (std::is_same_v<T, float>) {
    return float_json(v);
  } else {
    return nlohmann::json(v);
  }
}

template <class T>
T value_from_json(const nlohmann::json& j, OptionKind kind) {
  if constexpr (std::is_same_v<T, bool>) {
    return kind == OptionKind::Flag ? j.get<bool>() : j.get<std::string>() == "on";
  } else if constexpr (std::is_enum_v<T>) {
    return parse_enum<T>(j.get<std::string>());
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(j.get<double>());
  } else {
    return j.get<T>();
  }
}

// An option bound to member `field` of S.
template <class S, class T>
Option<S> field(OptionSpec spec, T S::*member) {
  Option<S> o{std::move(spec), {}, {}};
  const OptionKind kind = o.kind;
  o.get = [member, kind](const S& s) { return value_json(s.*member, kind); };
  o.put = [member, kind](S& s, const nlohmann::json& v) { s.*member = value_from_json<T>(v, kind); };
  if constexpr (std::is_enum_v<T>)
    if (o.choices.empty()) o.choices = enum_choices<T>();
  return o;
}

// A text field for which the empty string means "not set" (JSON null).
template <class S>
Option<S> optional_text(OptionSpec spec, std::string S::*member) {
  spec.nullable = true;
  Option<S> o{std::move(spec), {}, {}};
  o.get = [member](const S& s) { return (s.*member).empty() ? nlohmann::json(nullptr) : nlohmann::json(s.*member); };
  o.put = [member](S& s, const nlohmann::json& v) { s.*member = v.is_null() ? std::string() : v.get<std::string>(); };
  return o;
}

// The options of a table of T, seen through member `part` of S (e.g. TrainConfig inside
// TrainSettings).
template <class S, class T>
OptionTable<S> lift(const OptionTable<T>& table, T S::*part) {
  OptionTable<S> out;
  for (const Option<T>& o : table) {
    Option<S> l{static_cast<const OptionSpec&>(o), {}, {}};
    l.get = [get = o.get, part](const S& s) { return get(s.*part); };
    l.put = [put = o.put, part](S& s, const nlohmann::json& v) { put(s.*part, v); };
    out.push_back(std::move(l));
  }
  return out;
}

template <class S>
OptionTable<S> concat(OptionTable<S> a, const OptionTable<S>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The option called `name` (or one of its aliases); InvalidArgument "unknown <what> option 'x'".
template <class S>
const Option<S>& find_option(const OptionTable<S>& table, std::string_view name, std::string_view what = "") {
  for (const Option<S>& o : table) {
    if (o.name == name) return o;
    for (const auto& a : o.aliases)
      if (a == name) return o;
  }
  throw InvalidArgument("unknown " + std::string(what) + (what.empty() ? "" : " ") + "option '" + std::string(name) + "'");
}

template <class S>
void set_option(S& s, const Option<S>& o, std::string_view text) {
  o.put(s, o.parse(text));
}

template <class S>
void set_option_json(S& s, const Option<S>& o, const nlohmann::json& value) {
  o.check(value);
  o.put(s, value);
}

// Values a front end was given, by option name (or alias), in the order given; each is checked
// when applied.
using OptionValues = std::vector<std::pair<std::string, nlohmann::json>>;

// Sets every given value (find_option, then set_option_json).
template <class S>
void apply_options(S& s, const OptionTable<S>& table, const OptionValues& values) {
  for (const auto& [name, value] : values) set_option_json(s, find_option(table, name), value);
}

// Throws ParameterError for the first option whose current value is invalid.
template <class S>
void check_options(const S& s, const OptionTable<S>& table) {
  for (const Option<S>& o : table) o.check(o.get(s));
}

// The values of the options whose role is in `roles`, by name.
template <class S>
nlohmann::json options_json(const S& s, const OptionTable<S>& table, std::initializer_list<OptionRole> roles) {
  nlohmann::json j = nlohmann::json::object();
  for (const Option<S>& o : table)
    for (OptionRole r : roles)
      if (o.role == r) j[o.name] = o.get(s);
  return j;
}

}  // namespace rbmkit
