// Conditional sampling (inpainting): clamped chains sample the free units from the exact
// conditional p(v_free | v_clamped), hold the clamped units, and with nothing clamped are the
// plain chains.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/sampling/chains.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

// Units 0, 2 and 5 of a 6-unit model held at (1, 0, 1): 40,000 chains of 60 steps from random
// free units; the free units' 8 patterns against p(v | v_0 = 1, v_2 = 0, v_5 = 1) by enumeration.
TEST(ClampedChains, FreeUnitsFollowTheExactConditional) {
  const Model m = test::random_model(6, 4, 1.0, 0.5, 12);
  const test::Exact exact = test::enumerate_joint(m);
  const std::vector<std::uint8_t> clamp = {1, 0, 1, 0, 0, 1};
  const float held[6] = {1, 0, 0, 0, 0, 1};
  const Eigen::Index chains = 40000;
  Matrix start(chains, 6), clamped(chains, 6);
  RandomStream init(4, 4);
  for (Eigen::Index r = 0; r < chains; ++r)
    for (Eigen::Index i = 0; i < 6; ++i) {
      start(r, i) = init.uniform_double() < 0.5 ? 1.0f : 0.0f;
      clamped(r, i) = held[i];
    }
  const Chains c = run_clamped_chains(m, start, clamped, clamp, 60, 23);
  const int free_units[3] = {1, 3, 4};
  std::vector<double> counts(8, 0.0), probs(8, 0.0);
  for (Eigen::Index r = 0; r < chains; ++r) {
    for (Eigen::Index i : {0, 2, 5}) ASSERT_EQ(c.states(r, i), held[i]);
    std::size_t pattern = 0;
    for (int k = 0; k < 3; ++k) pattern |= static_cast<std::size_t>(c.states(r, free_units[k]) != 0.0f) << k;
    counts[pattern] += 1;
  }
  double norm = 0;
  for (std::size_t pattern = 0; pattern < 8; ++pattern) {
    std::uint64_t v = (1u << 0) | (1u << 5);
    for (int k = 0; k < 3; ++k) v |= static_cast<std::uint64_t>((pattern >> k) & 1u) << free_units[k];
    probs[pattern] = std::exp(exact.log_pv[v]);
    norm += probs[pattern];
  }
  for (auto& p : probs) p /= norm;
  const test::ChiSquare chi = test::chi_square(counts, probs, chains);
  ASSERT_GE(chi.bins, 6);
  EXPECT_LT(chi.statistic, chi.critical) << "bins " << chi.bins;
  // The completions' means show the clamped values where they are held.
  for (Eigen::Index i : {0, 2, 5}) EXPECT_EQ(c.means(0, i), held[i]);
}

TEST(ClampedChains, NothingClampedIsThePlainChain) {
  const Model m = test::random_model(9, 5, 1.0, 0.5, 3);
  Matrix start(20, 9);
  RandomStream init(5, 5);
  for (Eigen::Index k = 0; k < start.size(); ++k) start.data()[k] = init.uniform_double() < 0.3 ? 1.0f : 0.0f;
  const Chains plain = run_chains(m, start, 17, 8);
  const Chains free = run_clamped_chains(m, start, start, std::vector<std::uint8_t>(9, 0), 17, 8);
  EXPECT_EQ(plain.states, free.states);
  EXPECT_EQ(plain.means, free.means);
  EXPECT_THROW(run_clamped_chains(m, start, start, std::vector<std::uint8_t>(8, 0), 17, 8), DataError);
}

}  // namespace
}  // namespace rbmkit
