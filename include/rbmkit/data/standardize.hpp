// Per-column standardisation of real-valued data for Gaussian visible units (unit variance, so
// the data should have unit variance too; Hinton 2010, "A practical guide to training RBMs",
// section 13.2):
//   z_ij = (x_ij - mean_j) / std_j,   x_ij = z_ij std_j + mean_j,
// mean_j and std_j (population standard deviation, denominator n) computed on the training data
// in double precision; a constant column keeps std_j = 1. model.npz stores both
// (io/standardization_file.hpp), so that sampling and evaluation can apply or undo them.
#pragma once


#include "rbmkit/data/dataset.hpp"
#include "rbmkit/kernels/matrix.hpp"

namespace rbmkit {

struct Standardization {
  Vector mean;  // (d)
  Vector std;   // (d), every entry > 0
};

// Column means and standard deviations of `data` (n, d). Throws DataError when the data has no
// rows or a non-finite value (naming its 0-based row and column).
Standardization fit_standardization(const Dataset& data);

// (x - mean) / std row by row (real-valued, image shape kept). Throws DataError when the widths
// differ.
Dataset standardize(const Dataset& data, const Standardization& s);

// In place, every row x of X (n, d): x <- x * std + mean.
void unstandardize(Matrix& X, const Standardization& s);

}  // namespace rbmkit
