// Held-out evaluations during training (TrainConfig::eval_every, TrainControl::evaluate): when
// they happen, that their time is not training time, that the learning curve survives a
// resume, and the chart they are drawn with.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/pictures/line_chart.hpp"
#include "rbmkit/training/trainer.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

Dataset bars_and_stripes_data() { return test::dataset_from(test::bars_and_stripes(3), 9); }

TrainConfig small_config() {
  TrainConfig c = test::exercise_config();
  c.hidden = 12;
  c.batch = 14;
  c.cd_k = 1;
  c.sgd.learning_rate = 0.1f;
  c.sgd.momentum = 0.5f;
  c.updates = 2000;
  c.eval_every = 800;
  c.threads = 1;
  c.seed = 4;
  return c;
}

// The exact mean log-likelihood of the training data, as an evaluator would report it.
std::function<EvalPoint(const Model&)> exact_evaluator(const Dataset& data) {
  Matrix X(static_cast<Eigen::Index>(data.rows()), 9);
  for (std::size_t r = 0; r < data.rows(); ++r) data.copy_row(r, X.row(static_cast<Eigen::Index>(r)).data());
  return [X](const Model& m) {
    EvalPoint p;
    p.log_likelihood = p.lower = p.upper = mean_log_likelihood(m, X, log_partition_exact(m));
    p.method = "exact";
    return p;
  };
}

struct Recorder : TrainObserver {
  std::vector<EvalPoint> points;
  double final_seconds = 0;
  std::atomic<bool>* stop_at_flag = nullptr;
  std::uint64_t stop_at = 0;
  std::optional<TrainState> last_state;
  void on_evaluation(const EvalPoint& p) override {
    points.push_back(p);
    if (stop_at_flag && p.update == stop_at) stop_at_flag->store(true);
  }
  void on_checkpoint(const TrainState& s) override { last_state = s; }
  void on_end(const TrainReport& r) override { final_seconds = r.seconds; }
};

TEST(EvalEvery, AtStartEveryNAndAtTheEndWithTheModelOfThatUpdate) {
  const Dataset data = bars_and_stripes_data();
  TrainConfig config = small_config();
  Recorder rec;
  TrainControl control;
  control.evaluate = exact_evaluator(data);
  const Model m = train(config, data, nullptr, {&rec}, control);
  ASSERT_EQ(rec.points.size(), 4u);
  const std::uint64_t expected[] = {0, 800, 1600, 2000};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(rec.points[i].update, expected[i]);
  // The last point is the final model's exact value; the first is the initial model's.
  EXPECT_EQ(rec.points.back().log_likelihood, exact_evaluator(data)(m).log_likelihood);
  Model m0 = make_model(9, 12, config.init_std, config.seed, true);
  m0.a = logit_means(data);
  EXPECT_NEAR(rec.points.front().log_likelihood, exact_evaluator(data)(m0).log_likelihood, 1e-9);
  EXPECT_GT(rec.points.back().log_likelihood, rec.points.front().log_likelihood + 1.0);
  // Without an evaluator nothing is estimated and the model is the same.
  Recorder none;
  const Model plain = train(config, data, nullptr, {&none});
  EXPECT_TRUE(none.points.empty());
  EXPECT_EQ(plain.W, m.W);
}

TEST(EvalEvery, EvaluationTimeIsNotTrainingTime) {
  const Dataset data = bars_and_stripes_data();
  TrainConfig config = small_config();
  config.updates = 200;
  config.eval_every = 80;
  // The same run without evaluations gives the training time t0. Each evaluation then sleeps
  // 0.5 s (four of them: 2 s); counted as training time they would push the reported seconds
  // past t0 + 2, while a run that leaves them out stays near t0 (allowed: 2 t0 + 0.5 s, for a
  // busy or sanitized machine).
  Recorder plain;
  train(config, data, nullptr, {&plain});
  const double t0 = plain.final_seconds;
  Recorder rec;
  TrainControl control;
  control.evaluate = [](const Model&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return EvalPoint{};
  };
  train(config, data, nullptr, {&rec}, control);
  ASSERT_EQ(rec.points.size(), 4u);
  EXPECT_LT(rec.final_seconds, 2 * t0 + 0.5);
  EXPECT_LT(rec.points.back().seconds, 2 * t0 + 0.5);
}

class EvalEveryFiles : public test::TempDirTest {};

TEST_F(EvalEveryFiles, ResumedRunWritesTheSameCurveAsAnUninterruptedOne) {
  const Dataset data = bars_and_stripes_data();
  TrainConfig config = small_config();
  config.checkpoint_every = 400;
  TrainControl control;
  control.evaluate = exact_evaluator(data);

  JsonLinesLog full_log(path("full.jsonl"));
  const Model full = train(config, data, nullptr, {&full_log}, control);

  // Stopped right after the evaluation at update 800 (a checkpoint follows), then resumed.
  std::atomic<bool> stop{false};
  bool stopped = false;
  Recorder rec;
  rec.stop_at_flag = &stop;
  rec.stop_at = 800;
  JsonLinesLog cut_log(path("cut.jsonl"));
  TrainControl first = control;
  first.stop = &stop;
  first.stopped = &stopped;
  train(config, data, nullptr, {&cut_log, &rec}, first);
  ASSERT_TRUE(stopped);
  ASSERT_TRUE(rec.last_state);
  ASSERT_EQ(rec.last_state->update, 800u);
  JsonLinesLog resumed_log(path("cut.jsonl"), 800);
  TrainControl second = control;
  second.resume = &*rec.last_state;
  const Model resumed = train(config, data, nullptr, {&resumed_log}, second);
  EXPECT_EQ(resumed.W, full.W);

  const auto a = read_eval_points(path("full.jsonl")), b = read_eval_points(path("cut.jsonl"));
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].update, b[i].update);
    EXPECT_EQ(a[i].log_likelihood, b[i].log_likelihood);
  }
}

TEST(LineChart, NiceTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(nice_ticks(0, 1000, 5), (std::vector<double>{0, 200, 400, 600, 800, 1000}));
  const auto t = nice_ticks(-181.3, -142.5, 6);
  ASSERT_GE(t.size(), 3u);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 10.0);
  EXPECT_GE(t.front(), -181.3);
  EXPECT_LE(t.back(), -142.5);
  EXPECT_GT(t.front() - 10.0, -181.3 - 10.0 - 1e-9);
}

TEST(LineChart, RendersAPngOfTheRequestedSizeAndRefusesBadSeries) {
  ChartSeries s{"ll", {0, 10, 20}, {-3, -2, -1.5}, {-3.5, -2.2, -1.6}, {-2.5, -1.8, HUGE_VAL}, "bars: a band"};
  const std::string png = render_line_chart_png({{"t", "x", "y", {s}}, {"t2", "x", "y", {s}}}, 300, 200);
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  const auto be32 = [&](std::size_t o) {
    return (std::uint32_t(std::uint8_t(png[o])) << 24) | (std::uint32_t(std::uint8_t(png[o + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[o + 2])) << 8) | std::uint32_t(std::uint8_t(png[o + 3]));
  };
  EXPECT_EQ(be32(16), 600u);  // two panels side by side
  EXPECT_EQ(be32(20), 200u);
  ChartSeries bad = s;
  bad.y.pop_back();
  EXPECT_THROW(render_line_chart_png({{"t", "x", "y", {bad}}}), InvalidArgument);
  EXPECT_THROW(render_line_chart_png({}), InvalidArgument);
  EXPECT_THROW(render_line_chart_png({{"t", "x", "y", {s}}}, 50, 200), InvalidArgument);
}

}  // namespace
}  // namespace rbmkit
