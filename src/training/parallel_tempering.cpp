#include "rbmkit/training/parallel_tempering.hpp"

#include <cmath>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/units.hpp"
#include "rbmkit/training/persistent_cd.hpp"

namespace rbmkit {

std::vector<float> linear_betas(std::size_t M, float beta_min) {
  if (M < 2) throw ParameterError("temperatures", "number of temperatures must be >= 2 (got " + std::to_string(M) + ")");
  if (!(beta_min >= 0.0f && beta_min < 1.0f))
    throw ParameterError("beta-min", "lowest inverse temperature must be in [0, 1) (got " + std::to_string(beta_min) + ")");
  std::vector<float> betas(M);
  for (std::size_t m = 0; m < M; ++m)
    betas[m] = beta_min + (1.0f - beta_min) * static_cast<float>(m) / static_cast<float>(M - 1);
  betas.back() = 1.0f;
  return betas;
}

namespace {

// log of the swap acceptance ratio from the four free energies.
inline double log_swap_ratio(double f_a_at_a, double f_b_at_b, double f_b_at_a, double f_a_at_b) {
  // F_beta_a(x_a) + F_beta_b(x_b) - F_beta_a(x_b) - F_beta_b(x_a)
  return f_a_at_a + f_b_at_b - f_a_at_b - f_b_at_a;
}

}  // namespace

double swap_probability(const Model& m, float beta_a, float beta_b, const Vector& x_a, const Vector& x_b) {
  Matrix X(2, x_a.size());
  X.row(0) = x_a.transpose();
  X.row(1) = x_b.transpose();
  const Matrix S = hidden_input(m, X);
  const Eigen::VectorXd Fa = free_energies(m, X, S, beta_a), Fb = free_energies(m, X, S, beta_b);
  // Fa[0] = F_a(x_a), Fa[1] = F_a(x_b), Fb[0] = F_b(x_a), Fb[1] = F_b(x_b).
  return std::min(1.0, std::exp(log_swap_ratio(Fa[0], Fb[1], Fb[0], Fa[1])));
}

ParallelTempering::ParallelTempering(GibbsSteps k, std::size_t chains, std::vector<float> betas, std::uint64_t seed)
    : k_(k), n_chains_(chains), betas_(std::move(betas)), seed_(seed) {
  if (chains < 1) throw ParameterError("chains", "number of persistent chains must be >= 1 (got 0)");
  if (betas_.size() < 2 || betas_.back() != 1.0f) throw InvalidArgument("PT needs >= 2 temperatures ending at beta = 1");
  accepted_.assign(betas_.size() - 1, 0);
  proposed_.assign(betas_.size() - 1, 0);
}

void ParallelTempering::swap(const Products& p, std::uint64_t update) {
  const Model& m = p.model();
  const std::size_t M = betas_.size();
  std::vector<Matrix> S(M);
  // fp32 keeps the dense product of hidden_input (whatever the number of chains).
  for (std::size_t t = 0; t < M; ++t) {
    if (p.precision() == Precision::Bf16)
      p.up(chains_[t], S[t]);
    else
      S[t] = hidden_input(m, chains_[t]);
  }
  RandomStream rng(seed_, stream_id(Purpose::Swap, update));
  for (std::size_t t = update % 2; t + 1 < M; t += 2) {
    // f_x_y: the free energy at beta_x of the states of chain y (lo = t, hi = t + 1).
    const Eigen::VectorXd f_lo_lo = free_energies(m, chains_[t], S[t], betas_[t]);
    const Eigen::VectorXd f_hi_hi = free_energies(m, chains_[t + 1], S[t + 1], betas_[t + 1]);
    const Eigen::VectorXd f_lo_hi = free_energies(m, chains_[t + 1], S[t + 1], betas_[t]);
    const Eigen::VectorXd f_hi_lo = free_energies(m, chains_[t], S[t], betas_[t + 1]);
    for (Eigen::Index n = 0; n < chains_[t].rows(); ++n) {
      const double log_r = log_swap_ratio(f_lo_lo[n], f_hi_hi[n], f_hi_lo[n], f_lo_hi[n]);
      ++proposed_[t];
      if (std::log(1.0 - rng.uniform_double()) < log_r) {
        chains_[t].row(n).swap(chains_[t + 1].row(n));
        ++accepted_[t];
      }
    }
  }
}

void ParallelTempering::estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) {
  const Model& m = p.model();
  if (m.visible_units == UnitType::Gaussian && !(betas_.front() > 0.0f))
    throw ParameterError("beta-min", "PT with Gaussian visible units needs every inverse temperature > 0 (got " +
                                         std::to_string(betas_.front()) + ")");
  positive_phase(p, X, g);
  const std::size_t M = betas_.size();
  if (chains_.empty()) chains_.assign(M, tile_rows(X, n_chains_));
  // gibbs_steps uses 2k strides of N rows of the wider layer's draws; temperature t starts after
  // the blocks of the temperatures below it.
  const std::uint64_t per_row = std::max(draw_blocks_per_row(m.visible_units, static_cast<std::uint64_t>(X.cols())),
                                         draw_blocks_per_row(m.hidden_units, static_cast<std::uint64_t>(m.W.cols())));
  const int k = k_.at(update);
  const std::uint64_t per_temperature = 2 * static_cast<std::uint64_t>(k) * n_chains_ * per_row;
  Matrix P;
  for (std::size_t t = 0; t < M; ++t) {
    hidden_probs(p, chains_[t], P, betas_[t]);
    gibbs_steps(p, chains_[t], P, k, {seed_, stream_id(Purpose::Gibbs, update), t * per_temperature}, nullptr,
                betas_[t]);
  }
  swap(p, update);
  g.v_neg = chains_.back();
  hidden_probs(p, g.v_neg, g.h_neg);
}

nlohmann::json ParallelTempering::take_stats() {
  nlohmann::json rates = nlohmann::json::array();
  for (std::size_t t = 0; t < accepted_.size(); ++t) {
    rates.push_back(proposed_[t] ? nlohmann::json(static_cast<double>(accepted_[t]) / static_cast<double>(proposed_[t]))
                                 : nlohmann::json(nullptr));
    accepted_[t] = proposed_[t] = 0;
  }
  return {{"swap_acceptance", rates}};
}

void ParallelTempering::save_state(StateArrays& out) const {
  for (std::size_t t = 0; t < chains_.size(); ++t) out["pt.ladder." + std::to_string(t)] = chains_[t];
}

void ParallelTempering::load_state(const StateArrays& in) {
  if (!in.count("pt.ladder.0")) return;
  chains_.assign(betas_.size(), Matrix());
  for (std::size_t t = 0; t < betas_.size(); ++t) {
    const auto it = in.find("pt.ladder." + std::to_string(t));
    if (it == in.end()) throw FormatError("checkpoint lacks the tempered chains at temperature " + std::to_string(t));
    chains_[t] = it->second;
  }
}

}  // namespace rbmkit
