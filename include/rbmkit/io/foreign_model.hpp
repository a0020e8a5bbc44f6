// Models made by other toolkits.
//
// scikit-learn's BernoulliRBM (sklearn.neural_network) has binary units on both layers and the
// energy E(v, h) = -v^T C^T h - c_v^T v - c_h^T h with its fitted attributes
//   components_ C (H, d), intercept_hidden_ c_h (H), intercept_visible_ c_v (d),
// so W = C^T, b = c_h, a = c_v in rbmkit's notation (model/model.hpp).
#pragma once

#include <string>

#include "rbmkit/io/model_file.hpp"

namespace rbmkit {

// The model of a BernoulliRBM's attributes: components (H, d), intercept_hidden (H),
// intercept_visible (d). Throws DataError when the shapes disagree or a value is not finite.
Model model_from_sklearn(const Matrix& components, const Vector& intercept_hidden, const Vector& intercept_visible);

// Reads an .npz holding components_, intercept_hidden_ and intercept_visible_ (float32 or
// float64; numpy.savez(path, components_=rbm.components_, ...)). Throws IoError when it cannot
// be read, FormatError naming the file and the member at fault otherwise.
Model read_sklearn_model(const std::string& path);

}  // namespace rbmkit
