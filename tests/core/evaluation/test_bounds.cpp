// Certified bounds on log Z against exact enumeration, AIS weight diagnostics on hand-made
// weights, and the default evaluation on a model whose mass lies where chains from the data's
// base rate do not go.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/bounds.hpp"
#include "rbmkit/evaluation/evaluate.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

// A random model of the given unit types, weights of standard deviation w_std (up to ~60).
Model random_model(UnitType visible, UnitType hidden, std::size_t d, std::size_t H, double w_std, std::uint64_t seed) {
  Model m = test::random_model(d, H, w_std, 0.5 * w_std, seed);
  m.visible_units = visible;
  m.hidden_units = hidden;
  if (visible == UnitType::Gaussian) m.W *= 0.1f;  // keep the Gaussian integrals finite and moderate
  return m;
}

Matrix random_rows(std::size_t n, std::size_t d, std::uint64_t seed, bool binary) {
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  RandomStream rng(seed, 77);
  for (Eigen::Index k = 0; k < X.size(); ++k)
    X.data()[k] = binary ? (rng.uniform_double() < 0.4 ? 1.0f : 0.0f) : static_cast<float>(rng.normal());
  return X;
}

// log T(h) is log sum_v exp(-E(v, h)): against the brute-force sum over every visible state.
TEST(Bounds, HiddenStateTermIsTheVisibleLayerSummedOut) {
  for (const UnitType hidden : {UnitType::Bernoulli, UnitType::Ternary}) {
    Model m = random_model(UnitType::Bernoulli, hidden, 7, 3, 2.0, 5);
    const float h[3] = {1, 0, hidden == UnitType::Ternary ? -1.0f : 1.0f};
    double brute = -HUGE_VAL;
    for (std::uint64_t v = 0; v < 128; ++v) {
      double e = 0;
      for (int i = 0; i < 7; ++i) {
        const double x = static_cast<double>((v >> i) & 1u);
        e += x * m.a[i];
        for (int j = 0; j < 3; ++j) e += x * m.W(i, j) * h[j];
      }
      for (int j = 0; j < 3; ++j) e += m.b[j] * h[j];
      brute = test::log_add(brute, e);
    }
    EXPECT_NEAR(hidden_state_log_term(m, h), brute, 1e-10 * std::fabs(brute));
  }
}

// Over every hidden state the bound's sum is log Z itself; from any subset it is never above it,
// for every combination of unit types and weights up to 60 in magnitude.
TEST(Bounds, NeverAboveExactAndExactOverTheWholeLayer) {
  int cases = 0;
  for (const UnitType visible : {UnitType::Bernoulli, UnitType::Gaussian})
    for (const UnitType hidden : {UnitType::Bernoulli, UnitType::Ternary})
      for (const double w_std : {0.5, 5.0, 30.0, 60.0})
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
          const std::size_t d = 10, H = hidden == UnitType::Ternary ? 5 : 7;
          const Model m = random_model(visible, hidden, d, H, w_std, seed * 31 + static_cast<std::uint64_t>(w_std));
          const double exact = log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Double);
          const double tolerance = 1e-9 * std::max(1.0, std::fabs(exact));
          EXPECT_NEAR(log_z_by_hidden_terms(m), exact, tolerance);
          const Matrix X = random_rows(30, d, seed, visible == UnitType::Bernoulli);
          const Matrix states = random_rows(8, H, seed + 9, true);
          const LogZBound b = certified_log_z_bound(m, X, states);
          EXPECT_LE(b.log_z_lower, exact + tolerance) << to_string(visible) << "/" << to_string(hidden) << " w " << w_std;
          EXPECT_GT(b.states, 0u);
          EXPECT_FALSE(b.largest.empty());
          ++cases;
        }
  EXPECT_EQ(cases, 48);
}

// The greedy ascent finds a model's single dominant state wherever it starts.
TEST(Bounds, GreedyAscentReachesTheDominantState) {
  Model m = test::random_model(12, 6, 0.01, 0.0, 3);
  const float target[6] = {1, 0, 1, 1, 0, 1};
  for (int j = 0; j < 6; ++j) m.b[j] = target[j] ? 30.0f : -30.0f;
  const LogZBound b = certified_log_z_bound(m, Matrix::Zero(1, 12), Matrix());
  EXPECT_NEAR(b.largest_log_term, hidden_state_log_term(m, target), 1e-9);
  EXPECT_NEAR(b.log_z_lower, log_partition_exact(m), 1e-6);  // the other states are e^-30 smaller
}

