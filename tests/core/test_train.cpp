#include <gtest/gtest.h>

#include <cmath>

#include "rbmkit/error.hpp"
#include "rbmkit/likelihood.hpp"
#include "rbmkit/trainer.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

Dataset dataset_from(const std::vector<std::uint64_t>& states, std::size_t d) {
  std::vector<std::uint8_t> bytes;
  for (auto s : states)
    for (std::size_t i = 0; i < d; ++i) bytes.push_back(static_cast<std::uint8_t>((s >> i) & 1u));
  return Dataset::from_bytes(states.size(), d, std::move(bytes));
}

double exact_ll(const Model& m, const std::vector<std::uint64_t>& states, std::size_t d) {
  return mean_log_likelihood(m, test::to_matrix(states, d), log_partition_exact(m));
}

// Bars and stripes 3x3 (14 patterns, all pixel means 1/2). The best model of independent
// pixels scores -9 log 2 = -6.24 nats; the ideal model -log 14 = -2.64. Training must beat the
// independent-pixel optimum by a clear margin, from both the exercise's per-example CD-3 and
// minibatch CD-1 with momentum.
TEST(Train, BarsAndStripesRaisesExactLogLikelihood) {
  const auto bas = test::bars_and_stripes(3);
  ASSERT_EQ(bas.size(), 14u);
  const Dataset data = dataset_from(bas, 9);
  const double independent = -9 * std::log(2.0);
  struct Case { std::size_t batch; int k; float lr, momentum; std::uint64_t updates; };
  for (const Case& c : {Case{1, 3, 0.05f, 0.0f, 30000}, Case{14, 1, 0.1f, 0.5f, 4000}}) {
    TrainConfig config;
    config.hidden = 12;
    config.cd_k = c.k;
    config.learning_rate = c.lr;
    config.momentum = c.momentum;
    config.batch = c.batch;
    config.updates = c.updates;
    config.init_std = 0.1f;
    config.seed = 3;
    config.threads = 1;
    Model m0 = make_model(9, 12, 0.1f, 3, true);
    m0.a = logit_means(data);
    const double before = exact_ll(m0, bas, 9);
    const Model m = train(config, data, nullptr, {});
    const double after = exact_ll(m, bas, 9);
    EXPECT_NEAR(before, independent, 0.1);
    EXPECT_GT(after, independent + 1.0) << "batch " << c.batch;
  }
}

TEST(Train, SameSeedGivesBitIdenticalModel) {
  const auto bas = test::bars_and_stripes(3);
  const Dataset data = dataset_from(bas, 9);
  TrainConfig config;
  config.hidden = 6;
  config.batch = 5;
  config.updates = 300;
  config.seed = 17;
  config.threads = 2;
  const Model a = train(config, data, nullptr, {});
  const Model b = train(config, data, nullptr, {});
  EXPECT_EQ(a.W, b.W);
  EXPECT_EQ(a.a, b.a);
  EXPECT_EQ(a.b, b.b);
  config.seed = 18;
  EXPECT_NE(train(config, data, nullptr, {}).W, a.W);
}

TEST(Train, ObserversSeeReportsAndTheFinalState) {
  struct Recorder : TrainObserver {
    int begins = 0, reports = 0, ends = 0;
    std::uint64_t last = 0;
    void on_begin(const TrainConfig&, std::size_t, std::uint64_t) override { ++begins; }
    void on_report(const TrainReport& r) override {
      ++reports;
      EXPECT_GT(r.update, last);
      last = r.update;
      EXPECT_TRUE(std::isfinite(r.reconstruction_error));
      EXPECT_TRUE(r.free_energy_heldout.has_value());
    }
    void on_end(const TrainReport& r) override { ++ends; EXPECT_EQ(r.update, 250u); }
  } rec;
  const Dataset data = dataset_from(test::bars_and_stripes(3), 9);
  TrainConfig config;
  config.hidden = 4;
  config.updates = 250;
  config.report_every = 100;
  train(config, data, &data, {&rec});
  EXPECT_EQ(rec.begins, 1);
  EXPECT_EQ(rec.reports, 3);  // 100, 200 and the last update
  EXPECT_EQ(rec.ends, 1);
}

TEST(Train, EpochsGiveCeilOfExamplesOverBatch) {
  TrainConfig config;
  config.updates = 0;
  config.epochs = 2;
  config.batch = 100;
  EXPECT_EQ(total_updates(config, 1050), 22u);
}

TEST(Train, BadInputIsRefusedWithAClearError) {
  const Dataset data = dataset_from(test::bars_and_stripes(3), 9);
  TrainConfig config;
  config.hidden = 0;
  EXPECT_THROW(train(config, data, nullptr, {}), InvalidArgument);
  config.hidden = 4;
  config.learning_rate = -1;
  EXPECT_THROW(train(config, data, nullptr, {}), InvalidArgument);
  config.learning_rate = 0.1f;
  EXPECT_THROW(train(config, Dataset(), nullptr, {}), DataError);
  const Dataset out_of_range = Dataset::from_floats(1, 2, {0.5f, 2.0f});
  EXPECT_THROW(train(config, out_of_range, nullptr, {}), DataError);
  const Dataset narrow = dataset_from({1, 2}, 4);
  EXPECT_THROW(train(config, data, &narrow, {}), DataError);
}

}  // namespace
}  // namespace rbmkit
