#include "rbmkit/io/foreign_model.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/formats/npz.hpp"

namespace rbmkit {
namespace {

std::vector<float> member(const std::map<std::string, NpyArray>& m, const std::string& name, std::size_t ndim,
                          const std::string& path, std::vector<std::size_t>& shape) {
  const auto it = m.find(name);
  if (it == m.end())
    throw FormatError(path + ": member '" + name + "' is missing (a BernoulliRBM's components_, intercept_hidden_ and "
                      "intercept_visible_ are needed)");
  if (it->second.shape.size() != ndim)
    throw FormatError(path + ": member '" + name + "' must have " + std::to_string(ndim) + " dimension" +
                      (ndim == 1 ? "" : "s") + "; it has shape " + npy_shape_text(it->second.shape));
  shape = it->second.shape;
  return npy_to_float32(it->second, path + ": member '" + name + "'");
}

}  // namespace

Model model_from_sklearn(const Matrix& components, const Vector& intercept_hidden, const Vector& intercept_visible) {
  const Eigen::Index H = components.rows(), d = components.cols();
  if (H == 0 || d == 0) throw DataError("components_ is empty; a model needs at least one visible and one hidden unit");
  if (intercept_hidden.size() != H || intercept_visible.size() != d)
    throw DataError("components_ is (" + std::to_string(H) + ", " + std::to_string(d) + ") but intercept_hidden_ has " +
                    std::to_string(intercept_hidden.size()) + " entries and intercept_visible_ " +
                    std::to_string(intercept_visible.size()) + " (expected H = " + std::to_string(H) + " and d = " +
                    std::to_string(d) + ")");
  if (!components.allFinite() || !intercept_hidden.allFinite() || !intercept_visible.allFinite())
    throw DataError("the scikit-learn model holds a value that is not finite");
  Model m;
  m.W = components.transpose();
  m.b = intercept_hidden;
  m.a = intercept_visible;
  m.visible_bias = true;
  return m;
}

Model read_sklearn_model(const std::string& path) {
  const auto members = read_npz(path);
  std::vector<std::size_t> cs, hs, vs;
  const std::vector<float> c = member(members, "components_", 2, path, cs);
  const std::vector<float> h = member(members, "intercept_hidden_", 1, path, hs);
  const std::vector<float> v = member(members, "intercept_visible_", 1, path, vs);
  try {
    return model_from_sklearn(
        Eigen::Map<const Matrix>(c.data(), static_cast<Eigen::Index>(cs[0]), static_cast<Eigen::Index>(cs[1])),
        Eigen::Map<const Vector>(h.data(), static_cast<Eigen::Index>(hs[0])),
        Eigen::Map<const Vector>(v.data(), static_cast<Eigen::Index>(vs[0])));
  } catch (const DataError& e) {
    throw FormatError(path + ": " + e.what());
  }
}

}  // namespace rbmkit
