// Parallel tempering (Desjardins, Courville, Bengio, Vincent and Delalleau 2010, "Tempered
// Markov chain Monte Carlo for training of restricted Boltzmann machines"; Cho, Raiko and Ilin
// 2010). Each of N particles has a ladder of M chains at inverse temperatures
// beta_1 < ... < beta_M = 1, chain m sampling p_beta(v, h) ~ exp(-beta E(v, h)). Every update
// runs k Gibbs sweeps at every temperature, then proposes swaps between neighbours (m, m+1) for
// m of the update's parity, accepted with probability
//   min(1, exp(F_bm(x_m) + F_bm+1(x_m+1) - F_bm(x_m+1) - F_bm+1(x_m))),
// where F_b(v) = b visible_term(v) - sum_j log-partition(b (v . w_j + b_j)) is the free energy
// of p_b(v) for the model's unit types (free_energies in model/free_energy.hpp; for Bernoulli units
// F_b(v) = -b a^T v - sum_j softplus(b (v . w_j + b_j))). Gaussian visible units have variance
// 1 / b at inverse temperature b, so their ladders need b > 0.
// The beta = 1 chains are the negative phase; every ladder starts at the rows of the first batch
// (repeated as needed). Swap acceptance rates per neighbour pair are reported through
// take_stats().
#pragma once

#include <vector>

#include "rbmkit/training/gibbs_steps.hpp"
#include "rbmkit/training/gradient.hpp"

namespace rbmkit {

// M inverse temperatures evenly spaced in [beta_min, 1], ascending (M >= 2, 0 <= beta_min < 1).
std::vector<float> linear_betas(std::size_t M, float beta_min);

// The probability of swapping states x_a (at beta_a) and x_b (at beta_b), each (d):
//   min(1, exp(F_a(x_a) + F_b(x_b) - F_a(x_b) - F_b(x_a))), free energies in double.
double swap_probability(const Model& m, float beta_a, float beta_b, const Vector& x_a, const Vector& x_b);

class ParallelTempering : public GradientEstimator {
 public:
  ParallelTempering(GibbsSteps k, std::size_t chains, std::vector<float> betas, std::uint64_t seed);
  using GradientEstimator::estimate;
  void estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) override;
  // {"swap_acceptance": [rate of pair (1,2), (2,3), ...]} since the last call.
  nlohmann::json take_stats() override;
  const std::vector<Matrix>& ladders() const { return chains_; }
  const std::vector<float>& betas() const { return betas_; }
  void save_state(StateArrays& out) const override;
  void load_state(const StateArrays& in) override;

 private:
  void swap(const Products& p, std::uint64_t update);

  GibbsSteps k_;
  std::size_t n_chains_;
  std::vector<float> betas_;
  std::uint64_t seed_;
  std::vector<Matrix> chains_;  // per temperature (N, d)
  std::vector<std::uint64_t> accepted_, proposed_;
};

}  // namespace rbmkit
