#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "rbmkit/error.hpp"
#include "rbmkit/training/parallel_tempering.hpp"
#include "rbmkit/training/persistent_cd.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

// log p_beta(v) for every visible state of a tiny model, by enumerating h at inverse
// temperature beta: p_beta(v, h) ~ exp(-beta E(v, h)).
std::vector<double> tempered_log_marginal(const Model& m, double beta) {
  const std::uint64_t nv = std::uint64_t{1} << m.W.rows(), nh = std::uint64_t{1} << m.W.cols();
  std::vector<double> lp(nv, -INFINITY);
  double z = -INFINITY;
  for (std::uint64_t v = 0; v < nv; ++v) {
    for (std::uint64_t h = 0; h < nh; ++h) lp[v] = test::log_add(lp[v], beta * test::neg_energy(m, v, h));
    z = test::log_add(z, lp[v]);
  }
  for (auto& x : lp) x -= z;
  return lp;
}

Vector state(std::uint64_t v, std::size_t d) { return test::to_matrix({v}, d).row(0).transpose(); }

// Detailed balance of the swap move, checked exactly over every pair of states of a tiny model:
// pi(x, y) alpha(x, y) = pi(y, x) alpha(y, x) with pi(x, y) = p_b1(x) p_b2(y) by enumeration.
// Then the swap kernel leaves pi invariant (pi T = pi), summed over all 256 pairs.
TEST(Tempering, SwapRuleSatisfiesDetailedBalanceExactly) {
  const Model m = test::random_model(4, 3, 1.5, 0.7, 21);
  const float b1 = 0.4f, b2 = 1.0f;
  const auto lp1 = tempered_log_marginal(m, b1), lp2 = tempered_log_marginal(m, b2);
  const std::uint64_t n = 16;
  double max_violation = 0, mass_out = 0, mass_in = 0;
  for (std::uint64_t x = 0; x < n; ++x)
    for (std::uint64_t y = 0; y < n; ++y) {
      const double pi_xy = std::exp(lp1[x] + lp2[y]), pi_yx = std::exp(lp1[y] + lp2[x]);
      const double a_xy = swap_probability(m, b1, b2, state(x, 4), state(y, 4));
      const double a_yx = swap_probability(m, b1, b2, state(y, 4), state(x, 4));
      ASSERT_GE(a_xy, 0.0);
      ASSERT_LE(a_xy, 1.0);
      max_violation = std::max(max_violation, std::fabs(pi_xy * a_xy - pi_yx * a_yx) / std::max(pi_xy, 1e-300));
      mass_out += pi_xy * a_xy;
      mass_in += pi_yx * a_yx;
    }
  // Float free energies: relative error ~1e-6 in the acceptance ratio.
  EXPECT_LT(max_violation, 1e-5);
  EXPECT_NEAR(mass_out, mass_in, 1e-6);
  // The rule must not be trivial: some swaps are rejected, some accepted.
  EXPECT_LT(swap_probability(m, b1, b2, state(0, 4), state(15, 4)) * swap_probability(m, b1, b2, state(15, 4), state(0, 4)), 1.0);
}

TEST(Tempering, LinearBetasEndAtOneAndRefuseBadLadders) {
  const auto b = linear_betas(5, 0.2f);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_FLOAT_EQ(b[0], 0.2f);
  EXPECT_FLOAT_EQ(b[2], 0.6f);
  EXPECT_EQ(b[4], 1.0f);
  EXPECT_THROW(linear_betas(1, 0.5f), InvalidArgument);
  EXPECT_THROW(linear_betas(4, 1.0f), InvalidArgument);
}

// Max over W entries of |mean negative statistic - exact model expectation E[v p(h|v)^T]|, with
// the model frozen, averaged over `updates` updates after `burn_in`, and its standard error
// estimated from the spread of per-update means (updates are nearly independent here because
// the tiny model mixes in a few sweeps).
struct NegStats {
  double error = 0, se = 0;
};

NegStats negative_error(GradientEstimator& est, const Model& m, int burn_in, int updates) {
  const std::vector<std::uint64_t> data = {3, 12, 48, 60};
  const Matrix X = test::to_matrix(data, 6);
  const test::Exact exact = test::enumerate_joint(m);
  Matrix expected = Matrix::Zero(6, 4);
  for (std::uint64_t v = 0; v < 64; ++v) {
    Matrix P;
    hidden_probs(m, test::to_matrix({v}, 6), P);
    expected += std::exp(exact.log_pv[v]) * test::to_matrix({v}, 6).transpose() * P;
  }
  Gradient g;
  for (int u = 0; u < burn_in; ++u) est.estimate(m, X, static_cast<std::uint64_t>(u), g);
  Matrix sum = Matrix::Zero(6, 4), sum_sq = Matrix::Zero(6, 4);
  for (int u = 0; u < updates; ++u) {
    est.estimate(m, X, static_cast<std::uint64_t>(burn_in + u), g);
    const Matrix s = g.v_neg.transpose() * g.h_neg / static_cast<float>(g.v_neg.rows());
    sum += s;
    sum_sq += s.cwiseProduct(s);
  }
  const Matrix mean = sum / updates;
  const Matrix var = (sum_sq / updates - mean.cwiseProduct(mean)).cwiseMax(0.0f);
  NegStats r;
  r.error = (mean - expected).cwiseAbs().maxCoeff();
  r.se = std::sqrt(var.maxCoeff() / updates);
  return r;
}

// PCD's and PT's negative phases approach the exact model expectation as the number of chains
// grows: with many chains the error is within Monte Carlo error (5 standard errors) and smaller
// than with few chains.
TEST(Tempering, PcdAndPtNegativePhaseApproachExactExpectation) {
  const Model m = test::random_model(6, 4, 1.0, 0.5, 33);
  for (int method = 0; method < 2; ++method) {
    std::vector<double> errors;
    for (std::size_t chains : {4, 2000}) {
      std::unique_ptr<GradientEstimator> est;
      if (method == 0) est = std::make_unique<PersistentContrastiveDivergence>(1, chains, 5);
      else est = std::make_unique<ParallelTempering>(1, chains, linear_betas(4, 0.3f), 5);
      const NegStats s = negative_error(*est, m, 50, 200);
      errors.push_back(s.error);
      if (chains == 2000) {
        EXPECT_LT(s.error, 5 * s.se) << "method " << method;
      }
    }
    EXPECT_LT(errors[1], errors[0]) << "method " << method;
  }
}

TEST(Tempering, SwapAcceptanceIsReportedPerPair) {
  const Model m = test::random_model(6, 4, 0.5, 0.5, 2);
  ParallelTempering pt(1, 50, linear_betas(3, 0.5f), 9);
  Gradient g;
  for (std::uint64_t u = 0; u < 20; ++u) pt.estimate(m, test::to_matrix({1, 2, 3}, 6), u, g);
  const auto stats = pt.take_stats();
  ASSERT_EQ(stats["swap_acceptance"].size(), 2u);
  for (const auto& r : stats["swap_acceptance"]) {
    EXPECT_GT(r.get<double>(), 0.0);
    EXPECT_LE(r.get<double>(), 1.0);
  }
  EXPECT_EQ(g.v_neg.rows(), 50);
}

}  // namespace
}  // namespace rbmkit
