// Gaussian mixtures hidden in two models: the RBM with Gaussian visible units and the product
// of Gaussian-mixture experts (Hinton 2002, "Training products of experts by minimizing
// contrastive divergence"; docs/exercise.md part 2(c)).
//
// Gaussian-visible RBM (unit variance, v in R^d; hidden h in {0,1}^H for Bernoulli hidden units,
// {-1,0,1}^H for ternary ones):
//   E(v, h) = |v - a|^2 / 2 - v^T W h - b^T h,
//   p(v) = sum_h p(h) N(v; a + W h, I),
//   p(h) = exp(b^T h + (|a + W h|^2 - |a|^2) / 2) / Z',   Z' = sum_h of the same,
//   log Z = (d/2) log(2 pi) + log Z'          (Z = sum_h integral exp(-E(v, h)) dv).
// A mixture of 2^H (3^H) unit-covariance Gaussians, one per hidden state.
//
// Product of H experts, each a mixture of K identity-covariance Gaussians in R^D:
//   p(x) = (1 / Z_poe) prod_i sum_k pi_{i,k} N(x; u_{i,k}, I).
// Expanding the product gives one Gaussian per choice k = (k_1, ..., k_H):
//   prod_i N(x; u_{i,k_i}, I) = N(x; m_k, I/H) (2 pi)^{-D(H-1)/2} H^{-D/2}
//                               exp(-(sum_i |u_{i,k_i}|^2 - H |m_k|^2) / 2),
//   m_k = (1/H) sum_i u_{i,k_i},
// so p(x) is a mixture of K^H Gaussians of covariance I/H with weights
//   w_k proportional to prod_i pi_{i,k_i} times the constant above,
// and Z_poe = integral prod_i sum_k pi_{i,k} N(x; u_{i,k}, I) dx is the sum of those unnormalised
// weights.
//
// Both expansions enumerate every component (odometer order with per-level partial sums, so each
// component costs O(D) on average and no rounding drift accumulates), accumulate the log weights
// with LogSumExp in double precision and keep the heaviest. The number of components grows as
// 2^H, 3^H or K^H, so every call takes an explicit cap and refuses more.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

// Default cap on the number of mixture components enumerated: 2^20.
inline constexpr std::uint64_t kDefaultMaxComponents = std::uint64_t{1} << 20;

struct MixtureOptions {
  // Refuse (InvalidArgument) when the mixture has more components than this.
  std::uint64_t max_components = kDefaultMaxComponents;
  // Keep only the `top` heaviest components (all of them by default). Every component still
  // counts towards the normaliser and the weights.
  std::size_t top = std::numeric_limits<std::size_t>::max();
};

// One Gaussian of a mixture: weight exp(log_weight), mean `centre`, covariance variance * I.
struct MixtureComponent {
  Eigen::VectorXd centre;  // (D)
  double log_weight = 0;   // log w, normalised over all components: sum of w = 1
  // (H) the term's label: the hidden state h (entries in {0,1} or {-1,0,1}) for an RBM; the
  // 0-based choice (k_1, ..., k_H), k_i in 0..K-1, for a product of experts.
  std::vector<int> state;
};

// p(x) = sum_c w_c N(x; centre_c, variance * I).
struct GaussianMixture {
  std::size_t dim = 0;           // D
  double variance = 1;           // each component's covariance is variance * I: 1 (RBM), 1/H (experts)
  double log_normaliser = 0;     // log Z of the RBM, or log Z_poe of the product of experts
  std::uint64_t n_components = 0;  // components in the whole mixture, kept or not
  std::vector<MixtureComponent> components;  // heaviest first (ties: lower index first), at most top
};

// --- Gaussian-visible RBM -------------------------------------------------------------------

// The components of a Gaussian-visible RBM: one per hidden state h, centre a + W h (d), weight
// p(h) (header comment), state h; variance 1, log_normaliser = log Z. W is (d, H); a (d), or
// empty when visible_bias is false; b (H). Throws InvalidArgument when the visible units are not
// Gaussian, the hidden units are Gaussian (a continuum of states, no finite mixture), the shapes
// disagree, or the mixture has more than options.max_components components (the message gives
// the count, e.g. "3^30 = 205891132094649 components").
GaussianMixture gaussian_rbm_mixture(const Model& m, const MixtureOptions& options = {});

// log Z = (d/2) log(2 pi) + log sum_h exp(b^T h + (|a + W h|^2 - |a|^2) / 2) of a
// Gaussian-visible RBM (unit variance; Bernoulli or ternary hidden units), enumerating all 2^H
// or 3^H hidden states in double precision. Throws InvalidArgument as gaussian_rbm_mixture
// (max_components caps the number of hidden states).
double gaussian_rbm_log_partition(const Model& m, std::uint64_t max_components = kDefaultMaxComponents);

// log p(v) = -F(v) - log Z, with log_z from gaussian_rbm_log_partition.
double gaussian_rbm_log_density(const Model& m, const Eigen::VectorXd& v, double log_z);

// --- Product of Gaussian-mixture experts ----------------------------------------------------

// H experts, each a mixture of K identity-covariance Gaussians in R^D (docs/exercise.md 2(c)).
struct GaussianExperts {
  std::size_t n_experts = 0;     // H
  std::size_t n_components = 0;  // K
  std::size_t dim = 0;           // D
  std::vector<double> means;     // (H, K, D) C order: means[(i K + k) D + j] = u_{i,k}[j]
  std::vector<double> weights;   // (H, K) C order: weights[i K + k] = pi_{i,k}

  // u_{i,k} as a D-vector.
  Eigen::Map<const Eigen::VectorXd> mean(std::size_t i, std::size_t k) const {
    return Eigen::Map<const Eigen::VectorXd>(means.data() + (i * n_components + k) * dim, static_cast<Eigen::Index>(dim));
  }
};

// Largest |sum_k pi_{i,k} - 1| accepted for an expert's mixing weights.
inline constexpr double kMixingWeightTolerance = 1e-6;

// Throws InvalidArgument unless H, K, D >= 1, means holds H K D finite values, weights holds
// H K finite positive values and each expert's weights sum to 1 within kMixingWeightTolerance.
// The message names the expert and component at fault.
void check_experts(const GaussianExperts& e);

// The K^H components of the product of experts: for each choice k (state, 0-based), centre m_k
// (D), variance 1/H, weight w_k normalised in log space; log_normaliser = log Z_poe (header
// comment). Throws InvalidArgument as check_experts, or when K^H exceeds options.max_components
// (the message gives the count, e.g. "3^30 = 205891132094649 components").
GaussianMixture product_of_experts_mixture(const GaussianExperts& e, const MixtureOptions& options = {});

// --- Evaluating a mixture -------------------------------------------------------------------

// log p(x) = log sum_c w_c N(x; centre_c, variance I) for x (D), in double precision. Throws
// InvalidArgument when x's length is not D or when the mixture keeps fewer components than it
// has (MixtureOptions::top was set).
double mixture_log_density(const GaussianMixture& mix, const Eigen::VectorXd& x);

}  // namespace rbmkit
