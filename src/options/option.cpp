#include "rbmkit/options/option.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace rbmkit {
namespace {

std::string number_text(double x) {
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

template <class T>
bool parse_whole(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::string expected(const OptionSpec& o) {
  switch (o.kind) {
    case OptionKind::Integer: return "an integer " + (o.range ? o.range->text() : std::string("number"));
    case OptionKind::Real: return "a number " + (o.range ? o.range->text() : std::string());
    case OptionKind::Switch: return "on or off";
    case OptionKind::Choice: return choice_list(o.choices);
    case OptionKind::Text: return "a non-empty value";
    case OptionKind::Flag: return "true or false";
  }
  return "valid";
}

}  // namespace

bool NumberRange::contains(double x) const {
  return (min_open ? x > min : x >= min) && (max_open ? x < max : x <= max);
}

std::string NumberRange::text() const {
  const bool low = std::isfinite(min), high = std::isfinite(max);
  if (low && high)
    return std::string("in ") + (min_open ? "(" : "[") + number_text(min) + ", " + number_text(max) + (max_open ? ")" : "]");
  if (low) return std::string(min_open ? "> " : ">= ") + number_text(min);
  if (high) return std::string(max_open ? "< " : "<= ") + number_text(max);
  return "";
}

void throw_option_error(const OptionSpec& o, const std::string& what, const std::string& got) {
  throw ParameterError(o.name, o.label + " must be " + what + " (got " + got + ")");
}

nlohmann::json OptionSpec::parse(std::string_view text) const {
  switch (kind) {
    case OptionKind::Integer: {
      const bool negative_allowed = range && range->min < 0;
      nlohmann::json value;
      if (negative_allowed) {
        std::int64_t x = 0;
        if (!parse_whole(text, x)) throw_option_error(*this, expected(*this), in_quotes(text));
        value = x;
      } else {
        std::uint64_t x = 0;
        if (!parse_whole(text, x)) throw_option_error(*this, expected(*this), in_quotes(text));
        value = x;
      }
      check(value);
      return value;
    }
    case OptionKind::Real: {
      double x = 0;
      if (!parse_whole(text, x) || !std::isfinite(x)) throw_option_error(*this, expected(*this), in_quotes(text));
      check(x);
      return x;
    }
    case OptionKind::Switch:
      if (text == "on" || text == "true" || text == "1") return "on";
      if (text == "off" || text == "false" || text == "0") return "off";
      throw_option_error(*this, expected(*this), in_quotes(text));
    case OptionKind::Flag:
      if (text == "on" || text == "true" || text == "1") return true;
      if (text == "off" || text == "false" || text == "0") return false;
      throw_option_error(*this, expected(*this), in_quotes(text));
    case OptionKind::Choice:
    case OptionKind::Text: {
      const nlohmann::json value = std::string(text);
      check(value);
      return value;
    }
  }
  throw_option_error(*this, expected(*this), in_quotes(text));
}

void OptionSpec::check(const nlohmann::json& v) const {
  if (v.is_null()) {
    if (nullable) return;
    throw_option_error(*this, expected(*this), "nothing");
  }
  switch (kind) {
    case OptionKind::Integer:
      if (!v.is_number_integer()) throw_option_error(*this, expected(*this), v.dump());
      if (range && !range->contains(v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>())
                                                           : static_cast<double>(v.get<std::int64_t>())))
        throw_option_error(*this, expected(*this), v.dump());
      return;
    case OptionKind::Real:
      if (!v.is_number() || !std::isfinite(v.get<double>()) || (range && !range->contains(v.get<double>())))
        throw_option_error(*this, expected(*this), v.is_number() ? number_text(v.get<double>()) : v.dump());
      return;
    case OptionKind::Switch:
      if (v != "on" && v != "off") throw_option_error(*this, expected(*this), v.dump());
      return;
    case OptionKind::Flag:
      if (!v.is_boolean()) throw_option_error(*this, expected(*this), v.dump());
      return;
    case OptionKind::Choice:
      if (v.is_string())
        for (const auto& c : choices)
          if (v == c) return;
      throw_option_error(*this, expected(*this), v.is_string() ? in_quotes(v.get<std::string>()) : v.dump());
    case OptionKind::Text:
      if (!v.is_string() || v.get<std::string>().empty()) throw_option_error(*this, expected(*this), v.dump());
      return;
  }
}

std::string OptionSpec::python_keyword() const {
  if (!keyword.empty()) return keyword;
  std::string k = name;
  for (char& c : k)
    if (c == '-') c = '_';
  return k;
}

std::string OptionSpec::shown_value_name() const {
  if (!value_name.empty()) return value_name;
  switch (kind) {
    case OptionKind::Integer: return "INT";
    case OptionKind::Real: return "FLOAT";
    case OptionKind::Switch: return "on|off";
    case OptionKind::Choice: {
      std::string s;
      for (const auto& c : choices) s += (s.empty() ? "" : "|") + c;
      return s;
    }
    case OptionKind::Text: return "TEXT";
    case OptionKind::Flag: return "";
  }
  return "";
}

std::string OptionSpec::shown_default(const nlohmann::json& value) const {
  if (!default_text.empty()) return default_text;
  if (value.is_null()) return "none";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return number_text(value.get<double>());
  return value.dump();
}

void check_file_extension(const std::string& option, const std::string& path, std::string_view extension,
                          const std::string& format) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!lower.ends_with(extension))
    throw ParameterError(option, "the file is written as " + format + ": give a name ending in " + std::string(extension) +
                                     " (got '" + path + "')");
}

std::string warning_text(const Warning& w, const OptionSpelling& spell) {
  return w.parameter.empty() ? w.text : spell(w.parameter) + " " + w.text;
}

nlohmann::json float_json(float x) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

std::string choice_list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return s;
}

void throw_unknown_name(std::string_view what, std::string_view text, const std::vector<std::string>& names) {
  throw InvalidArgument("unknown " + std::string(what) + " '" + std::string(text) + "' (expected " + choice_list(names) + ")");
}

}  // namespace rbmkit
