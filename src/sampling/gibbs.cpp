#include "rbmkit/sampling/gibbs.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {

void hidden_probs(const Products& p, const Matrix& V, Matrix& P, float beta) {
  p.up(V, P);
  hidden_means(p.model().hidden_units, P, beta);
}

void visible_probs(const Products& p, const Matrix& S, Matrix& P, float beta) {
  p.down(S, P);
  visible_means(p.model().visible_units, P, beta);
}

void hidden_probs(const Model& m, const Matrix& V, Matrix& P, float beta) { hidden_probs(Products(m), V, P, beta); }

void visible_probs(const Model& m, const Matrix& S, Matrix& P, float beta) { visible_probs(Products(m), S, P, beta); }

std::uint64_t gibbs_stride(const Model& m, std::uint64_t B) {
  return B * std::max(draw_blocks_per_row(m.visible_units, m.n_visible()), draw_blocks_per_row(m.hidden_units, m.n_hidden()));
}

void gibbs_steps(const Products& p, Matrix& V, Matrix& P_h, int k, const DrawTag& tag, Matrix* last_means,
                 float beta) {
  const Model& m = p.model();
  RBMKIT_ASSERT(V.cols() == m.W.rows() && P_h.rows() == V.rows() && P_h.cols() == m.W.cols(),
                "gibbs_steps: V (B, d) and P_h (B, H) for W (d, H)");
  const std::uint64_t stride = gibbs_stride(m, static_cast<std::uint64_t>(V.rows()));
  // Scratch kept per thread: the products write every entry, so only the shapes change.
  thread_local Matrix S, P_v;
  if (k > 0) sample_hidden(m.hidden_units, P_h, S, {tag.seed, tag.stream, tag.block0});
  for (int t = 0; t < k; ++t) {
    const std::uint64_t base = tag.block0 + 2 * static_cast<std::uint64_t>(t) * stride;
    p.down(S, P_v);
    visible_means_and_states(m.visible_units, P_v, V, {tag.seed, tag.stream, base + stride}, beta);
    p.up(V, P_h);
    if (t + 1 < k)  // the next step's hidden draw, fused with these means
      hidden_means_and_states(m.hidden_units, P_h, S, {tag.seed, tag.stream, base + 2 * stride}, beta);
    else
      hidden_means(m.hidden_units, P_h, beta);
  }
  if (last_means) *last_means = k > 0 ? P_v : Matrix();  // P_v is this thread's scratch
}

void gibbs_steps(const Model& m, Matrix& V, Matrix& P_h, int k, const DrawTag& tag, Matrix* last_means, float beta) {
  gibbs_steps(Products(m), V, P_h, k, tag, last_means, beta);
}

}  // namespace rbmkit
