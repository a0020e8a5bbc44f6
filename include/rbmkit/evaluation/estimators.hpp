// Log-likelihood estimators for RBMs too large to enumerate (likelihood.hpp has the exact
// one): annealed importance sampling (AIS) for log Z, reverse annealing (RAISE) for a
// conservative log-likelihood, the pseudo-log-likelihood, and the mean free energy. Every
// combination of unit types that likelihood.hpp supports is covered: visible Bernoulli or
// Gaussian (unit variance), hidden Bernoulli or ternary; hp(s) below is the hidden
// log-partition (softplus(s), or log(1 + 2 cosh s) for ternary units; units.hpp).
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
// the ternary distribution of units.hpp), then v ~ p(v | h): Bernoulli units with
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
// on the thread count.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

// The default schedule of Salakhutdinov and Murray (2008), section 4.1: 14,500 inverse
// temperatures, 500 evenly spaced in [0, 0.5), 4,000 in [0.5, 0.9) and 10,000 in [0.9, 1].
inline constexpr std::size_t kDefaultBetas = 14500;
inline constexpr std::size_t kDefaultChains = 100;

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

struct AisOptions {
  std::size_t chains = kDefaultChains;  // M, the number of AIS chains
  std::size_t betas = kDefaultBetas;    // length of annealing_schedule(betas)
  std::uint64_t seed = 0;
};

struct AisResult {
  // log Z estimate: log Z_A + log mean_m w_m, in log space (log-sum-exp of the log-weights).
  double log_z = 0.0;
  // The +-3 sigma band of Salakhutdinov and Murray (2008), in log space:
  //   log Z_A + log(mean w -+ 3 std(w) / sqrt(M)); lower is -inf when mean w <= 3 std(w)/sqrt(M).
  double log_z_lower = 0.0;
  double log_z_upper = 0.0;
  // std(w) / (mean(w) sqrt(M)), std with the n - 1 denominator: the delta-method standard
  // error of log Z.
  double log_z_std_error = 0.0;
  double log_z_base = 0.0;          // log Z_A
  std::vector<double> log_weights;  // (M) log w_m, one per chain
  std::size_t betas = 0;
};

// AIS (Salakhutdinov and Murray 2008, section 4.1; Neal 2001): M = options.chains chains start
// at exact samples v_1 ~ p_A (independent pixels with means sigm(a_A), or N(a_A, I) for
// Gaussian visible units); for k = 1 .. K - 1
// (betas beta_0 = 0 < ... < beta_{K-1} = 1 from annealing_schedule(options.betas))
//   log w += log f_{beta_k}(v) - log f_{beta_{k-1}}(v),  then, for k < K - 1, v <- T_{beta_k}(v).
// E[w] = Z_B / Z_A, so log Z is unbiased only in Z: by Jensen's inequality log Z tends to be
// UNDERestimated, and a log-likelihood computed from it tends to be OVERestimated.
// base_a (d) is the base model's visible parameter a_A (base_model_biases of the data).
// Throws InvalidArgument when base_a does not have d entries, chains = 0, betas < 3 or the
// unit types are not supported.
AisResult ais_log_partition(const Model& m, const Vector& base_a, const AisOptions& options);

struct RaiseResult {
  // Per example (rows of `examples`):
  //   log_p[i] = log p^(v_i), RAISE's stochastic estimate of log p(v_i), and
  //   log_z[i] = -F(v_i) - log_p[i], the log partition function that estimate implies.
  std::vector<double> log_p;
  std::vector<double> log_z;
  double mean_log_z = 0.0;        // mean_i log_z[i]
  double log_z_std_error = 0.0;   // std_i(log_z[i]) / sqrt(n); 0 for n = 1
  double mean_log_p = 0.0;        // mean_i log_p[i]
  double log_p_std_error = 0.0;   // std_i(log_p[i]) / sqrt(n); 0 for n = 1
  double log_z_base = 0.0;        // log Z_A
  std::size_t betas = 0;
};

