#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <map>

#include "rbmkit/sampling/gibbs.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/training/trainer.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using test::dataset_from;

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
    TrainConfig config = test::exercise_config();
    config.hidden = 12;
    config.cd_k = c.k;
    config.sgd.learning_rate = c.lr;
    config.sgd.momentum = c.momentum;
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
  TrainConfig config = test::exercise_config();
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

// A run paused at `until` (TrainControl::until) and resumed from its final state, one piece at a
// time, ends bit-identical to the run in one go: PCD (chains in the state), PT (ladders),
// momentum (velocities) and the fused per-example path.
TEST(Train, PausedRunsResumeBitIdentically) {
  const auto bas = test::bars_and_stripes(3);
  const Dataset data = dataset_from(bas, 9);
  struct Case { Method method; std::size_t batch; float momentum; };
  for (const Case& c : {Case{Method::PCD, 4, 0.5f}, Case{Method::PT, 5, 0.0f}, Case{Method::CD, 1, 0.0f}}) {
    TrainConfig config = test::exercise_config();
    config.hidden = 5;
    config.method = c.method;
    config.batch = c.batch;
    config.chains = 6;
    config.temperatures = 3;
    config.sgd.momentum = c.momentum;
    config.updates = 90;
    config.seed = 8;
    config.threads = 2;
    TrainState whole_state;
    TrainControl whole;
    whole.final_state = &whole_state;
    const Model expected = train(config, data, nullptr, {}, whole);
    EXPECT_EQ(whole_state.update, 90u);
    TrainState state;
    Model m;
    for (const std::uint64_t until : {25u, 60u, 90u}) {
      TrainState next;
      TrainControl piece;
      piece.resume = until == 25u ? nullptr : &state;
      piece.until = until;
      piece.final_state = &next;
      m = train(config, data, nullptr, {}, piece);
      EXPECT_EQ(next.update, until);
      state = next;
    }
    EXPECT_EQ(m.W, expected.W) << enum_name(c.method);
    EXPECT_EQ(m.a, expected.a);
    EXPECT_EQ(m.b, expected.b);
    TrainControl late;
    late.resume = &state;
    late.until = 50;
    EXPECT_THROW(train(config, data, nullptr, {}, late), InvalidArgument);
  }
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
  TrainConfig config = test::exercise_config();
  config.hidden = 4;
  config.updates = 250;
  config.report_every = 100;
  train(config, data, &data, {&rec});
  EXPECT_EQ(rec.begins, 1);
  EXPECT_EQ(rec.reports, 3);  // 100, 200 and the last update
  EXPECT_EQ(rec.ends, 1);
}

// Default reports lie on the grid of total / 100 updates, at most 100 of them plus the last; the
// first grid point and the last update always report. The monitor measures equal the separate
// reconstruction error and mean free energy.
TEST(Train, DefaultReportsLieOnTheGridAndEndAtTheLastUpdate) {
  struct Recorder : TrainObserver {
    std::vector<TrainReport> reports;
    void on_report(const TrainReport& r) override { reports.push_back(r); }
  } rec;
  const Dataset data = dataset_from(test::bars_and_stripes(3), 9);
  TrainConfig config = test::exercise_config();
  config.hidden = 4;
  config.updates = 3000;
  train(config, data, nullptr, {&rec});
  ASSERT_GE(rec.reports.size(), 2u);
  EXPECT_LE(rec.reports.size(), 100u);
  EXPECT_EQ(rec.reports.front().update, 30u);
  EXPECT_EQ(rec.reports.back().update, 3000u);
  for (const TrainReport& r : rec.reports) EXPECT_EQ(r.update % 30, 0u);
  const Model m = make_model(9, 4, 0.1f, 3, true);
  const Matrix X = test::to_matrix(test::bars_and_stripes(3), 9);
  const MonitorMeasures measures = monitor_measures(Products(m, Precision::Fp32), X);
  Matrix P_h, P_v;
  hidden_probs(m, X, P_h);
  visible_probs(m, P_h, P_v);
  EXPECT_NEAR(measures.reconstruction_error, (X - P_v).cast<double>().squaredNorm() / 14.0, 1e-5);
  EXPECT_NEAR(measures.free_energy, free_energies(m, X).mean(), 1e-5);
}

TEST(Train, EpochsGiveCeilOfExamplesOverBatch) {
  TrainConfig config = test::exercise_config();
  config.updates = 0;
  config.epochs = 2;
  config.batch = 100;
  EXPECT_EQ(total_updates(config, 1050), 22u);
}

