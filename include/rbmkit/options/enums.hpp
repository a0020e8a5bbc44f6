// The enumerations users choose from by name, each with one name table that gives its
// to_string, its parser, its list of choices and the wording of its messages.
//
//   enum_name(UnitType::Ternary) == "ternary"
//   parse_enum<UnitType>("gaussian") == UnitType::Gaussian
//   parse_enum<Method>("pdc") throws InvalidArgument "unknown gradient estimator 'pdc' (expected cd, pcd or pt)"
//   enum_choices<Schedule>() == {"constant", "linear", "exp"}
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rbmkit {

// Unit types of a layer. Supported pairs (check_unit_types in model/units.hpp): visible
// Bernoulli {0,1} or Gaussian (real, unit variance); hidden Bernoulli {0,1} or ternary {-1,0,1}.
enum class UnitType { Bernoulli, Ternary, Gaussian };
// Gradient estimators: CD-k, persistent CD-k (Tieleman 2008), parallel tempering
// (Desjardins et al. 2010).
enum class Method { CD, PCD, PT };
// Learning-rate schedules over T updates: constant lr; linear lr (1 - t/T); exponential
// lr (lr_final / lr)^(t/T).
enum class Schedule { Constant, Linear, Exponential };
// How `rbmkit eval` estimates log Z: auto (exact when quick, else AIS and RAISE), exact
// enumeration, AIS, RAISE, or AIS and RAISE together.
enum class EvalMethod { Auto, Exact, Ais, Raise, Both };
// Pseudo-log-likelihood: one random bit per example (scaled by d), or every bit.
enum class PllMethod { Stochastic, Exact };
// Where sampling chains start: random data examples, noise, or data when a data spec is known.
enum class SampleStart { Auto, Data, Noise };
// The operands of the models' matrix products: fp32, or bf16 with fp32 accumulation
// (kernels/bf16_products.hpp); auto: bf16 where the CPU runs it in hardware, else fp32.
enum class Precision { Fp32, Bf16, Auto };

// The name table of an enumeration: `what` names the kind of value in messages.
template <class E>
struct EnumNames;

template <>
struct EnumNames<UnitType> {
  static constexpr std::string_view what = "unit type";
  static constexpr std::array<std::pair<UnitType, std::string_view>, 3> names{
      {{UnitType::Bernoulli, "bernoulli"}, {UnitType::Ternary, "ternary"}, {UnitType::Gaussian, "gaussian"}}};
};
template <>
struct EnumNames<Method> {
  static constexpr std::string_view what = "gradient estimator";
  static constexpr std::array<std::pair<Method, std::string_view>, 3> names{
      {{Method::CD, "cd"}, {Method::PCD, "pcd"}, {Method::PT, "pt"}}};
};
template <>
struct EnumNames<Schedule> {
  static constexpr std::string_view what = "learning-rate schedule";
  static constexpr std::array<std::pair<Schedule, std::string_view>, 3> names{
      {{Schedule::Constant, "constant"}, {Schedule::Linear, "linear"}, {Schedule::Exponential, "exp"}}};
};
template <>
struct EnumNames<EvalMethod> {
  static constexpr std::string_view what = "evaluation method";
  static constexpr std::array<std::pair<EvalMethod, std::string_view>, 5> names{
      {{EvalMethod::Auto, "auto"},
       {EvalMethod::Exact, "exact"},
       {EvalMethod::Ais, "ais"},
       {EvalMethod::Raise, "raise"},
       {EvalMethod::Both, "both"}}};
};
template <>
struct EnumNames<PllMethod> {
  static constexpr std::string_view what = "pseudo-likelihood method";
  static constexpr std::array<std::pair<PllMethod, std::string_view>, 2> names{
      {{PllMethod::Stochastic, "stochastic"}, {PllMethod::Exact, "exact"}}};
};
template <>
struct EnumNames<SampleStart> {
  static constexpr std::string_view what = "chain start";
  static constexpr std::array<std::pair<SampleStart, std::string_view>, 3> names{
      {{SampleStart::Auto, "auto"}, {SampleStart::Data, "data"}, {SampleStart::Noise, "noise"}}};
};

template <>
struct EnumNames<Precision> {
  static constexpr std::string_view what = "precision";
  static constexpr std::array<std::pair<Precision, std::string_view>, 3> names{
      {{Precision::Fp32, "fp32"}, {Precision::Bf16, "bf16"}, {Precision::Auto, "auto"}}};
};

// "a, b or c" for the given names.
std::string choice_list(const std::vector<std::string>& names);
// Throws InvalidArgument "unknown WHAT 'text' (expected a, b or c)".
[[noreturn]] void throw_unknown_name(std::string_view what, std::string_view text, const std::vector<std::string>& names);

template <class E>
std::string enum_name(E e) {
  for (const auto& [value, name] : EnumNames<E>::names)
    if (value == e) return std::string(name);
  return "unknown";
}

template <class E>
std::vector<std::string> enum_choices() {
  std::vector<std::string> out;
  for (const auto& entry : EnumNames<E>::names) out.emplace_back(entry.second);
  return out;
}

template <class E>
E parse_enum(std::string_view text) {
  for (const auto& [value, name] : EnumNames<E>::names)
    if (name == text) return value;
  throw_unknown_name(EnumNames<E>::what, text, enum_choices<E>());
}

inline std::string to_string(UnitType t) { return enum_name(t); }
inline std::string to_string(Method m) { return enum_name(m); }
inline std::string to_string(Schedule s) { return enum_name(s); }
inline UnitType parse_unit_type(const std::string& s) { return parse_enum<UnitType>(s); }

}  // namespace rbmkit
