#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cmath>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

// log Z by enumerating the smaller layer equals brute force over both layers, for both
// orientations (H < d and H > d) and for weights large enough that naive sums overflow.
TEST(Likelihood, ExactLogZEqualsBruteForce) {
  const std::size_t shapes[][2] = {{6, 4}, {4, 6}, {5, 5}, {8, 3}, {2, 9}};
  for (double w_std : {0.1, 1.0, 30.0}) {
    for (const auto& s : shapes) {
      const Model m = test::random_model(s[0], s[1], w_std, 1.0, s[0] * 10 + s[1]);
      const double brute = test::enumerate_joint(m).log_z;
      const double fast = log_partition_exact(m);
      EXPECT_NEAR(fast, brute, 1e-9 * std::fabs(brute)) << s[0] << "x" << s[1] << " std " << w_std;
    }
  }
}

TEST(Likelihood, ExactLogZSurvivesHugeWeights) {
  Model m = test::random_model(5, 3, 1.0, 0.0, 2);
  m.W *= 1000.0f;  // exp of the energies overflows double
  const double brute = test::enumerate_joint(m).log_z;
  ASSERT_TRUE(std::isfinite(brute));
  EXPECT_NEAR(log_partition_exact(m), brute, 1e-9 * std::fabs(brute));
}

// With W = 0 the pixels are independent: log p(x) = sum_i (a_i x_i - softplus(a_i)).
TEST(Likelihood, ZeroWeightsGiveIndependentPixelFormula) {
  Model m = test::random_model(7, 5, 0.0, 1.5, 6);
  const std::vector<std::uint64_t> data = {0, 5, 127, 64, 33};
  const Matrix X = test::to_matrix(data, 7);
  double expected = 0;
  for (Eigen::Index r = 0; r < X.rows(); ++r)
    for (Eigen::Index i = 0; i < 7; ++i)
      expected += m.a[i] * X(r, i) - std::log1p(std::exp(static_cast<double>(m.a[i])));
  expected /= static_cast<double>(X.rows());
  EXPECT_NEAR(mean_log_likelihood(m, X, log_partition_exact(m)), expected, 1e-12 * std::fabs(expected));
}

TEST(Likelihood, MeanLogLikelihoodMatchesEnumeration) {
  const Model m = test::random_model(6, 5, 1.0, 0.5, 9);
  const std::vector<std::uint64_t> data = {1, 2, 3, 60, 61};
  const double expected = test::mean_log_likelihood(test::enumerate_joint(m), data);
  EXPECT_NEAR(mean_log_likelihood(m, test::to_matrix(data, 6), log_partition_exact(m)), expected, 1e-9);
}

TEST(Likelihood, EnumerationCapIsEnforcedWithTheSizeInTheMessage) {
  const Model m = test::random_model(30, 30, 0.1, 0.1, 1);
  try {
    log_partition_exact(m, std::uint64_t{1} << 20);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("2^30"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("1048576"));
  }
}

}  // namespace
}  // namespace rbmkit
