#include "rbmkit/options/binarization.hpp"

#include <charconv>
#include <cmath>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

using Kind = Binarization::Kind;

template <class T>
bool parse_whole(const std::string& s, T& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

[[noreturn]] void bad_binarization(const std::string& text) {
  throw InvalidArgument("binarization '" + text +
                        "': expected auto, none, threshold, threshold:T (T a number on the raw "
                        "scale, 0..255 for byte data), stochastic or stochastic:SEED");
}

}  // namespace

std::string shortest_number(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

Binarization parse_binarization(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::string head = text.substr(0, colon);
  const bool has_arg = colon != std::string::npos;
  const std::string arg = has_arg ? text.substr(colon + 1) : "";
  Binarization b;
  if (head == "auto" && !has_arg) {
    b.kind = Kind::Auto;
  } else if (head == "none" && !has_arg) {
    b.kind = Kind::None;
  } else if (head == "threshold") {
    b.kind = Kind::Threshold;
    if (has_arg && !(parse_whole(arg, b.threshold) && std::isfinite(b.threshold))) bad_binarization(text);
  } else if (head == "stochastic") {
    b.kind = Kind::Stochastic;
    if (has_arg && !parse_whole(arg, b.seed)) bad_binarization(text);
  } else {
    bad_binarization(text);
  }
  return b;
}

std::string to_string(const Binarization& b) {
  switch (b.kind) {
    case Kind::Auto: return "auto";
    case Kind::None: return "none";
    case Kind::Threshold: return "threshold:" + shortest_number(b.threshold);
    case Kind::Stochastic: return "stochastic:" + std::to_string(b.seed);
  }
  return "auto";
}

}  // namespace rbmkit
