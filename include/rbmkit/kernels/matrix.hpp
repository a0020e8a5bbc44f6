// The dense matrix and vector types every layer computes with (Eigen, float32).
//
// Matrix is row-major, so row i of W (d, H), the weights of visible unit i, is contiguous, and so
// is each chain's state in a batch (B, d). Shapes in comments are (rows, cols).
#pragma once

#include <Eigen/Core>

namespace rbmkit {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

}  // namespace rbmkit
