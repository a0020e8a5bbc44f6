#include <gtest/gtest.h>

#include <functional>
#include <string>

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

// The reference composition ContrastiveDivergence + Sgd with batch 1 on `m`, its products in
// `precision`.
Model cd_sgd_reference(Model m, const Dataset& data, const std::function<std::size_t(std::uint64_t)>& pick, int k,
                       float lr, std::uint64_t seed, std::uint64_t updates, Precision precision) {
  ContrastiveDivergence cd(k, seed);
  Sgd sgd({lr, 0.0f, 0.0f});
  Gradient g;
  Matrix X(1, static_cast<Eigen::Index>(data.cols()));
  Products products(m, precision);
  for (std::uint64_t u = 0; u < updates; ++u) {
    data.copy_row(pick(u), X.data());
    cd.estimate(products, X, u, g);
    sgd.apply(m, g);
    products.refresh();
  }
  return m;
}

// The fused per-example path (one or two threads, rows split at multiples of 16) equals the
// reference composition with the same precision: both use the same random streams, so the
// chains take the same states and the parameters agree to float rounding. In bf16 both passes
// read W's rows in bf16 and the fp32 master is updated, each changed row converted again, as
// bf16 Products do with W converted after every update.
TEST(PerExample, EqualsCdPlusSgdReference) {
  for (const Precision precision : {Precision::Fp32, Precision::Bf16}) {
    for (const std::size_t d : {50, 17, 784}) {
      for (const bool visible_bias : {false, true}) {
        // H = 150: more than the 8 chunks of 16 sums the upward pass holds in registers at once.
        const std::size_t H = d == 784 ? 100 : d == 50 ? 150 : 13;
        const Dataset data = random_binary(40, d, 0.2, d);
        Model start = test::random_model(d, H, 0.3, 0.3, d + 1);
        start.visible_bias = visible_bias;
        if (!visible_bias) start.a.setZero();
        const auto pick = [](std::uint64_t u) { return static_cast<std::size_t>((u * 7919) % 40); };
        const int k = 3;
        const float lr = 0.05f;
        const std::uint64_t seed = 11, updates = 60;
        const Model reference = cd_sgd_reference(start, data, pick, k, lr, seed, updates, precision);
        Model fast1 = start, fast2 = start;
        train_per_example(fast1, data, {k, lr, seed, 1, precision}, 0, 25, pick, 1);
        train_per_example(fast1, data, {k, lr, seed, 1, precision}, 25, updates, pick, 1);
        train_per_example(fast2, data, {k, lr, seed, 2, precision}, 0, updates, pick, 2);
        const std::string what = std::string(enum_name(precision)) + " d " + std::to_string(d);
        for (const Model* m : {&fast1, &fast2}) {
          EXPECT_LT((m->W - reference.W).cwiseAbs().maxCoeff(), 1e-4f) << what;
          EXPECT_LT((m->b - reference.b).cwiseAbs().maxCoeff(), 1e-4f) << what;
          EXPECT_LT((m->a - reference.a).cwiseAbs().maxCoeff(), 1e-4f) << what;
        }
        EXPECT_GT((fast1.W - start.W).cwiseAbs().maxCoeff(), 1e-3f) << what;
        if (precision == Precision::Bf16 && d == 784) {
          const Model fp32 = cd_sgd_reference(start, data, pick, k, lr, seed, updates, Precision::Fp32);
          EXPECT_GT((fast1.W - fp32.W).cwiseAbs().maxCoeff(), 1e-3f) << "the bf16 path was taken";
        }
      }
    }
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
