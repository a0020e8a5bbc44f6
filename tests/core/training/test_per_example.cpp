#include <gtest/gtest.h>

#include "rbmkit/kernels/random.hpp"
#include "rbmkit/model/products.hpp"
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
      train_per_example(fast1, data, {k, lr, seed, 1}, 0, 25, pick, 1);
      train_per_example(fast1, data, {k, lr, seed, 1}, 25, updates, pick, 1);
      train_per_example(fast2, data, {k, lr, seed, 2}, 0, updates, pick, 2);
      for (const Model* m : {&fast1, &fast2}) {
        EXPECT_LT((m->W - reference.W).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
        EXPECT_LT((m->b - reference.b).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
        EXPECT_LT((m->a - reference.a).cwiseAbs().maxCoeff(), 1e-4f) << "d " << d;
      }
      EXPECT_GT((fast1.W - test::random_model(d, H, 0.3, 0.3, d + 1).W).cwiseAbs().maxCoeff(), 1e-3f);
    }
  }
}

// The bf16 path (W's rows in bf16 for both passes, the fp32 master updated and each changed row
// converted again) equals the same composition with bf16 products: the chains take the same
// states, and the parameters agree to float rounding.
TEST(PerExample, Bf16EqualsCdPlusSgdWithBf16Products) {
  const std::size_t d = 784, H = 100;
  const Dataset data = random_binary(40, d, 0.2, 21);
  Model reference = test::random_model(d, H, 0.3, 0.3, 22);
  const auto pick = [](std::uint64_t u) { return static_cast<std::size_t>((u * 7919) % 40); };
  const int k = 3;
  const float lr = 0.05f;
  const std::uint64_t seed = 13, updates = 60;
  Model fast1 = reference, fast2 = reference;
  ContrastiveDivergence cd(k, seed);
  Sgd sgd({lr, 0.0f, 0.0f});
  Gradient g;
  Matrix X(1, static_cast<Eigen::Index>(d));
  Products products(reference, Precision::Bf16);
  for (std::uint64_t u = 0; u < updates; ++u) {
    data.copy_row(pick(u), X.data());
    cd.estimate(products, X, u, g);
    sgd.apply(reference, g);
    products.refresh();
  }
  train_per_example(fast1, data, {k, lr, seed, 1, Precision::Bf16}, 0, 25, pick, 1);
  train_per_example(fast1, data, {k, lr, seed, 1, Precision::Bf16}, 25, updates, pick, 1);
  train_per_example(fast2, data, {k, lr, seed, 2, Precision::Bf16}, 0, updates, pick, 2);
  Model fp32 = test::random_model(d, H, 0.3, 0.3, 22);
  train_per_example(fp32, data, {k, lr, seed, 1}, 0, updates, pick, 1);
  for (const Model* m : {&fast1, &fast2}) {
    EXPECT_LT((m->W - reference.W).cwiseAbs().maxCoeff(), 1e-4f);
    EXPECT_LT((m->b - reference.b).cwiseAbs().maxCoeff(), 1e-4f);
    EXPECT_LT((m->a - reference.a).cwiseAbs().maxCoeff(), 1e-4f);
    EXPECT_GT((m->W - fp32.W).cwiseAbs().maxCoeff(), 1e-3f);  // the bf16 path was taken
  }
}

// Two row blocks give the same bits on one thread as on two, segment by segment in any mix, so the
// schedule may follow the machine's load without changing the model.
TEST(PerExample, RowBlocksGiveTheSameBitsOnOneThreadAsOnTwo) {
  const std::size_t d = 784, H = 100;
  const Dataset data = random_binary(40, d, 0.15, 3);
  const Model start = test::random_model(d, H, 0.2, 0.2, 4);
  const auto pick = [](std::uint64_t u) { return static_cast<std::size_t>((u * 31) % 40); };
  for (const Precision precision : {Precision::Fp32, Precision::Bf16}) {
  Model two = start, one = start, mixed = start;
  const PerExampleConfig c{3, 0.02f, 9, 2, precision};
  ASSERT_EQ(row_blocks(c, d), 2);
  train_per_example(two, data, c, 0, 90, pick, 2);
  train_per_example(one, data, c, 0, 90, pick, 1);
  for (std::uint64_t u = 0; u < 90; u += 30) train_per_example(mixed, data, c, u, u + 30, pick, u == 30 ? 1 : 2);
  EXPECT_EQ(one.W, two.W);
  EXPECT_EQ(one.b, two.b);
  EXPECT_EQ(mixed.W, two.W);
  EXPECT_NE(two.W, start.W);
  }
}

// The schedule measures both choices, then keeps the faster and looks at the other again now and
// then.
TEST(PerExample, ScheduleFollowsTheFasterChoice) {
  PerExampleSchedule s(2);
  EXPECT_EQ(s.threads(), 2);
  s.record(2, 100, 1.0);  // 10 ms per update on two threads (a busy machine)
  EXPECT_EQ(s.threads(), 1);
  s.record(1, 100, 0.3);  // 3 ms on one
  int ones = 0;
  for (int i = 0; i < 64; ++i) ones += s.threads() == 1;
  EXPECT_GE(ones, 60);  // one thread, but for the probes of two
  EXPECT_LT(ones, 64);
  for (int i = 0; i < 8; ++i) s.record(2, 100, 0.1);  // the machine is free again: 1 ms on two
  EXPECT_EQ(s.threads(), 2);
  PerExampleSchedule single(1);
  EXPECT_EQ(single.threads(), 1);
}

}  // namespace
}  // namespace rbmkit
