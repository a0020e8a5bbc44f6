// The two matrix products of an RBM, in the precision of a run:
//   up    X = V W + 1 b^T   (B, H) from visible states V (B, d)
//   down  Y = S W^T + 1 a^T (B, d) from hidden states S (B, H)
// fp32: Eigen's GEMM, or sums over the rows of W at the nonzero entries for batches of at most
// kSparseBatchMax rows (kernels/sparse_product.hpp), as every fp32 result so far; with AVX2
// (kSparseUpProducts) up products of larger batches are sparse_times' sums too, which runs the
// GEMM itself when V is dense (Gaussian visible data, probabilities). bf16: oneDNN with
// W held in bf16 twice (as W and as W^T, in its preferred layouts; kernels/bf16_products.hpp);
// binary and ternary states are exact in bf16, so the only rounding is W's (relative 2^-9).
// A Products refers to its model; after the model's W changes, refresh() converts it again.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/kernels/threads.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

// fp32 products smaller than this many flops gain nothing from a second thread (starting and
// meeting it costs as much), and stall when other processes hold the cores; bf16 products,
// about 5 times faster, below kBf16ParallelFlops. Products below them run on the calling thread
// only, whatever the thread count.
inline constexpr double kParallelProductFlops = double(1 << 24);
inline constexpr double kBf16ParallelFlops = 4 * kParallelProductFlops;
// The threshold of products in precision `resolved` (kParallelProductFlops or kBf16ParallelFlops).
double parallel_product_flops(Precision resolved);
// One thread for the scope of the returned value when work of `flops` in precision `resolved`
// is below its threshold (and nothing otherwise): products, updates and the conversion of W.
std::optional<ScopedThreads> serial_if_small(Precision resolved, double flops);

// Auto becomes Bf16 where oneDNN runs bf16 in hardware (bf16_products_fast), else Fp32.
Precision resolve_precision(Precision p);

class Products {
 public:
  // precision is resolved (resolve_precision); `m` must outlive the Products.
  explicit Products(const Model& m, Precision precision = Precision::Fp32);
  Products(const Products&) = delete;
  Products& operator=(const Products&) = delete;

  const Model& model() const { return *m_; }
  Precision precision() const { return precision_; }
  // After the model's W changed (bf16: converts it again; fp32: nothing to do).
  void refresh();
  // The bf16 copies of W that refresh() converts (none in fp32), for an update that converts
  // them in its own pass (bf16_add_outer).
  std::vector<Bf16Weights*> bf16_weights();

  // X = V W (+ 1 b^T with the bias); V (B, d), X (B, H), resized.
  void up(const Matrix& V, Matrix& X, bool with_bias = true) const;
  // Y = S W^T (+ 1 a^T with the bias); S (B, H), Y (B, d), resized.
  void down(const Matrix& S, Matrix& Y, bool with_bias = true) const;

 private:
  const Model* m_;
  Precision precision_;
  Bf16Weights up_, down_;
};

}  // namespace rbmkit