// RAISE (Burda, Grosse and Salakhutdinov 2015, "Accurate and conservative estimates of MRF
// log-likelihood using reverse annealing", section 3): one reverse chain per row v of
// examples (n, d), started at v and annealed from beta = 1 down to 0 along the schedule
// beta_0 = 0 < ... < beta_{K-1} = 1: with x = v, for k = K - 1 down to 1,
//   x <- T_{beta_k}(x),   acc += log f_{beta_k}(x) - log f_{beta_{k-1}}(x),
// and log p^(v) = -F(v) - log Z_A - acc. E[p^(v)] is the probability of v under the annealing
// model (the forward chain read as a directed model), which approximates p(v); E[log p^(v)]
// is below the log of it (Jensen), and for data drawn from the model the annealing model's
// log-likelihood is below the RBM's on average (Gibbs' inequality): the estimate is
// conservative, it tends to UNDERestimate the log-likelihood.
// A data set's mean log-likelihood from a subset of its examples is best taken as
// -mean F(all examples) - mean_log_z: the free energies are exact, only log Z is estimated.
// F is the unit-aware free energy of likelihood.hpp (free_energy_exact); base_a as for AIS.
// Throws InvalidArgument (base_a size, betas < 3, unit types) and DataError (no rows, width
// not d).
RaiseResult raise_log_likelihood(const Model& m, const Matrix& examples, const Vector& base_a,
                                 std::size_t betas, std::uint64_t seed);

// The rows RAISE uses out of n examples: all of them, in order, when n <= k; otherwise k rows
// drawn uniformly without replacement (a partial Fisher-Yates shuffle with stream
// (Purpose::Raise, 0) of `seed`), in the order drawn.
std::vector<std::size_t> choose_examples(std::size_t n, std::size_t k, std::uint64_t seed);

enum class PllMethod { Stochastic, Exact };

// Pseudo-log-likelihood of each row x of X (n, d), binary (Besag 1975):
//   PLL(x) = sum_i log p(x_i | x_-i) = sum_i log sigm(F(x~i) - F(x)),
// x~i being x with bit i flipped, F the free energy for the model's hidden unit type:
// F(x~i) - F(x) = -sign a_i - sum_j [hp(t_j + sign W_ij) - hp(t_j)], sign = 1 - 2 x_i,
// t = x W + b. Exact: the full sum over the d bits (d H hidden terms per row). Stochastic:
// scikit-learn's BernoulliRBM.score_samples estimate d log sigm(F(x~i) - F(x)) with one bit i
// per row, uniform on [0, d) from stream (Purpose::Pll, row) of `seed`; its expectation over i
// is the exact PLL. Returns (n) in double.
// Defined for binary (Bernoulli) visible units only: p(x_i | x_-i) of a Gaussian unit is a
// density, and the sum of log densities is not comparable to the binary figure.
// pll_unsupported_reason says whether the model qualifies and, if not, why.
// Throws DataError when X's width is not d, InvalidArgument for other visible unit types.
Eigen::VectorXd pseudo_log_likelihood(const Model& m, const Matrix& X, PllMethod method, std::uint64_t seed);

// Empty when pseudo_log_likelihood accepts m; otherwise the reason it does not, e.g. "defined
// for binary visible units only; this model's visible units are gaussian".
std::string pll_unsupported_reason(const Model& m);

// Mean free energy (1/n) sum_r F(x_r) over the rows of X (n, d), in double (double matrix
// product, double log-partitions), for the model's unit types:
//   F(x) = visible_term(x) - sum_j hp(x . w_j + b_j),
// visible_term = -a^T x (Bernoulli) or |x - a|^2 / 2 (Gaussian). Throws DataError when X has no
// rows or the wrong width.
double mean_free_energy(const Model& m, const Matrix& X);

}  // namespace rbmkit
