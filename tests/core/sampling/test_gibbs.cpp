#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "rbmkit/model/units.hpp"
#include "rbmkit/sampling/gibbs.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using test::bit;

// p(h_j = 1 | v) by summing the joint over h (not the closed form), for every visible state.
TEST(Gibbs, HiddenConditionalsMatchEnumeration) {
  const Model m = test::random_model(6, 4, 1.0, 0.5, 1);
  const std::uint64_t nv = 64, nh = 16;
  Matrix V = test::to_matrix([&] { std::vector<std::uint64_t> s; for (std::uint64_t v = 0; v < nv; ++v) s.push_back(v); return s; }(), 6);
  Matrix P;
  hidden_probs(m, V, P);
  for (std::uint64_t v = 0; v < nv; ++v) {
    double norm = -INFINITY;
    std::vector<double> on(4, -INFINITY);
    for (std::uint64_t h = 0; h < nh; ++h) {
      const double e = test::neg_energy(m, v, h);
      norm = test::log_add(norm, e);
      for (int j = 0; j < 4; ++j)
        if ((h >> j) & 1u) on[static_cast<std::size_t>(j)] = test::log_add(on[static_cast<std::size_t>(j)], e);
    }
    for (int j = 0; j < 4; ++j)
      EXPECT_NEAR(P(static_cast<Eigen::Index>(v), j), std::exp(on[static_cast<std::size_t>(j)] - norm), 1e-6);
  }
}

TEST(Gibbs, VisibleConditionalsMatchEnumeration) {
  const Model m = test::random_model(5, 3, 1.0, 0.5, 2);
  std::vector<std::uint64_t> hs;
  for (std::uint64_t h = 0; h < 8; ++h) hs.push_back(h);
  Matrix S = test::to_matrix(hs, 3), P;
  visible_probs(m, S, P);
  for (std::uint64_t h = 0; h < 8; ++h) {
    double norm = -INFINITY;
    std::vector<double> on(5, -INFINITY);
    for (std::uint64_t v = 0; v < 32; ++v) {
      const double e = test::neg_energy(m, v, h);
      norm = test::log_add(norm, e);
      for (int i = 0; i < 5; ++i)
        if ((v >> i) & 1u) on[static_cast<std::size_t>(i)] = test::log_add(on[static_cast<std::size_t>(i)], e);
    }
    for (int i = 0; i < 5; ++i)
      EXPECT_NEAR(P(static_cast<Eigen::Index>(h), i), std::exp(on[static_cast<std::size_t>(i)] - norm), 1e-6);
  }
}

// The sparse small-batch path and the GEMM path equal a naive double-precision reference, for
// odd shapes and batch sizes on both sides of the switch, with real-valued and binary rows.
TEST(Gibbs, HiddenAndVisibleProbsEqualNaiveReference) {
  const std::size_t shapes[][2] = {{1, 1}, {7, 3}, {33, 17}, {784, 100}, {5, 64}};
  for (const auto& s : shapes) {
    const Model m = test::random_model(s[0], s[1], 0.3, 0.3, s[0] * 31 + s[1]);
    for (Eigen::Index B : {1, 2, 4, 5, 9}) {
      Matrix V(B, static_cast<Eigen::Index>(s[0]));
      RandomStream rng(B, s[0]);
      for (Eigen::Index k = 0; k < V.size(); ++k) {
        const double u = rng.uniform_double();
        V.data()[k] = k % 3 == 0 ? static_cast<float>(u) : (u < 0.2 ? 1.0f : 0.0f);
      }
      Matrix P, Q;
      hidden_probs(m, V, P);
      visible_probs(m, P, Q);
      for (Eigen::Index r = 0; r < B; ++r) {
        for (Eigen::Index j = 0; j < m.W.cols(); ++j) {
          double x = m.b[j];
          for (Eigen::Index i = 0; i < m.W.rows(); ++i) x += static_cast<double>(V(r, i)) * m.W(i, j);
          ASSERT_NEAR(P(r, j), test::sigm(x), 2e-6) << s[0] << "x" << s[1] << " B=" << B;
        }
        for (Eigen::Index i = 0; i < m.W.rows(); ++i) {
          double x = m.a[i];
          for (Eigen::Index j = 0; j < m.W.cols(); ++j) x += static_cast<double>(P(r, j)) * m.W(i, j);
          ASSERT_NEAR(Q(r, i), test::sigm(x), 2e-6) << s[0] << "x" << s[1] << " B=" << B;
        }
      }
    }
  }
}

TEST(Gibbs, BernoulliDrawsAreReproducibleAndHaveTheRightFrequency) {
  Matrix P = Matrix::Constant(200, 500, 0.3f), S1, S2;
  P(0, 0) = 0.0f;
  P(0, 1) = 1.0f;
  sample_bernoulli(P, S1, {7, 1, 0});
  sample_bernoulli(P, S2, {7, 1, 0});
  EXPECT_EQ(S1, S2);
  EXPECT_EQ(S1(0, 0), 0.0f);
  EXPECT_EQ(S1(0, 1), 1.0f);
  const double n = static_cast<double>(P.size());
  EXPECT_NEAR(S1.mean(), 0.3, 5 * std::sqrt(0.3 * 0.7 / n));
  sample_bernoulli(P, S2, {8, 1, 0});
  EXPECT_NE(S1, S2);
}

// 40,000 independent chains run 60 Gibbs steps from random states; their final visible states
// are compared with the exact marginal p(v) over all 64 states by a chi-square test
// (bins with expected count < 5 pooled; critical value at p = 0.001).
TEST(Gibbs, ChainVisibleHistogramMatchesExactMarginal) {
  const Model m = test::random_model(6, 4, 1.0, 0.5, 11);
  const test::Exact exact = test::enumerate_joint(m);
  const Eigen::Index chains = 40000;
  Matrix V(chains, 6), P_h;
  RandomStream init(3, 3);
  for (Eigen::Index k = 0; k < V.size(); ++k) V.data()[k] = init.uniform_double() < 0.5 ? 1.0f : 0.0f;
  hidden_probs(m, V, P_h);
  gibbs_steps(m, V, P_h, 60, {21, 5, 0});
  std::vector<double> counts(64, 0.0);
  for (Eigen::Index r = 0; r < chains; ++r) {
    std::uint64_t v = 0;
    for (int i = 0; i < 6; ++i) v |= static_cast<std::uint64_t>(V(r, i) != 0.0f) << i;
    counts[v] += 1;
  }
  std::vector<double> probs(64);
  for (std::uint64_t v = 0; v < 64; ++v) probs[v] = std::exp(exact.log_pv[v]);
  const test::ChiSquare c = test::chi_square(counts, probs, chains);
  ASSERT_GE(c.bins, 40);
  EXPECT_LT(c.statistic, c.critical) << "bins " << c.bins;
}

}  // namespace
}  // namespace rbmkit
