#include "rbmkit/sampling/gibbs.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {

void hidden_probs(const Model& m, const Matrix& V, Matrix& P, float beta) {
  RBMKIT_ASSERT(V.cols() == m.W.rows(), "hidden_probs: V (B, d) for W (d, H)");
  const Eigen::Index B = V.rows(), d = V.cols(), H = m.W.cols();
  P.resize(B, H);
  if (B <= kSparseBatchMax) {
    thread_local std::vector<Eigen::Index> active;
    for (Eigen::Index r = 0; r < B; ++r) {
      const float* v = V.row(r).data();
      active.clear();
      for (Eigen::Index i = 0; i < d; ++i)
        if (v[i] != 0.0f) active.push_back(i);
      auto acc = P.row(r);
      acc = m.b.transpose();
      for (const Eigen::Index i : active) acc.noalias() += v[i] * m.W.row(i);
    }
  } else {
    P.noalias() = V * m.W;
    P.rowwise() += m.b.transpose();
  }
  hidden_means(m.hidden_units, P, beta);
}

void visible_probs(const Model& m, const Matrix& S, Matrix& P, float beta) {
  RBMKIT_ASSERT(S.cols() == m.W.cols(), "visible_probs: S (B, H) for W (d, H)");
  P.resize(S.rows(), m.W.rows());
  P.noalias() = S * m.W.transpose();
  P.rowwise() += m.a.transpose();
  visible_means(m.visible_units, P, beta);
}

std::uint64_t gibbs_stride(const Model& m, std::uint64_t B) {
  return B * std::max(draw_blocks_per_row(m.visible_units, m.n_visible()), draw_blocks_per_row(m.hidden_units, m.n_hidden()));
}

void gibbs_steps(const Model& m, Matrix& V, Matrix& P_h, int k, const DrawTag& tag,
                 Matrix* last_means, float beta) {
  RBMKIT_ASSERT(V.cols() == m.W.rows() && P_h.rows() == V.rows() && P_h.cols() == m.W.cols(),
                "gibbs_steps: V (B, d) and P_h (B, H) for W (d, H)");
  const std::uint64_t stride = gibbs_stride(m, static_cast<std::uint64_t>(V.rows()));
  Matrix S, P_v;
  for (int t = 0; t < k; ++t) {
    const std::uint64_t base = tag.block0 + 2 * static_cast<std::uint64_t>(t) * stride;
    sample_hidden(m.hidden_units, P_h, S, {tag.seed, tag.stream, base});
    visible_probs(m, S, P_v, beta);
    sample_visible(m.visible_units, P_v, V, {tag.seed, tag.stream, base + stride}, beta);
    hidden_probs(m, V, P_h, beta);
  }
  if (last_means) *last_means = std::move(P_v);
}

}  // namespace rbmkit
