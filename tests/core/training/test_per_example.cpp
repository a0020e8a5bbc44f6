#include <gtest/gtest.h>

#include "rbmkit/kernels/random.hpp"
#include "rbmkit/training/contrastive_divergence.hpp"
#include "rbmkit/training/gradient.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "rbmkit/training/per_example.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

Dataset random_binary(std::size_t n, std::size_t d, double p, std::uint64_t seed) {
  std::vector<std::uint8_t> bytes(n * d);
  RandomStream rng(seed, 0);
  for (auto& b : bytes) b = rng.uniform_double() < p ? 1 : 0;
  return Dataset::from_bytes(n, d, std::move(bytes));
}

// The fused per-example path (one or two threads, rows split at multiples of 16) equals the
// reference composition ContrastiveDivergence + Sgd with batch 1: both use the same random
// streams, so the chains take the same states and the parameters agree to float rounding.
TEST(PerExample, EqualsCdPlusSgdReference) {
  for (const std::size_t d : {50, 17, 784}) {
    for (const bool visible_bias : {false, true}) {
      const std::size_t H = d == 784 ? 100 : 13;
      const Dataset data = random_binary(40, d, 0.2, d);
      Model reference = test::random_model(d, H, 0.3, 0.3, d + 1);
      reference.visible_bias = visible_bias;
      if (!visible_bias) reference.a.setZero();
      const auto pick = [](std::uint64_t u) { return static_cast<std::size_t>((u * 7919) % 40); };
      const int k = 3;
      const float lr = 0.05f;
      const std::uint64_t seed = 11, updates = 60;
      Model fast1 = reference, fast2 = reference;
      ContrastiveDivergence cd(k, seed);
      Sgd sgd({lr, 0.0f, 0.0f});
      Gradient g;
      Matrix X(1, static_cast<Eigen::Index>(d));
      for (std::uint64_t u = 0; u < updates; ++u) {
        data.copy_row(pick(u), X.data());
        cd.estimate(reference, X, u, g);
        sgd.apply(reference, g);
      }
      train_per_example(fast1, data, {k, lr, seed, 1}, 0, 25, pick);
      train_per_example(fast1, data, {k, lr, seed, 1}, 25, updates, pick);
      train_per_example(fast2, data, {k, lr, seed, 2}, 0, updates, pick);
      for (const Model* m : {&fast1, &fast2}) {
        EXPECT_LT((m->W - reference.W).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
        EXPECT_LT((m->b - reference.b).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
        EXPECT_LT((m->a - reference.a).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
      }
      EXPECT_GT((fast1.W - test::random_model(d, H, 0.3, 0.3, d + 1).W).cwiseAbs().maxCoeff(), 1e-3f);
    }
  }
}

}  // namespace
}  // namespace rbmkit
