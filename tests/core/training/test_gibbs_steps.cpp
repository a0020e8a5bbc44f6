#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/training/contrastive_divergence.hpp"
#include "rbmkit/training/gibbs_steps.hpp"
#include "rbmkit/training/parallel_tempering.hpp"
#include "rbmkit/training/persistent_cd.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

TEST(GibbsSteps, ConstantWithoutARamp) {
  const GibbsSteps k(7);
  for (std::uint64_t u : {0ull, 1ull, 1000ull, ~0ull}) EXPECT_EQ(k.at(u), 7);
  EXPECT_THROW(GibbsSteps(0), InvalidArgument);
}

// k(u) = 1 + floor((k - 1) u / ramp): 1 at the start, each value 1..k-1 held for ramp / (k - 1)
// updates, k from u = ramp on.
TEST(GibbsSteps, RisesLinearlyFromOneToK) {
  const GibbsSteps k(25, 96);
  EXPECT_EQ(k.at(0), 1);
  EXPECT_EQ(k.at(3), 1);   // 24 * 3 / 96 = 0.75
  EXPECT_EQ(k.at(4), 2);   // 24 * 4 / 96 = 1
  EXPECT_EQ(k.at(95), 24);
  EXPECT_EQ(k.at(96), 25);
  EXPECT_EQ(k.at(1000), 25);
  std::vector<int> held(26, 0);
  for (std::uint64_t u = 0; u < 96; ++u) ++held[k.at(u)];
  for (int v = 1; v < 25; ++v) EXPECT_EQ(held[v], 4) << v;
}

// (k - 1) u passes 2^64 near the end of a long ramp; the floor stays exact.
TEST(GibbsSteps, NoOverflowOnLongRamps) {
  const std::uint64_t ramp = std::uint64_t{1} << 63;
  const GibbsSteps k(100000, ramp);
  EXPECT_EQ(k.at(ramp - 1), 99999);
  EXPECT_EQ(k.at(ramp / 2), 50000);  // 1 + floor(99999 / 2)
  EXPECT_EQ(k.at(ramp), 100000);
}

// Each estimator with a ramp gives, at update u, the bits of the same estimator with k = k(u):
// the schedule changes only the number of steps, not the draws' streams.
TEST(GibbsSteps, EstimatorsUseKOfTheUpdate) {
  const Model m = test::random_model(6, 4, 0.8, 0.4, 3);
  const Matrix X = test::to_matrix({0b000111, 0b111000, 0b101010, 0b010101}, 6);
  const GibbsSteps ramp(5, 8);
  using Make = std::unique_ptr<GradientEstimator> (*)(GibbsSteps);
  const std::vector<Make> makers = {
      [](GibbsSteps k) -> std::unique_ptr<GradientEstimator> { return std::make_unique<ContrastiveDivergence>(k, 11); },
      [](GibbsSteps k) -> std::unique_ptr<GradientEstimator> {
        return std::make_unique<PersistentContrastiveDivergence>(k, 3, 11);
      },
      [](GibbsSteps k) -> std::unique_ptr<GradientEstimator> {
        return std::make_unique<ParallelTempering>(k, 3, std::vector<float>{0.5f, 0.75f, 1.0f}, 11);
      }};
  for (std::size_t e = 0; e < makers.size(); ++e)
    for (std::uint64_t u : {0ull, 3ull, 5ull, 8ull, 20ull}) {
      // Persistent estimators start their chains at the first batch in both runs.
      Gradient ramped, fixed;
      makers[e](ramp)->estimate(m, X, u, ramped);
      makers[e](GibbsSteps(ramp.at(u)))->estimate(m, X, u, fixed);
      EXPECT_EQ(ramped.v_neg, fixed.v_neg) << "estimator " << e << " update " << u;
      EXPECT_EQ(ramped.h_neg, fixed.h_neg) << "estimator " << e << " update " << u;
    }
  // A different k gives different chains (the comparison above can fail).
  Gradient one, five;
  ContrastiveDivergence(1, 11).estimate(m, X, 20, one);
  ContrastiveDivergence(5, 11).estimate(m, X, 20, five);
  EXPECT_NE(one.v_neg, five.v_neg);
}

}  // namespace
}  // namespace rbmkit
