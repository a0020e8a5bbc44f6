// Unit layers: everything that depends on a layer's unit type, in one place.
//
// A layer receives an input from the other layer: s_j = x . w_j + b_j for hidden unit j and
// r_i = W_i . h + a_i for visible unit i. At inverse temperature beta (parallel tempering,
// annealing) the joint is p_beta(x, h) ~ exp(-beta E(x, h)).
//
// Hidden units (docs/exercise.md part 2(a) and 2(b)):
//   Bernoulli, h in {0, 1}:      P(h = 1) = sigm(beta s)
//                                mean sigm(beta s), log-partition softplus(beta s)
//   Ternary,   h in {-1, 0, 1}:  P(h = t) ~ exp(t beta s)
//                                mean tern(beta s) = 2 sinh(s) / (1 + 2 cosh(s)) at s <- beta s,
//                                log-partition log(1 + 2 cosh(s)) = |s| + log1p(e + e^2),
//                                e = exp(-|s|) (no overflow at s = 1000)
// Visible units:
//   Bernoulli, x in {0, 1}:      energy term -a_i x_i; P(x_i = 1) = sigm(beta r_i)
//   Gaussian,  x real:           energy term (x_i - a_i)^2 / 2 (unit variance; Hinton and
//                                Salakhutdinov 2006), so x_i | h ~ N(r_i, 1 / beta): the mean r_i
//                                does not depend on beta, the variance does.
// The free energy F(x) = sum_i visible_term(x_i) - sum_j log-partition(s_j) and
// p(x) = exp(-F(x)) / Z for every combination.
#pragma once

#include <cstdint>
#include <vector>

#include "rbmkit/kernels/draws.hpp"
#include "rbmkit/model/model.hpp"

namespace rbmkit {

// Random blocks (4 uniforms each) one row of `cols` units of type t consumes when sampled:
// one uniform per discrete unit, two per Gaussian unit (Box-Muller).
std::uint64_t draw_blocks_per_row(UnitType t, std::uint64_t cols);

// In place: S (B, H) holds hidden inputs s on entry and E[h | x] at inverse temperature beta
// on exit (sigm(beta s) or tern(beta s)).
void hidden_means(UnitType t, Matrix& S, float beta = 1.0f);
// In place: R (B, d) holds visible inputs r on entry and E[x | h] on exit (sigm(beta r) for
// Bernoulli units, r itself for Gaussian ones).
void visible_means(UnitType t, Matrix& R, float beta = 1.0f);

// S = [U < P] elementwise, U uniform on [0, 1); P, S (B, n) may be the same matrix. The draw
// of Bernoulli units on either layer.
void sample_bernoulli(const Matrix& P, Matrix& S, const DrawTag& tag);
// Fused sigmoid and draw of Bernoulli units, one pass per row: X (B, n) holds inputs on entry
// and sigm(beta X) on exit, S = [U < sigm(beta X)]. Bit-identical to visible_means or
// hidden_means followed by sample_bernoulli with the same tag (same streams, same sigmoid).
void sample_bernoulli_from_inputs(Matrix& X, Matrix& S, const DrawTag& tag, float beta = 1.0f);
// Means and states of a layer in one call: the fused pass for Bernoulli units, else
// hidden_means / visible_means followed by sample_hidden / sample_visible.
void hidden_means_and_states(UnitType t, Matrix& X, Matrix& S, const DrawTag& tag, float beta = 1.0f);
void visible_means_and_states(UnitType t, Matrix& X, Matrix& S, const DrawTag& tag, float beta = 1.0f);
// Draws hidden states from their means M (B, H) into S (may alias M). A ternary unit's
// distribution is fixed by its mean m: P(0) = (1 - m^2) / (1 + sqrt(4 - 3 m^2)),
// P(+-1) = (1 +- m - P(0)) / 2 (from cosh^2 - sinh^2 = 1).
void sample_hidden(UnitType t, const Matrix& M, Matrix& S, const DrawTag& tag);
// Draws visible states from their means M (B, d) into S (may alias M): [u < m] for Bernoulli
// units, m + z / sqrt(beta) with z ~ N(0, 1) for Gaussian ones.
void sample_visible(UnitType t, const Matrix& M, Matrix& S, const DrawTag& tag, float beta = 1.0f);

// sum_j log-partition(s[j]) for j < n (see the header comment), in double.
double hidden_log_partition_sum(UnitType t, const float* s, std::size_t n);
// Elementwise log-partition of one hidden unit with input s (double).
double hidden_log_partition(UnitType t, double s);
// sum_i visible_term(x_i): -a . x for Bernoulli units, |x - a|^2 / 2 for Gaussian ones.
double visible_energy(const Model& m, const float* x);

// Throws InvalidArgument unless (visible, hidden) is a supported pair: visible units Bernoulli
// or Gaussian, hidden units Bernoulli or Ternary. The message names the layer at fault.
void check_unit_types(UnitType visible, UnitType hidden);

// The values a unit of type t takes, for enumeration: {0, 1} or {-1, 0, 1}; Gaussian units
// have none (throws InvalidArgument).
const std::vector<float>& unit_states(UnitType t);

}  // namespace rbmkit
