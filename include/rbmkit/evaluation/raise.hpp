// Reverse annealing (RAISE): a conservative estimate of each example's log-likelihood, on the
// path of annealing.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/messages.hpp"

namespace rbmkit {

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
  // Replicates: the examples cut into up to 4 contiguous groups, each group's mean log_z; their
  // spread (max - min, nats) shows how much the estimate depends on which examples it used.
  std::vector<double> group_mean_log_z;
  double group_spread = 0.0;
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
// F is the unit-aware free energy of model/free_energy.hpp (free_energy_exact); base_a as for AIS.
// Throws InvalidArgument (base_a size, betas < 3, unit types) and DataError (no rows, width
// not d).
// `progress` hears the fraction of all annealing steps done (stage "RAISE").
RaiseResult raise_log_likelihood(const Model& m, const Matrix& examples, const Vector& base_a,
                                 std::size_t betas, std::uint64_t seed, const ProgressSink& progress = {},
                                 Precision precision = Precision::Auto);

// The rows RAISE uses out of n examples: all of them, in order, when n <= k; otherwise k rows
// drawn uniformly without replacement (a partial Fisher-Yates shuffle with stream
// (Purpose::Raise, 0) of `seed`), in the order drawn.
std::vector<std::size_t> choose_examples(std::size_t n, std::size_t k, std::uint64_t seed);

}  // namespace rbmkit