TEST(WeightDiagnostics, EffectiveSampleSizeLargestShareAndReplicates) {
  const WeightDiagnostics equal = weight_diagnostics(std::vector<double>(100, -3.0));
  EXPECT_NEAR(equal.effective_sample_size, 100.0, 1e-9);
  EXPECT_NEAR(equal.largest_share, 0.01, 1e-12);
  ASSERT_EQ(equal.group_log_means.size(), 4u);
  for (double g : equal.group_log_means) EXPECT_NEAR(g, -3.0, 1e-12);
  EXPECT_NEAR(equal.group_spread, 0.0, 1e-12);
  EXPECT_FALSE(equal.unreliable);

  // One chain 1000 times heavier than the 99 others: ESS = (1000 + 99)^2 / (1000^2 + 99).
  std::vector<double> lw(100, 0.0);
  lw[7] = std::log(1000.0);
  const WeightDiagnostics one = weight_diagnostics(lw);
  EXPECT_NEAR(one.effective_sample_size, 1099.0 * 1099.0 / (1e6 + 99.0), 1e-9);
  EXPECT_NEAR(one.largest_share, 1000.0 / 1099.0, 1e-12);
  EXPECT_NEAR(one.group_log_means[0], std::log(1024.0 / 25.0), 1e-12);  // the group of chains 0-24
  EXPECT_NEAR(one.group_spread, std::log(1024.0 / 25.0), 1e-12);
  EXPECT_TRUE(one.unreliable);

  // Two heavy chains of equal weight in one group: ESS about 2.
  std::vector<double> two(40, -50.0);
  two[1] = two[2] = 0.0;
  const WeightDiagnostics d2 = weight_diagnostics(two, 4);
  EXPECT_NEAR(d2.effective_sample_size, 2.0, 1e-9);
  EXPECT_TRUE(d2.unreliable);
  EXPECT_THROW(weight_diagnostics({}), InvalidArgument);
  EXPECT_EQ(weight_diagnostics({1.0, 2.0}, 4).group_log_means.size(), 2u);  // at most one group a weight
}

// No visible bias, hidden units that need a stroke to turn on: most of Z is h = 0 (2^64 images
// of noise), the data are one stroke. AIS from the data's base rate stays in the strokes' mode;
// the default evaluation still lands on the exact value, and says why.
TEST(Bounds, DefaultEvaluationFindsTheMassTheDataStartMisses) {
  const std::size_t d = 64, H = 3;
  Model m;
  m.W = Matrix::Constant(d, H, -10.0f);
  for (std::size_t j = 0; j < H; ++j)
    for (std::size_t i = 16 * j; i < 16 * j + 16; ++i) m.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = 10.0f;
  m.b = Vector::Constant(H, -130.0f);
  m.a = Vector::Zero(d);
  m.visible_bias = false;
  Matrix X = Matrix::Zero(30, d);
  X.leftCols(16).setOnes();  // every example the first stroke
  const double exact = log_partition_exact(m);
  EXPECT_NEAR(exact, 64 * std::log(2.0), 1e-5);  // the strokes' terms are e^-14 of it
  EvalOptions o;
  o.method = EvalMethod::Both;
  o.betas = 2000;
  const LikelihoodReport r = evaluate(m, X, o);
  ASSERT_TRUE(r.ais && r.ais_model);
  EXPECT_LE(r.bound.log_z_lower, exact + 1e-9);
  EXPECT_NEAR(r.bound.log_z_lower, exact, 1e-5);
  EXPECT_EQ(r.bound.largest, "h = 0 (every hidden unit off)");
  // The plain base-rate start misses it, or rests on the few chains that found it, and the report
  // says so.
  EXPECT_TRUE(r.ais->log_z < r.bound.log_z_lower || r.ais->diagnostics.unreliable) << r.ais->log_z;
  bool flagged = false;
  for (const auto& w : r.warnings) flagged |= w.text.starts_with("AIS from the data's base rate");
  EXPECT_TRUE(flagged);
  EXPECT_NEAR(r.log_z, exact, 0.05);
  EXPECT_NE(r.headline, "ais");
  EXPECT_NEAR(r.log_likelihood_upper, -r.mean_free_energy - r.bound.log_z_lower, 1e-12);
  EXPECT_GE(r.log_likelihood_upper, r.log_likelihood - 1e-9);
}

}  // namespace
}  // namespace rbmkit