// The thread count follows the product threshold of the run's precision: a batch of 10 at
// H = 2000 on 784 pixels, 2 * 10 * 784 * 2000 = 31.4 Mflop per product, is above the fp32
// threshold (16.8 Mflop) and below the bf16 one (67.1 Mflop); a batch of 100 at H = 500
// (78.4 Mflop) is above both. A given count is the most used; the per-example path (batch 1)
// takes it as given.
TEST(Train, ThreadCountFollowsTheProductThresholdOfThePrecision) {
  const int cores = omp_get_num_procs();
  TrainConfig c;
  c.hidden = 2000;
  c.batch = 10;
  c.precision = Precision::Fp32;
  EXPECT_EQ(thread_count(c, 784), cores);
  c.threads = 3;
  EXPECT_EQ(thread_count(c, 784), 3);
  c.precision = Precision::Bf16;
  EXPECT_EQ(thread_count(c, 784), 1);
  c.threads = 0;
  EXPECT_EQ(thread_count(c, 784), 1);
  c.hidden = 500;
  c.batch = 100;
  EXPECT_EQ(thread_count(c, 784), cores);
  c.batch = 20;  // 15.7 Mflop: below both
  c.precision = Precision::Fp32;
  EXPECT_EQ(thread_count(c, 784), 1);
  c.batch = 1;
  c.threads = 2;
  EXPECT_EQ(thread_count(c, 784), 2);
  EXPECT_LT(2.0 * 10 * 784 * 2000, kBf16ParallelFlops);
  EXPECT_GT(2.0 * 10 * 784 * 2000, kParallelProductFlops);
  EXPECT_GT(2.0 * 100 * 784 * 500, kBf16ParallelFlops);
}

TEST(Train, BadInputIsRefusedWithAClearError) {
  const Dataset data = dataset_from(test::bars_and_stripes(3), 9);
  TrainConfig config = test::exercise_config();
  config.hidden = 0;
  EXPECT_THROW(train(config, data, nullptr, {}), InvalidArgument);
  config.hidden = 4;
  config.sgd.learning_rate = -1;
  EXPECT_THROW(train(config, data, nullptr, {}), InvalidArgument);
  config.sgd.learning_rate = 0.1f;
  EXPECT_THROW(train(config, Dataset(), nullptr, {}), DataError);
  const Dataset out_of_range = Dataset::from_floats(1, 2, {0.5f, 2.0f});
  EXPECT_THROW(train(config, out_of_range, nullptr, {}), DataError);
  const Dataset narrow = dataset_from({1, 2}, 4);
  EXPECT_THROW(train(config, data, &narrow, {}), DataError);
}

}  // namespace
}  // namespace rbmkit

namespace rbmkit {
namespace {

TrainConfig bas_config(Method method, std::uint64_t seed) {
  TrainConfig c = test::exercise_config();
  c.hidden = 8;
  c.method = method;
  c.cd_k = 1;
  c.chains = 20;
  c.temperatures = 5;
  c.beta_min = 0.2f;
  c.sgd.learning_rate = 0.05f;
  c.batch = 14;
  c.updates = 4000;
  c.init_std = 0.1f;
  c.seed = seed;
  c.threads = 1;
  return c;
}

// Every method raises the exact log-likelihood of bars and stripes above the independent-pixel
// optimum; and CD-1's bias costs likelihood: parallel tempering's chains mix between the modes
// (bars, stripes) that CD-1's one step from the data never leaves, and it reaches a higher exact
// log-likelihood than CD-1 with the same model size, learning rate and updates, for each of
// three seeds.
TEST(Train, EveryMethodLearnsBarsAndStripesAndPtBeatsCd1) {
  const auto bas = test::bars_and_stripes(3);
  const Dataset data = dataset_from(bas, 9);
  const double independent = -9 * std::log(2.0);
  for (std::uint64_t seed : {1, 2, 3}) {
    std::map<Method, double> ll;
    for (Method method : {Method::CD, Method::PCD, Method::PT}) {
      ll[method] = exact_ll(train(bas_config(method, seed), data, nullptr, {}), bas, 9);
      EXPECT_GT(ll[method], independent + 1.0) << to_string(method) << " seed " << seed;
    }
    EXPECT_GT(ll[Method::PT], ll[Method::CD]) << "seed " << seed;
  }
}

// Optimiser options change the result and keep it finite: centring, sparsity, L1, schedules.
TEST(Train, OptimiserOptionsTrainToo) {
  const auto bas = test::bars_and_stripes(3);
  const Dataset data = dataset_from(bas, 9);
  const double independent = -9 * std::log(2.0);
  TrainConfig base = bas_config(Method::CD, 4);
  const Model plain = train(base, data, nullptr, {});
  std::vector<TrainConfig> variants(5, base);
  variants[0].sgd.centring = true;
  variants[1].sgd.sparsity_target = 0.1f, variants[1].sgd.sparsity_cost = 0.5f;
  variants[2].sgd.l1 = 1e-3f;
  variants[3].sgd.schedule = Schedule::Linear;
  variants[4].sgd.momentum = 0.5f, variants[4].sgd.weight_decay = 1e-4f, variants[4].sgd.schedule = Schedule::Exponential;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const Model m = train(variants[i], data, nullptr, {});
    EXPECT_TRUE(m.W.allFinite()) << i;
    EXPECT_GT((m.W - plain.W).cwiseAbs().maxCoeff(), 1e-4f) << i;
    EXPECT_GT(exact_ll(m, bas, 9), independent + 0.5) << i;
  }
  // The sparsity target pulls the mean hidden activation on the data towards 0.1.
  const Model sparse = train(variants[1], data, nullptr, {});
  Matrix P_plain, P_sparse;
  hidden_probs(plain, test::to_matrix(bas, 9), P_plain);
  hidden_probs(sparse, test::to_matrix(bas, 9), P_sparse);
  EXPECT_LT(std::fabs(P_sparse.mean() - 0.1f), std::fabs(P_plain.mean() - 0.1f));
}

}  // namespace
}  // namespace rbmkit
