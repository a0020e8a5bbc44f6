// Per-column standardisation of real-valued data for Gaussian visible units (unit variance, so
// the data should have unit variance too; Hinton 2010, "A practical guide to training RBMs",
// section 13.2):
//   z_ij = (x_ij - mean_j) / std_j,   x_ij = z_ij std_j + mean_j,
// mean_j and std_j (population standard deviation, denominator n) computed on the training data
// in double precision; a constant column keeps std_j = 1. model.npz stores both as float32 (d,)
// members "standardize_mean" and "standardize_std", so that sampling and evaluation can apply
// or undo them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rbmkit/dataset.hpp"
#include "rbmkit/model.hpp"
#include "rbmkit/npz.hpp"

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

// The two model.npz members that hold `s`.
std::vector<NpzMember> standardization_members(const Standardization& s);

// The standardisation stored in a model.npz's members, if it has one. Throws FormatError naming
// `where` when only one of the two members is present, either is not a float vector of length
// d, or a std entry is not finite and > 0.
std::optional<Standardization> read_standardization(const std::map<std::string, NpyArray>& members, std::size_t d,
                                                    const std::string& where);

// read_standardization of the model.npz (or checkpoint) at `path` for d visible units. Throws
// IoError when the file cannot be read, FormatError as read_npz and read_standardization.
std::optional<Standardization> read_model_standardization(const std::string& path, std::size_t d);

}  // namespace rbmkit
