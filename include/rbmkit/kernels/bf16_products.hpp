// Matrix products with bf16 operands and fp32 accumulation and results, through oneDNN (Debian's
// libdnnl): on this CPU's AMX tiles (oneDNN's brgemm AMX kernels) or AVX512_BF16 instructions.
//
// bf16 keeps float's exponent and 8 bits of its significand: 0, 1, -1 and small integers (binary
// and ternary unit states) are exact; other values are rounded to nearest (even) with a relative
// error of at most 2^-9. A product of K terms then has an absolute error of at most about
// 2^-8 sum_k |a_k b_k| (both operands rounded, fp32 sums), against the sampling noise of the
// Bernoulli states it feeds.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "rbmkit/kernels/matrix.hpp"

namespace rbmkit {

// True when oneDNN runs bf16 products in hardware here (AVX512_BF16 or AMX); elsewhere it
// would emulate them, slower than fp32.
bool bf16_products_fast();
// True when oneDNN has bf16 kernels on this CPU (AVX-512 and later). Elsewhere Bf16Weights and
// bf16_add_outer emulate them: the operands rounded to bf16 as here, multiplied in fp32 by Eigen
// (the same bounds; the sums in another order, and slower than fp32 products). The environment
// variable RBMKIT_BF16_EMULATE=1 makes it false, so that the emulation is tested on every CPU.
bool bf16_products_onednn();

// x rounded to the nearest bf16 (ties to even), as its 16 bits; NaN stays NaN.
std::uint16_t to_bf16(float x);
float from_bf16(std::uint16_t b);
// n values at once (AVX512_BF16 when present).
void to_bf16(const float* x, std::uint16_t* out, std::size_t n);

// The right operand B (K, N) of products A B, held in bf16 in oneDNN's preferred layout, and
// the products themselves for left operands A (M, K) of any row count. B is W or W^T of a float
// matrix; assign() again after W changes. Concurrent multiply() calls (several threads of an
// OpenMP region) are safe; each runs on its calling thread.
class Bf16Weights {
 public:
  Bf16Weights();
  ~Bf16Weights();
  Bf16Weights(Bf16Weights&&) noexcept;
  Bf16Weights& operator=(Bf16Weights&&) noexcept;

  // B = W (transpose false) or W^T (true), W (rows, cols) in float.
  void assign(const Matrix& W, bool transpose);
  // assign(W, the last transpose): after W changed.
  void reassign(const Matrix& W);
  // True when reassign(W) can be split between the threads of an OpenMP team as calls of
  // pack_owned_rows(W), one by each thread, each converting the rows of W that thread owns
  // (the rows bf16_add_outer updates on it); W has the shape of the last assign.
  bool packs_owned_rows(const Matrix& W) const;
  void pack_owned_rows(const Matrix& W);
  bool empty() const;
  Eigen::Index rows() const;  // K
  Eigen::Index cols() const;  // N

  // C (M, N) = A (M, K) B, plus bias (N) on every row when given; A rounded to bf16.
  void multiply(const Matrix& A, Matrix& C, const Vector* bias = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// M (n, k) += sum over the terms (A, Y, s) of s A^T Y, A (B, n) and Y (B, k) rounded to bf16,
// in one product with fp32 accumulation: the SGD update of W from both phases of a batch. With
// several threads each adds to its own rows of M, the rows it also converts in Bf16Weights::assign.
// Then every Bf16Weights in `refresh` (assigned from M before) is reassigned the new M, each
// thread converting the rows it has just updated, while they are in its cache.
struct OuterTerm {
  const Matrix* A;
  const Matrix* Y;
  float scale;
};
void bf16_add_outer(Matrix& M, const std::vector<OuterTerm>& terms, const std::vector<Bf16Weights*>& refresh = {});

}  // namespace rbmkit
