// Block Gibbs sampling over a batch of chains (one chain per row).
//
// Bernoulli units (Hinton 2002; EXERCISE.md part 1):
//   P_h = sigm(V W + 1 b^T)      (B, H): p(h_j = 1 | v) for each chain
//   P_v = sigm(S W^T + 1 a^T)    (B, d): p(v_i = 1 | h)
//   S = [U < P] elementwise, U uniform on [0, 1) from counter-based streams.
// Other unit types (ternary hidden, Gaussian visible) replace the means and draws by those of
// rbmkit/units.hpp; the products stay the same.
// Randomness: row r of a draw tagged (seed, stream, block0) uses
// RandomStream(seed, stream, block0 + r * blocks_per_row(cols)), so every chain's draws are fixed
// by the seed whatever the number of threads.
#pragma once

#include <cstdint>
#include <functional>

#include "rbmkit/model.hpp"
#include "rbmkit/random.hpp"

namespace rbmkit {

// Random blocks (4 uniforms each) one row of `cols` values consumes.
constexpr std::uint64_t blocks_per_row(std::uint64_t cols) { return (cols + 3) / 4; }

// Batches of at most this many rows take the sparse paths (sums over the rows of W at nonzero
// pixels, in hidden_probs and in the SGD update): for binary data about 14% of W's rows are
// read instead of all of them, while larger batches win more from a blocked GEMM.
inline constexpr Eigen::Index kSparseBatchMax = 4;

// Where a batch draw takes its random numbers from.
// With row_streams set, row r draws instead from RandomStream(seed, row_streams[r], block0):
// one stream per chain (annealing, where each chain's stream is its own).
struct DrawTag {
  std::uint64_t seed;
  std::uint64_t stream;
  std::uint64_t block0;
  const std::uint64_t* row_streams = nullptr;  // (B) or null
};

// P = E[h | V] at inverse temperature beta: sigm(beta (V W + 1 b^T)) for Bernoulli hidden units
// (see units.hpp for the others); V (B, d), P (B, H). Rows of V with few nonzeros take a sparse
// path (sum of the rows of W at the nonzero pixels, scaled by their values) when B is small.
// beta is an inverse temperature: the conditionals of p_beta(v, h) ~ exp(-beta E(v, h))
// (parallel tempering); 1 for the model itself.
void hidden_probs(const Model& m, const Matrix& V, Matrix& P, float beta = 1.0f);
// P = E[v | S] at inverse temperature beta: sigm(beta (S W^T + 1 a^T)) for Bernoulli visible
// units (see units.hpp for the others); S (B, H), P (B, d).
void visible_probs(const Model& m, const Matrix& S, Matrix& P, float beta = 1.0f);
// Calls draw(r, rng) for every row r < B, rng = RandomStream(tag.seed, tag.stream,
// tag.block0 + r * per_row) (or the row's own stream, see DrawTag); on several threads when
// B * cols is large.
void for_each_draw_row(Eigen::Index B, Eigen::Index cols, std::uint64_t per_row, const DrawTag& tag,
                       const std::function<void(Eigen::Index, RandomStream&)>& draw);

// Runs k full Gibbs steps h ~ p(h | v), v ~ p(v | h) on every row of V (B, d), in place.
// On entry P_h (B, H) must hold p(h | V); on exit V = V_k and P_h = p(h | V_k).
// Step t draws h at block block0 + 2t * stride and v at block0 + (2t + 1) * stride, with
// stride = B * max(draw_blocks_per_row of both layers) (= B * blocks_per_row(max(d, H)) for
// Bernoulli units). When `last_means` is given it receives E[v | h] of the last step (B, d),
// the mean of the final visible states.
// beta: the inverse temperature of every step (see hidden_probs).
void gibbs_steps(const Model& m, Matrix& V, Matrix& P_h, int k, const DrawTag& tag,
                 Matrix* last_means = nullptr, float beta = 1.0f);

}  // namespace rbmkit
