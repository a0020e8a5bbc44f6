#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "rbmkit/kernels/math.hpp"

namespace rbmkit {
namespace {

long double sigmoid_ref(long double x) { return 1.0L / (1.0L + std::exp(-x)); }
long double softplus_ref(long double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

std::vector<float> grid(float lo, float hi, int n) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(n - 1);
  return x;
}

// Float results can carry 1e-6 relative precision only while they are normal floats; below
// FLT_MIN the spacing of subnormals (2^-149) bounds the error instead.
void expect_close(long double ref, float got, float x, const char* what) {
  ASSERT_TRUE(std::isfinite(got)) << what << "(" << x << ")";
  if (std::fabs(ref) >= FLT_MIN) {
    EXPECT_LE(std::fabs((got - ref) / ref), 1e-6L) << what << "(" << x << ") ref " << static_cast<double>(ref);
  } else {
    EXPECT_LE(std::fabs(got - ref), std::numeric_limits<float>::denorm_min()) << what << "(" << x << ")";
  }
}

// kLog2Pi, a literal that the evaluation tests also use for their Gaussian normalisers, is the
// double std::log(2 pi) returns (checked here against the standard library, not against itself).
TEST(Math, Log2PiIsTheDoubleOfLogOfTwoPi) { EXPECT_EQ(kLog2Pi, std::log(2.0 * std::numbers::pi)); }

TEST(Math, SigmoidArrayMatchesLongDoubleOnMinus100To100) {
  std::vector<float> x = grid(-100.0f, 100.0f, 200001);
  std::vector<float> y(x.size());
  sigmoid(x.data(), y.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) expect_close(sigmoid_ref(x[i]), y[i], x[i], "sigmoid");
}

TEST(Math, SoftplusArrayMatchesLongDoubleOnMinus100To100) {
  std::vector<float> x = grid(-100.0f, 100.0f, 200001);
  std::vector<float> y(x.size());
  softplus(x.data(), y.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) expect_close(softplus_ref(x[i]), y[i], x[i], "softplus");
}

TEST(Math, DoubleVersionsAreAccurateToOneInAMillionEverywhereOnTheRange) {
  for (double x = -100.0; x <= 100.0; x += 0.001) {
    const long double s = sigmoid_ref(x), p = softplus_ref(x);
    EXPECT_LE(std::fabs((sigmoid(x) - s) / s), 1e-6L) << x;
    EXPECT_LE(std::fabs((softplus(x) - p) / p), 1e-6L) << x;
  }
}

TEST(Math, ExtremeInputsGiveLimitsNotNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {-inf, -FLT_MAX, -1e30f, -88.8f, -1e-30f, 0.0f, 1e-30f, 88.8f, 1e30f, FLT_MAX, inf};
  std::vector<float> s(x.size()), p(x.size());
  sigmoid(x.data(), s.data(), x.size());
  softplus(x.data(), p.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_FALSE(std::isnan(s[i])) << x[i];
    EXPECT_FALSE(std::isnan(p[i])) << x[i];
    EXPECT_GE(s[i], 0.0f);
    EXPECT_LE(s[i], 1.0f);
    EXPECT_GE(p[i], 0.0f);
  }
  EXPECT_EQ(s.front(), 0.0f);
  EXPECT_EQ(s.back(), 1.0f);
  EXPECT_EQ(s[5], 0.5f);
  EXPECT_EQ(p.front(), 0.0f);
  EXPECT_EQ(p.back(), inf);
  EXPECT_EQ(p[9], FLT_MAX);  // softplus(x) = x once exp(-x) is below half an ulp of x
  EXPECT_FLOAT_EQ(p[5], static_cast<float>(std::log(2.0)));
  EXPECT_EQ(sigmoid(-inf), 0.0f);
  EXPECT_EQ(softplus(1e30f), 1e30f);
}

TEST(Math, ArrayKernelsWorkInPlaceAndAgreeWithScalar) {
  std::vector<float> x = grid(-120.0f, 120.0f, 1001), y = x, z = x;
  sigmoid(y.data(), y.data(), y.size());
  softplus(z.data(), z.data(), z.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(y[i], sigmoid(x[i]), 1e-6f * sigmoid(x[i]) + std::numeric_limits<float>::denorm_min());
    EXPECT_NEAR(z[i], softplus(x[i]), 1e-6f * softplus(x[i]) + std::numeric_limits<float>::denorm_min());
  }
}

TEST(Math, LogSumExpIsStableForLargeAndSmallValues) {
  const double big[] = {1000.0, 1000.0};
  EXPECT_NEAR(log_sum_exp(big, 2), 1000.0 + std::log(2.0), 1e-12);
  const double small[] = {-1000.0, -1001.0, -1002.0};
  EXPECT_NEAR(log_sum_exp(small, 3), -1000.0 + std::log(1.0 + std::exp(-1.0) + std::exp(-2.0)), 1e-12);
  EXPECT_EQ(log_sum_exp(nullptr, 0), -std::numeric_limits<double>::infinity());
  const double with_inf[] = {1.0, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(log_sum_exp(with_inf, 2), std::numeric_limits<double>::infinity());
}

TEST(Math, LogSumExpAccumulatorsMergeLikeOneSum) {
  LogSumExp a, b, all;
  for (int i = 0; i < 50; ++i) {
    const double x = std::sin(i) * 300.0;
    (i % 3 ? a : b).add(x);
    all.add(x);
  }
  a.add(b);
  EXPECT_NEAR(a.value(), all.value(), 1e-12 * std::fabs(all.value()));
  LogSumExp empty;
  all.add(empty);
  EXPECT_NEAR(a.value(), all.value(), 1e-12 * std::fabs(all.value()));
}

}  // namespace
}  // namespace rbmkit
