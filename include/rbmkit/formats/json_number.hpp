// A double as JSON. JSON has no infinities or NaN: they become null.
#pragma once

#include <cmath>

#include <nlohmann/json.hpp>

namespace rbmkit {

inline nlohmann::json json_number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

}  // namespace rbmkit
