// Log-likelihood estimators for Bernoulli RBMs too large to enumerate (likelihood.hpp has the
// exact one): annealed importance sampling (AIS) for log Z, reverse annealing (RAISE) for a
// conservative log-likelihood, the pseudo-log-likelihood, and the mean free energy.
//
// Both annealing estimators walk the path of Salakhutdinov and Murray (2008), "On the
// quantitative analysis of deep belief networks", section 4.1: from the base-rate model A
// (weights 0, hidden biases 0, visible biases a_A) to the target B = (W, a, b) through
//   p_beta(v, h) ∝ p_A(v, h)^(1 - beta) p_B(v, h)^beta,  i.e. the RBM
//   (W_beta, a_beta, b_beta) = (beta W, (1 - beta) a_A + beta a, beta b),
// whose unnormalised marginal, with h summed out analytically, is
//   log f_beta(v) = a_beta^T v + sum_j softplus(beta (v . w_j + b_j)),
//   log Z_A = log Z_0 = sum_i softplus(a_A,i) + H log 2.
// Transitions are one block Gibbs sweep h ~ p_beta(h | v), v ~ p_beta(v | h), with the products
// v W and h W^T in float (sparse_product.hpp). Each step's log-weight increment
//   log f_beta'(v) - log f_beta(v) = (beta' - beta) (a - a_A)^T v
//                                    + sum_j [softplus(beta' x_j) - softplus(beta x_j)]
// is computed in float, the softplus differences without cancellation (softplus_sums.hpp), and
// accumulated per chain in double.
//
// Randomness: chain c of AIS draws from stream (Purpose::Ais, c); RAISE's example i from
// (Purpose::Raise, 1 + i); each step's draws sit at fixed blocks of the chain's stream, and
// chains run in fixed blocks of 50 (one thread each), so results depend only on the seed, not
// on the thread count.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "rbmkit/model.hpp"

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

// The base-rate model's visible biases from data X (n, d) with values in [0, 1]: smoothed
// pixel means as if 5 ones and 5 zeros were added per 100 examples,
//   p_i = (sum_r X_ri + 0.05 n) / (1.1 n),   a_A,i = log(p_i / (1 - p_i)).
// (Salakhutdinov and Murray's code adds the 5 ones only, which leaves an always-on pixel at
// p = 1.) p_i lies in [0.045, 0.955], so a_A is finite for pixels that are always 0 or 1.
// Throws DataError when X has no rows.
Vector base_rate_biases(const Matrix& X);

// log Z_A = sum_i softplus(a_A,i) + H log 2 of the base-rate model with H hidden units.
double base_log_partition(const Vector& base_a, std::size_t n_hidden);

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
// at exact samples v_1 ~ p_A (independent pixels with means sigm(a_A)); for k = 1 .. K - 1
// (betas beta_0 = 0 < ... < beta_{K-1} = 1 from annealing_schedule(options.betas))
//   log w += log f_{beta_k}(v) - log f_{beta_{k-1}}(v),  then, for k < K - 1, v <- T_{beta_k}(v).
// E[w] = Z_B / Z_A, so log Z is unbiased only in Z: by Jensen's inequality log Z tends to be
// UNDERestimated, and a log-likelihood computed from it tends to be OVERestimated.
// base_a (d) is the base-rate model's visible bias (base_rate_biases of the data).
// Throws InvalidArgument when base_a does not have d entries, chains = 0 or betas < 3.
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
// Throws InvalidArgument (base_a size, betas < 3) and DataError (no rows, width not d).
RaiseResult raise_log_likelihood(const Model& m, const Matrix& examples, const Vector& base_a,
                                 std::size_t betas, std::uint64_t seed);

// The rows RAISE uses out of n examples: all of them, in order, when n <= k; otherwise k rows
// drawn uniformly without replacement (a partial Fisher-Yates shuffle with stream
// (Purpose::Raise, 0) of `seed`), in the order drawn.
std::vector<std::size_t> choose_examples(std::size_t n, std::size_t k, std::uint64_t seed);

enum class PllMethod { Stochastic, Exact };

// Pseudo-log-likelihood of each row x of X (n, d), binary (Besag 1975):
//   PLL(x) = sum_i log p(x_i | x_-i) = sum_i log sigm(F(x~i) - F(x)),
// x~i being x with bit i flipped. Exact: the full sum over the d bits (d H softplus terms per
// row). Stochastic: scikit-learn's BernoulliRBM.score_samples estimate d log sigm(F(x~i) - F(x))
// with one bit i per row, uniform on [0, d) from stream (Purpose::Pll, row) of `seed`; its
// expectation over i is the exact PLL. Returns (n) in double.
// Throws DataError when X's width is not d.
Eigen::VectorXd pseudo_log_likelihood(const Model& m, const Matrix& X, PllMethod method, std::uint64_t seed);

// Mean free energy (1/n) sum_r F(x_r) over the rows of X (n, d), F as in model.hpp, in double
// (double matrix product, double softplus). Throws DataError when X has no rows or the wrong
// width.
double mean_free_energy(const Model& m, const Matrix& X);

}  // namespace rbmkit
