// What AIS (ais.hpp) and RAISE (raise.hpp) share: the annealing path, its schedule and base
// model, for every combination of unit types that exact.hpp supports (visible Bernoulli or
// Gaussian with unit variance, hidden Bernoulli or ternary); hp(s) below is the hidden
// log-partition (softplus(s), or log(1 + 2 cosh s) for ternary units; model/units.hpp).
//
// Both annealing estimators walk the geometric path of Salakhutdinov and Murray (2008), "On
// the quantitative analysis of deep belief networks", section 4.1, from a base model A with
// no weights to the target B = (W, a, b):
//   p_beta(v, h) ∝ p*_A(v, h)^(1 - beta) p*_B(v, h)^beta,   beta from 0 to 1,
// with unnormalised densities p*_A(v, h) = exp(-visible_term(v; a_A)) (no hidden biases, so
// every hidden state is equally likely) and p*_B(v, h) = exp(-E(v, h)).
//
// Bernoulli visible units (Salakhutdinov and Murray's base-rate model, visible biases a_A):
// the energies are linear in a, so p_beta is the RBM (beta W, (1 - beta) a_A + beta a, beta b):
//   log f_beta(v) = a_beta^T v + sum_j hp(beta x_j),   a_beta = (1 - beta) a_A + beta a,
//   log Z_A = sum_i softplus(a_A,i) + H log r,
// x_j = v . w_j + b_j and r the number of states of a hidden unit (2, or 3 for ternary units:
// at beta = 0 each h_j is uniform on {-1, 0, 1}, and hp(0) = log 3).
//
// Gaussian visible units (base model A: p_A(v) = N(v; a_A, I), a_A the data mean, hidden
// units uniform): with visible_term(v; a) = |v - a|^2 / 2,
//   -log p*_beta(v, h) = (1 - beta) |v - a_A|^2 / 2 + beta |v - a|^2 / 2 - beta v^T W h - beta b^T h.
// Expanding both squares, (1 - beta) |v - a_A|^2 + beta |v - a|^2
//   = |v|^2 - 2 a_beta . v + (1 - beta) |a_A|^2 + beta |a|^2
//   = |v - a_beta|^2 + beta (1 - beta) |a - a_A|^2,
// so p_beta is the Gaussian-visible RBM (beta W, a_beta, beta b), visible term
// |v - a_beta|^2 / 2 (unit variance, mean a_beta), up to the constant
// beta (1 - beta) |a - a_A|^2 / 2 in the energy, which vanishes at beta = 0 and 1. Keeping it,
// i.e. writing the visible term as |v|^2 / 2 - a_beta . v + (1 - beta) |a_A|^2 / 2 + beta |a|^2 / 2,
// makes f_beta = (p*_A)^(1 - beta) (p*_B)^beta exactly; the log-weights use this f_beta.
// With h summed out,
//   log f_beta(v) = -(1 - beta) |v - a_A|^2 / 2 - beta |v - a|^2 / 2 + sum_j hp(beta x_j),
//   log Z_A = (d/2) log(2 pi) + H log r.
//
// Transitions are one block Gibbs sweep at beta: h_j ~ p(h_j | v) with input beta x_j (sigm or
// the ternary distribution of model/units.hpp), then v ~ p(v | h): Bernoulli units with
// P(v_i = 1) = sigm(beta W_i . h + a_beta,i), Gaussian units from N(a_beta + beta W h, I). The
// products v W and h W^T run in float (sparse_product.hpp). Each step's log-weight increment
// is, for both visible unit types (the Gaussian one from the derivative of the expansion above),
//   log f_beta'(v) - log f_beta(v) = (beta' - beta) [(a - a_A)^T v + k]
//                                    + sum_j [hp(beta' x_j) - hp(beta x_j)],
// k = 0 for Bernoulli and k = -(|a|^2 - |a_A|^2) / 2 for Gaussian visible units. The hp
// differences are computed in float without cancellation (softplus_sums.hpp), (a - a_A)^T v in
// float for binary v and in double for real v, and accumulated per chain in double.
//
// Randomness: chain c of AIS draws from stream (Purpose::Ais, c); RAISE's example i from
// (Purpose::Raise, 1 + i); each step's draws sit at fixed blocks of the chain's stream, and
// chains run in fixed blocks of 50 (one thread each), so results depend only on the seed, not
#pragma once

#include <cstddef>
#include <vector>

#include "rbmkit/model/model.hpp"
#include "rbmkit/options/eval_options.hpp"

namespace rbmkit {

// The default schedule scaled to n >= 3 betas in the same proportions:
// n1 = max(1, round(n * 500 / 14500)) evenly in [0, 0.5), n2 = max(1, round(n * 4000 / 14500))
// evenly in [0.5, 0.9), the remaining n - n1 - n2 evenly in [0.9, 1] (the last exactly 1).
// betas[0] = 0, betas[n - 1] = 1, nondecreasing. Throws InvalidArgument for n < 3.
std::vector<double> annealing_schedule(std::size_t n = kDefaultBetas);

// The base-rate model's visible biases (Bernoulli visible units) from data X (n, d) with
// values in [0, 1]: smoothed pixel means as if 5 ones and 5 zeros were added per 100 examples,
//   p_i = (sum_r X_ri + 0.05 n) / (1.1 n),   a_A,i = log(p_i / (1 - p_i)).
// (Salakhutdinov and Murray's code adds the 5 ones only, which leaves an always-on pixel at
// p = 1.) p_i lies in [0.045, 0.955], so a_A is finite for pixels that are always 0 or 1.
// Throws DataError when X has no rows.
Vector base_rate_biases(const Matrix& X);

// The base model's visible parameter a_A (d) for the model's visible unit type, from data
// X (n, d): base_rate_biases(X) for Bernoulli units, the column means (1/n) sum_r X_r (in
// double, rounded to float) for Gaussian ones. Throws DataError when X has no rows and
// InvalidArgument for other visible unit types.
Vector base_model_biases(UnitType visible_units, const Matrix& X);

// log Z_A of the base model with visible parameter base_a (d) and H = n_hidden hidden units
// of r states each (2 for Bernoulli, 3 for ternary units):
//   Bernoulli visible: sum_i softplus(a_A,i) + H log r,
//   Gaussian visible:  (d/2) log(2 pi) + H log r.
// Throws InvalidArgument for unsupported unit types.
double base_log_partition(const Vector& base_a, std::size_t n_hidden, UnitType visible_units = UnitType::Bernoulli,
                          UnitType hidden_units = UnitType::Bernoulli);

}  // namespace rbmkit
