// A M for A with mostly zero entries (binary unit states): out_r = sum over the nonzero A_ri of
// A_ri M_i, rows of M added four at a time. Cheaper than a dense GEMM when few of A's entries
// are nonzero (the visible states of image data are 10-20% ones), and free of GEMM's packing
// of M, which dominates for the small chain blocks of AIS and RAISE.
#pragma once

#include <cstdint>
#include <vector>

#include "rbmkit/kernels/matrix.hpp"
#include "rbmkit/kernels/simd.hpp"

namespace rbmkit {

// Batches of at most this many rows take the sparse paths (sums over the rows of W at nonzero
// pixels, in hidden_probs and in the SGD update): for binary data about 14% of W's rows are
// read instead of all of them, while larger batches win more from a blocked GEMM with AVX-512
// (with AVX2 the up products stay sparse at every batch size: kSparseUpProducts).
inline constexpr Eigen::Index kSparseBatchMax = 4;

// Above this fraction of nonzero entries of A, sparse_times runs a dense GEMM instead.
inline constexpr double kSparseTimesDensity = 0.4;

// Whether fp32 up products X = V W of batches above kSparseBatchMax take sparse_times too. With
// AVX2 (measured on a 2-core Zen 3, full MNIST, H = 500, CD-1, 2 threads) it beats Eigen's GEMM
// at every batch size: 12,482 against 20,603 ex/s at batch 10, 30,104 against 47,166 at batch
// 100. AVX-512 builds keep Eigen's GEMM there, as when kSparseBatchMax was set on such a CPU.
inline constexpr bool kSparseUpProducts = RBMKIT_SIMD_WIDTH != 16;

// out = A M for A (B, n), M (n, k), out (B, k) (resized), in float; by the sparse sum when at
// most kSparseTimesDensity of A's entries are nonzero (rows split between the threads, each row
// summed the same way whatever their number), else by Eigen's GEMM. out must not alias A or M.
void sparse_times(const Matrix& A, const Matrix& M, Matrix& out);

// M += alpha A^T Y for A (B, n) mostly zero, Y (B, k), M (n, k): the SGD update of W from
// the visible states A and hidden means Y of a batch. For each column i of A, the rows r with
// A_ri != 0 are listed once; then M_i += alpha sum_r A_ri Y_r is accumulated in registers,
// 64 columns of M at a time, so each row of M is read and written once and only the rows of Y
// that meet a nonzero are read. The blocks of 64 columns are split between threads; the
// result does not depend on the number of threads. Above kSparseTimesDensity nonzeros it runs
// Eigen's GEMM instead.
void add_sparse_outer(Matrix& M, const Matrix& A, const Matrix& Y, float alpha);

// The indices i in [from, to) where x[i] != 0 (NaN counts as nonzero), ascending, into out,
// which has room for to - from + 16; returns their count. Branch-free (AVX-512 compress, or
// AVX2 and a table of compressed lanes): a branch per entry on random binary states
// mispredicts about once per nonzero.
Eigen::Index nonzero_indices(const float* x, Eigen::Index from, Eigen::Index to, std::int32_t* out);

// The column indices of the nonzero entries of x[0..n), ascending, into `active` (resized).
void nonzero_columns(const float* x, std::size_t n, std::vector<int>& active);

}  // namespace rbmkit
