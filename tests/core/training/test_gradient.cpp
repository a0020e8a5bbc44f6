#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/training/contrastive_divergence.hpp"
#include "rbmkit/training/gradient.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

const std::vector<std::uint64_t> kData = {0b000111, 0b111000, 0b101010, 0b010101, 0b110011, 0b001100};

// The exact gradient (by enumeration) equals central finite differences of the exact mean
// log-likelihood. Step h = 2^-8 is exact in float for |w| < 2^15; the truncation error is
// h^2/6 |f'''| <= 1e-5 for these O(1) parameters, and the enumeration is exact to ~1e-13.
TEST(Gradient, ExactGradientMatchesFiniteDifferences) {
  const Model m0 = test::random_model(6, 4, 0.8, 0.4, 4);
  const test::ExactGradient g = test::exact_gradient(m0, kData);
  const float h = 1.0f / 256;
  auto ll = [&](const Model& m) { return test::mean_log_likelihood(test::enumerate_joint(m), kData); };
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 4; ++j) {
      Model p = m0, q = m0;
      p.W(i, j) += h;
      q.W(i, j) -= h;
      const double fd = (ll(p) - ll(q)) / (static_cast<double>(p.W(i, j)) - q.W(i, j));
      EXPECT_NEAR(g.dW[static_cast<std::size_t>(i * 4 + j)], fd, 1e-4) << i << "," << j;
    }
  for (Eigen::Index i = 0; i < 6; ++i) {
    Model p = m0, q = m0;
    p.a[i] += h;
    q.a[i] -= h;
    EXPECT_NEAR(g.da[static_cast<std::size_t>(i)], (ll(p) - ll(q)) / (2.0 * h), 1e-4);
  }
  for (Eigen::Index j = 0; j < 4; ++j) {
    Model p = m0, q = m0;
    p.b[j] += h;
    q.b[j] -= h;
    EXPECT_NEAR(g.db[static_cast<std::size_t>(j)], (ll(p) - ll(q)) / (2.0 * h), 1e-4);
  }
}

struct CdStats {
  double max_error = 0;    // max over W entries of |mean CD-k estimate - exact|
  double max_se = 0;       // max standard error of those means
};

// Mean CD-k weight gradient over `copies` copies of the data set, each with its own chain, and
// its standard error from the per-chain spread.
CdStats cd_error(const Model& m, int k, int copies) {
  std::vector<std::uint64_t> rows;
  for (int c = 0; c < copies; ++c) rows.insert(rows.end(), kData.begin(), kData.end());
  const Matrix X = test::to_matrix(rows, 6);
  Gradient g;
  ContrastiveDivergence(k, 99).estimate(m, X, 0, g);
  const test::ExactGradient exact = test::exact_gradient(m, kData);
  const Matrix mean = g.weights();
  CdStats s;
  const double n = static_cast<double>(X.rows());
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 4; ++j) {
      double sq = 0;
      for (Eigen::Index r = 0; r < X.rows(); ++r) {
        const double x = g.v_pos(r, i) * g.h_pos(r, j) - g.v_neg(r, i) * g.h_neg(r, j) - mean(i, j);
        sq += x * x;
      }
      s.max_se = std::max(s.max_se, std::sqrt(sq / (n - 1) / n));
      s.max_error = std::max(s.max_error, std::fabs(mean(i, j) - exact.dW[static_cast<std::size_t>(i * 4 + j)]));
    }
  return s;
}

// CD-k is biased for small k (Carreira-Perpinan and Hinton 2005); its expectation approaches the
// exact gradient as k grows. With strong weights CD-1's bias is far above the Monte Carlo error,
// and CD-200's error is within the Monte Carlo error (5 standard errors, max over 24 entries).
TEST(Gradient, CdkApproachesExactGradientAsKGrows) {
  const Model m = test::random_model(6, 4, 2.0, 0.5, 8);
  const CdStats cd1 = cd_error(m, 1, 20000);
  const CdStats cd5 = cd_error(m, 5, 20000);
  const CdStats cd200 = cd_error(m, 200, 20000);
  EXPECT_GT(cd1.max_error, 10 * cd1.max_se) << "CD-1 should be visibly biased on this model";
  EXPECT_LT(cd5.max_error, cd1.max_error);
  EXPECT_LT(cd200.max_error, 5 * cd200.max_se);
}

