#include <gtest/gtest.h>

#include "rbmkit/error.hpp"
#include "rbmkit/training/iterate_average.hpp"
#include "rbmkit/training/trainer.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

// The running mean equals the mean computed in double, and survives a checkpoint's arrays.
TEST(IterateAverage, RunningMeanEqualsTheMeanAndRoundTrips) {
  IterateAverage average;
  const Model first = test::random_model(7, 3, 0.5, 0.5, 1);
  EXPECT_EQ(average.mean_of(first).W, first.W);  // nothing added: the model itself
  Eigen::MatrixXd W = Eigen::MatrixXd::Zero(7, 3);
  Eigen::VectorXd a = Eigen::VectorXd::Zero(7), b = Eigen::VectorXd::Zero(3);
  const int n = 9;
  for (int i = 0; i < n; ++i) {
    const Model m = test::random_model(7, 3, 0.5, 0.5, 10 + static_cast<std::uint64_t>(i));
    average.add(m);
    W += m.W.cast<double>() / n;
    a += m.a.cast<double>() / n;
    b += m.b.cast<double>() / n;
  }
  EXPECT_EQ(average.count(), static_cast<std::uint64_t>(n));
  const Model mean = average.mean_of(first);
  EXPECT_LT((mean.W.cast<double>() - W).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((mean.a.cast<double>() - a).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((mean.b.cast<double>() - b).cwiseAbs().maxCoeff(), 1e-6);

  StateArrays arrays;
  average.save(arrays);
  IterateAverage loaded;
  loaded.load(arrays, 7, 3);
  EXPECT_EQ(loaded.count(), average.count());
  EXPECT_EQ(loaded.mean_of(first).W, mean.W);
  EXPECT_THROW(loaded.load(arrays, 7, 4), FormatError);
  arrays.erase("average_b");
  EXPECT_THROW(loaded.load(arrays, 7, 3), FormatError);
  IterateAverage none;
  none.load(StateArrays{}, 7, 3);  // a checkpoint without an average: nothing added yet
  EXPECT_EQ(none.count(), 0u);
}

// With --average F the finished run's model is the mean of the iterates after each of the last
// F updates (the iterates read off the same run paused update by update), in minibatch PCD and
// in the per-example path; a run paused inside the window and resumed ends bit-identical.
TEST(IterateAverage, TrainerAveragesTheLastFractionOfTheIterates) {
  const auto bas = test::bars_and_stripes(3);
  const Dataset data = test::dataset_from(bas, 9);
  for (const std::size_t batch : {4u, 1u}) {
    TrainConfig config = test::exercise_config();
    config.hidden = 5;
    config.method = batch == 1 ? Method::CD : Method::PCD;
    config.batch = batch;
    config.chains = 6;
    config.sgd.learning_rate = 0.1f;
    config.updates = 40;
    config.average = 0.25f;  // the iterates after updates 31..40
    config.seed = 5;
    config.threads = 1;
    const Model averaged = train(config, data, nullptr, {});

    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(9, 5);
    TrainState state;
    Model last;
    for (std::uint64_t until = 30; until <= 40; ++until) {
      TrainState next;
      TrainControl piece;
      piece.resume = until == 30 ? nullptr : &state;
      piece.until = until < 40 ? until : 0;
      piece.final_state = &next;
      train(config, data, nullptr, {}, piece);
      if (until > 30) W += next.model.W.cast<double>() / 10.0;
      last = next.model;
      state = next;
    }
    EXPECT_LT((averaged.W.cast<double>() - W).cwiseAbs().maxCoeff(), 1e-6) << "batch " << batch;
    EXPECT_GT((averaged.W - last.W).cwiseAbs().maxCoeff(), 1e-4) << "the average is not the last iterate";

    TrainState paused;
    TrainControl first_half;
    first_half.until = 35;
    first_half.final_state = &paused;
    train(config, data, nullptr, {}, first_half);
    TrainControl second_half;
    second_half.resume = &paused;
    EXPECT_EQ(train(config, data, nullptr, {}, second_half).W, averaged.W) << "batch " << batch;
  }
}

}  // namespace
}  // namespace rbmkit
