// Block Gibbs sampling over a batch of chains (one chain per row).
//
// Bernoulli units (Hinton 2002; docs/exercise.md part 1):
//   P_h = sigm(V W + 1 b^T)      (B, H): p(h_j = 1 | v) for each chain
//   P_v = sigm(S W^T + 1 a^T)    (B, d): p(v_i = 1 | h)
//   S = [U < P] elementwise, U uniform on [0, 1) from counter-based streams.
// Other unit types (ternary hidden, Gaussian visible) replace the means and draws by those of
// model/units.hpp; the products stay the same.
// Randomness: each draw is tagged (kernels/draws.hpp), so every chain's draws are fixed by the
// seed whatever the number of threads.
#pragma once

#include <cstdint>

#include "rbmkit/kernels/draws.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/model/products.hpp"

namespace rbmkit {

// P = E[h | V] at inverse temperature beta: sigm(beta (V W + 1 b^T)) for Bernoulli hidden units
// (see model/units.hpp for the others); V (B, d), P (B, H); the product in the Products'
// precision (model/products.hpp; fp32 takes a sparse path for batches of a few rows).
// beta is an inverse temperature: the conditionals of p_beta(v, h) ~ exp(-beta E(v, h))
// (parallel tempering); 1 for the model itself.
void hidden_probs(const Products& p, const Matrix& V, Matrix& P, float beta = 1.0f);
// P = E[v | S] at inverse temperature beta: sigm(beta (S W^T + 1 a^T)) for Bernoulli visible
// units (see model/units.hpp for the others); S (B, H), P (B, d).
void visible_probs(const Products& p, const Matrix& S, Matrix& P, float beta = 1.0f);
// The random blocks one half-step of gibbs_steps takes over a batch of B chains:
// B * max(draw_blocks_per_row of both layers) (units.hpp).
std::uint64_t gibbs_stride(const Model& m, std::uint64_t B);

// Runs k full Gibbs steps h ~ p(h | v), v ~ p(v | h) on every row of V (B, d), in place.
// On entry P_h (B, H) must hold p(h | V); on exit V = V_k and P_h = p(h | V_k).
// Step t draws h at block block0 + 2t * stride and v at block0 + (2t + 1) * stride, with
// stride = gibbs_stride(m, B) (= B * blocks_per_row(max(d, H)) for Bernoulli units). When `last_means` is given it receives E[v | h] of the last step (B, d),
// the mean of the final visible states.
// beta: the inverse temperature of every step (see hidden_probs).
void gibbs_steps(const Products& p, Matrix& V, Matrix& P_h, int k, const DrawTag& tag, Matrix* last_means = nullptr,
                 float beta = 1.0f);

// The same in fp32 (Products(m)).
void hidden_probs(const Model& m, const Matrix& V, Matrix& P, float beta = 1.0f);
void visible_probs(const Model& m, const Matrix& S, Matrix& P, float beta = 1.0f);
void gibbs_steps(const Model& m, Matrix& V, Matrix& P_h, int k, const DrawTag& tag, Matrix* last_means = nullptr,
                 float beta = 1.0f);

}  // namespace rbmkit