TEST(Gradient, FactoredFormEqualsDenseFormulas) {
  const Model m = test::random_model(6, 5, 0.5, 0.5, 3);
  const Matrix X = test::to_matrix(kData, 6);
  Gradient g;
  ContrastiveDivergence(2, 1).estimate(m, X, 0, g);
  const Matrix dW = g.weights();
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 5; ++j) {
      double s = 0;
      for (Eigen::Index r = 0; r < X.rows(); ++r) s += g.v_pos(r, i) * g.h_pos(r, j) - g.v_neg(r, i) * g.h_neg(r, j);
      EXPECT_NEAR(dW(i, j), s / X.rows(), 1e-6);
    }
  EXPECT_TRUE(g.v_pos.isApprox(X));
}

// The optimiser's sparse (small batch) and GEMM (large batch) updates equal W + lr dW computed
// densely, and momentum with weight decay follows its formula.
TEST(Optimizer, UpdatesEqualDenseReference) {
  for (Eigen::Index B : {1, 3, 4, 5, 12}) {
    Model m = test::random_model(13, 7, 0.5, 0.5, static_cast<std::uint64_t>(B));
    Matrix X(B, 13);
    RandomStream rng(B, 0);
    for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = rng.uniform_double() < 0.3 ? 1.0f : 0.0f;
    Gradient g;
    ContrastiveDivergence(1, 5).estimate(m, X, 0, g);
    const Model before = m;
    Sgd({0.05f, 0.0f, 0.0f}).apply(m, g);
    EXPECT_TRUE(m.W.isApprox(before.W + 0.05f * g.weights(), 1e-6f)) << "B=" << B;
    EXPECT_TRUE(m.b.isApprox(before.b + 0.05f * g.hidden_bias(), 1e-6f));
    EXPECT_TRUE(m.a.isApprox(before.a + 0.05f * g.visible_bias(), 1e-6f));

    Model mm = before;
    Sgd sgd({0.05f, 0.5f, 0.01f});
    sgd.apply(mm, g);
    const Matrix v1 = 0.05f * (g.weights() - 0.01f * before.W);
    EXPECT_TRUE(mm.W.isApprox(before.W + v1, 1e-5f));
    const Matrix w1 = mm.W;
    sgd.apply(mm, g);
    const Matrix v2 = 0.5f * v1 + 0.05f * (g.weights() - 0.01f * w1);
    EXPECT_TRUE(mm.W.isApprox(w1 + v2, 1e-5f));
  }
}

TEST(Optimizer, VisibleBiasStaysZeroWhenOff) {
  Model m = test::random_model(6, 4, 0.5, 0.0, 1);
  m.a.setZero();
  m.visible_bias = false;
  Gradient g;
  ContrastiveDivergence(1, 1).estimate(m, test::to_matrix(kData, 6), 0, g);
  Sgd({0.1f, 0.9f, 0.0f}).apply(m, g);
  EXPECT_EQ(m.a.cwiseAbs().maxCoeff(), 0.0f);
}

TEST(Optimizer, RejectsBadSettings) {
  EXPECT_THROW(Sgd({-1.0f, 0.0f, 0.0f}), InvalidArgument);
  EXPECT_THROW(Sgd({0.1f, 1.0f, 0.0f}), InvalidArgument);
  EXPECT_THROW(Sgd({0.1f, 0.0f, -0.1f}), InvalidArgument);
  EXPECT_THROW(ContrastiveDivergence(0, 1), InvalidArgument);
}

}  // namespace
}  // namespace rbmkit
