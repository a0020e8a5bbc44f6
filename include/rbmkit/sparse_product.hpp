// A M for A with mostly zero entries (binary unit states): out_r = sum over the nonzero A_ri of
// A_ri M_i, rows of M added four at a time. Cheaper than a dense GEMM when few of A's entries
// are nonzero (the visible states of image data are 10-20% ones), and free of GEMM's packing
// of M, which dominates for the small chain blocks of AIS and RAISE.
#pragma once

#include <vector>

#include "rbmkit/model.hpp"

namespace rbmkit {

// Above this fraction of nonzero entries of A, sparse_times runs a dense GEMM instead.
inline constexpr double kSparseTimesDensity = 0.4;

// out = A M for A (B, n), M (n, k), out (B, k) (resized), in float; by the sparse sum when at
// most kSparseTimesDensity of A's entries are nonzero, else by Eigen's GEMM. out must not
// alias A or M.
void sparse_times(const Matrix& A, const Matrix& M, Matrix& out);

// The column indices of the nonzero entries of x[0..n), ascending, into `active` (resized).
void nonzero_columns(const float* x, std::size_t n, std::vector<int>& active);

}  // namespace rbmkit
