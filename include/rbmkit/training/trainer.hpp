// The training loop: pick examples, estimate the gradient (CD-k), apply it (SGD), report.
//
// Configured by one plain struct; reports through observers so the loop holds no I/O
// (progress bars, train.jsonl and checkpoints are observers). Same config, seed and thread
// count give a bit-identical model.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/observer.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

// Throws ParameterError naming the first setting that is out of range (train_config_options()),
// InvalidArgument for an unsupported pair of unit types (check_unit_types), and ParameterError for
// PT down to beta_min = 0 with Gaussian visible units (whose variance 1 / beta would be infinite).
void validate(const TrainConfig& config);

// Parameters larger than this in magnitude stop training as diverged (a weight of 1e6 saturates
// every sigmoid; the learning rate is far too large).
inline constexpr double kDivergedParameter = 1e6;

// The number of threads a run with this config on d visible units uses: config.threads when
// given, every core for 0 (the default); but one when the run's largest product,
// 2 max(batch, persistent chains) d H flops, is below the threshold of the run's precision
// (parallel_product_flops: below it the products and updates run on one thread anyway, and a
// second thread would only split the draws, whose parallel regions wake it each time: 0.83x
// one thread at H = 2000, batch 10, in bf16 on a 2-core Zen 4). The fused
// per-example path (batch 1) has its own rule: its row blocks are every core's worth, and the
// threads that run them follow the load (per_example.hpp).
int thread_count(const TrainConfig& config, std::size_t n_visible);

// Total number of updates the config asks for on n examples.
std::uint64_t total_updates(const TrainConfig& config, std::size_t n_examples);

// How a run starts and stops: from scratch, from a given model, or from a checkpoint's state (same config, data and
// thread count give a final model bit-identical to an uninterrupted run), and an optional flag
// (set from a signal handler) that ends the run after the current update with a checkpoint.
struct TrainControl {
  const TrainState* resume = nullptr;
  // A warm start: training begins from this model (same shape and unit types as the config;
  // InvalidArgument otherwise) instead of a fresh one. Ignored when resuming.
  const Model* init = nullptr;
  const std::atomic<bool>* stop = nullptr;
  bool* stopped = nullptr;  // set to true when the run ended early because of `stop`
  // When > 0 and below the run's total, the run pauses after this many updates (no checkpoint,
  // no on_end); resuming from final_state continues it bit-identically. InvalidArgument when
  // the resumed state is already past it.
  std::uint64_t until = 0;
  // When given, filled with the state the run ends in (finished, stopped or paused), as a
  // checkpoint would hold it.
  TrainState* final_state = nullptr;
  // Bernoulli visible units: train on data with values outside [0, 1] instead of refusing it
  // (scikit-learn's BernoulliRBM accepts any finite data; such values are not probabilities).
  bool any_finite_values = false;
  // Estimates the held-out log-likelihood of the model (fills every field but update and
  // seconds); called when config.eval_every > 0, its result goes to the observers.
  std::function<EvalPoint(const Model&)> evaluate;
};

// Mean of |x - x_hat|^2 over the rows of X (n, d), x_hat the mean-field reconstruction above.
double reconstruction_error(const Model& m, const Matrix& X);

// What a report measures on the monitor examples X (n, d): the reconstruction error above and
// the mean free energy, from one upward product X W + b (and one downward) through p. With
// chunk > 0 the products take `chunk` rows at a time (the last chunk padded with zero rows
// whose results are dropped): with the training batch's row count, bf16 products reuse the
// kernels the updates built.
struct MonitorMeasures {
  double reconstruction_error = 0.0;
  double free_energy = 0.0;
};
MonitorMeasures monitor_measures(const Products& p, const Matrix& X, Eigen::Index chunk = 0);

// The data's column means (d).
Vector column_means(const Dataset& data);
// Visible bias a_i = logit(clip(mean_i, eps, 1 - eps)) from the data's column means
// (Hinton 2010, section 8.1), eps = 1e-3.
Vector logit_means(const Dataset& data);

// The model a fresh run starts from: W ~ N(0, init_std^2) from the seed (make_model), b = 0, and
// with a visible bias a = logit_means(data) (Bernoulli visible units) or column_means(data)
// (Gaussian ones), else a = 0.
Model initial_model(const TrainConfig& config, const Dataset& data);

// Trains a model with config's unit types on `data` (values in [0, 1] for Bernoulli visible
// units, finite reals for Gaussian ones); held-out data is optional. Every estimator handles
// every supported pair of unit types; the fused per-example path (per_example.hpp) is taken
// only for Bernoulli units on both layers. A resumed checkpoint's model must have the config's
// unit types (InvalidArgument otherwise).
// Throws DataError for empty data, values outside [0, 1] (Bernoulli visible units) or not finite
// (Gaussian ones), or when training diverges (parameters not finite or above kDivergedParameter,
// checked at every report, checkpoint and evaluation; no checkpoint is written then),
// ParameterError for bad config.
Model train(const TrainConfig& config, const Dataset& data, const Dataset* heldout,
            const std::vector<TrainObserver*>& observers, const TrainControl& control = {});

}  // namespace rbmkit
