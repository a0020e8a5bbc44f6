#include "rbmkit/model/products.hpp"

#include <omp.h>

#include <optional>
#include <vector>

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/sparse_product.hpp"

namespace rbmkit {

Precision resolve_precision(Precision p) {
  if (p != Precision::Auto) return p;
  return bf16_products_fast() ? Precision::Bf16 : Precision::Fp32;
}

double parallel_product_flops(Precision resolved) {
  return resolved == Precision::Bf16 ? kBf16ParallelFlops : kParallelProductFlops;
}

std::optional<ScopedThreads> serial_if_small(Precision resolved, double flops) {
  if (flops >= parallel_product_flops(resolved) || omp_get_max_threads() == 1) return std::nullopt;
  return std::optional<ScopedThreads>(std::in_place, 1);
}

namespace {

// The 2 B d H flops of a product of B rows with W (d, H).
double product_flops(Eigen::Index B, const Matrix& W) { return 2.0 * static_cast<double>(B) * static_cast<double>(W.size()); }

}  // namespace

Products::Products(const Model& m, Precision precision) : m_(&m), precision_(resolve_precision(precision)) {
  refresh();
}

void Products::refresh() {
  if (precision_ != Precision::Bf16) return;
  up_.assign(m_->W, false);
  down_.assign(m_->W, true);
}

std::vector<Bf16Weights*> Products::bf16_weights() {
  if (precision_ != Precision::Bf16) return {};
  return {&up_, &down_};
}

void Products::up(const Matrix& V, Matrix& X, bool with_bias) const {
  const Model& m = *m_;
  RBMKIT_ASSERT(V.cols() == m.W.rows(), "Products::up: V (B, d) for W (d, H)");
  const auto serial = serial_if_small(precision_, product_flops(V.rows(), m.W));
  if (precision_ == Precision::Bf16) return up_.multiply(V, X, with_bias ? &m.b : nullptr);
  const Eigen::Index B = V.rows(), d = V.cols();
  X.resize(B, m.W.cols());
  if (B <= kSparseBatchMax) {
    thread_local std::vector<int> active;
    for (Eigen::Index r = 0; r < B; ++r) {
      const float* v = V.row(r).data();
      nonzero_columns(v, static_cast<std::size_t>(d), active);
      auto acc = X.row(r);
      if (with_bias)
        acc = m.b.transpose();
      else
        acc.setZero();
      for (const int i : active) acc.noalias() += v[i] * m.W.row(i);
    }
    return;
  }
  if (kSparseUpProducts)
    sparse_times(V, m.W, X);
  else
    X.noalias() = V * m.W;
  if (with_bias) X.rowwise() += m.b.transpose();
}

void Products::down(const Matrix& S, Matrix& Y, bool with_bias) const {
  const Model& m = *m_;
  RBMKIT_ASSERT(S.cols() == m.W.cols(), "Products::down: S (B, H) for W (d, H)");
  const auto serial = serial_if_small(precision_, product_flops(S.rows(), m.W));
  if (precision_ == Precision::Bf16) return down_.multiply(S, Y, with_bias ? &m.a : nullptr);
  Y.resize(S.rows(), m.W.rows());
  Y.noalias() = S * m.W.transpose();
  if (with_bias) Y.rowwise() += m.a.transpose();
}

}  // namespace rbmkit
