#include "rbmkit/io/standardization_file.hpp"

#include <cmath>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

constexpr const char* kMeanMember = "standardize_mean";
constexpr const char* kStdMember = "standardize_std";

std::vector<float> vector_member(const NpyArray& arr, const std::string& name, std::size_t d, const std::string& where) {
  const std::string what = where + ": member '" + name + "'";
  if (arr.shape.size() != 1 || arr.shape[0] != d)
    throw FormatError(what + " must have shape (" + std::to_string(d) + ",); it has shape " + npy_shape_text(arr.shape));
  return npy_to_float32(arr, what);
}

}  // namespace

std::vector<NpzMember> standardization_members(const Standardization& s) {
  const std::size_t d = static_cast<std::size_t>(s.mean.size());
  return {{kMeanMember, npy_float32({d}, s.mean.data())}, {kStdMember, npy_float32({d}, s.std.data())}};
}

std::optional<Standardization> read_standardization(const std::map<std::string, NpyArray>& members, std::size_t d,
                                                    const std::string& where) {
  const auto mean = members.find(kMeanMember), sd = members.find(kStdMember);
  if (mean == members.end() && sd == members.end()) return std::nullopt;
  if (mean == members.end() || sd == members.end())
    throw FormatError(where + ": has '" + std::string(mean == members.end() ? kStdMember : kMeanMember) + "' but not '" +
                      (mean == members.end() ? kMeanMember : kStdMember) + "'");
  const std::vector<float> m = vector_member(mean->second, kMeanMember, d, where);
  const std::vector<float> s = vector_member(sd->second, kStdMember, d, where);
  Standardization out{Vector(static_cast<Eigen::Index>(d)), Vector(static_cast<Eigen::Index>(d))};
  for (std::size_t j = 0; j < d; ++j) {
    if (!std::isfinite(m[j])) throw FormatError(where + ": member '" + kMeanMember + "' holds a non-finite value at " + std::to_string(j));
    if (!(std::isfinite(s[j]) && s[j] > 0.0f))
      throw FormatError(where + ": member '" + kStdMember + "' must be finite and > 0 (entry " + std::to_string(j) + ")");
    out.mean[static_cast<Eigen::Index>(j)] = m[j];
    out.std[static_cast<Eigen::Index>(j)] = s[j];
  }
  return out;
}

}  // namespace rbmkit
