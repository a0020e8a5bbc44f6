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

#include "rbmkit/training/train_state.hpp"
#include "rbmkit/data/dataset.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/optimizer.hpp"

namespace rbmkit {

// Throws ParameterError naming the first setting that is out of range (train_config_options()),
// InvalidArgument for an unsupported pair of unit types (check_unit_types), and ParameterError for
// PT down to beta_min = 0 with Gaussian visible units (whose variance 1 / beta would be infinite).
void validate(const TrainConfig& config);

// Total number of updates the config asks for on n examples.
std::uint64_t total_updates(const TrainConfig& config, std::size_t n_examples);

struct TrainReport {
  std::uint64_t update = 0;         // updates done
  std::uint64_t total_updates = 0;
  std::uint64_t examples_seen = 0;
  double seconds = 0.0;             // wall time since training started
  double reconstruction_error = 0;  // mean over the monitor subset of |x - x_hat|^2, with the
                                    // mean-field reconstruction x_hat = E[v | E[h | x]]
                                    // (Bernoulli units: sigm(W sigm(W^T x + b) + a))
  double free_energy_train = 0;     // mean free energy F(x) over the monitor subset
  std::optional<double> free_energy_heldout;  // mean F(x) over the held-out data, if given
  nlohmann::json estimator;         // the estimator's statistics since the last report, or null
};

// A held-out log-likelihood estimate taken during training (TrainConfig::eval_every).
struct EvalPoint {
  std::uint64_t update = 0;
  double seconds = 0.0;         // training time so far; time spent evaluating is not counted
  double log_likelihood = 0.0;  // mean log p(x) per example, nats
  double lower = 0.0;           // the estimate's band (equal to log_likelihood when exact)
  double upper = 0.0;
  std::string method;           // "exact", or "ais" with its (cheaper) schedule in `detail`
  nlohmann::json detail;        // e.g. {"betas": 1000, "chains": 100}; may be null
  double eval_seconds = 0.0;    // time the estimate took
};

class TrainObserver {
 public:
  virtual ~TrainObserver() = default;
  virtual void on_begin(const TrainConfig&, std::size_t /*n_examples*/, std::uint64_t /*total*/) {}
  // Called every few updates; must be cheap.
  virtual void on_progress(std::uint64_t /*update*/, std::uint64_t /*total*/, double /*seconds*/) {}
  virtual void on_report(const TrainReport&) {}
  // A checkpoint is due (every config.checkpoint_every updates or checkpoint_seconds, at the
  // end when checkpointing, and when stopping early); the observer writes it.
  virtual void on_checkpoint(const TrainState&) {}
  // A held-out log-likelihood estimate was taken (at update 0 of a fresh run, every
  // config.eval_every updates and at the end).
  virtual void on_evaluation(const EvalPoint&) {}
  virtual void on_end(const TrainReport&) {}
};

// How a run starts and stops: from scratch or from a checkpoint's state (same config, data and
// thread count give a final model bit-identical to an uninterrupted run), and an optional flag
// (set from a signal handler) that ends the run after the current update with a checkpoint.
struct TrainControl {
  const TrainState* resume = nullptr;
  const std::atomic<bool>* stop = nullptr;
  bool* stopped = nullptr;  // set to true when the run ended early because of `stop`
  // Estimates the held-out log-likelihood of the model (fills every field but update and
  // seconds); called when config.eval_every > 0, its result goes to the observers.
  std::function<EvalPoint(const Model&)> evaluate;
};

// Mean of |x - x_hat|^2 over the rows of X (n, d), x_hat the mean-field reconstruction above.
double reconstruction_error(const Model& m, const Matrix& X);

// The data's column means (d).
Vector column_means(const Dataset& data);
// Visible bias a_i = logit(clip(mean_i, eps, 1 - eps)) from the data's column means
// (Hinton 2010, section 8.1), eps = 1e-3.
Vector logit_means(const Dataset& data);

// Trains a model with config's unit types on `data` (values in [0, 1] for Bernoulli visible
// units, finite reals for Gaussian ones); held-out data is optional. Every estimator handles
// every supported pair of unit types; the fused per-example path (per_example.hpp) is taken
// only for Bernoulli units on both layers. A resumed checkpoint's model must have the config's
// unit types (InvalidArgument otherwise).
// Throws DataError for empty data, values outside [0, 1] (Bernoulli visible units) or not finite
// (Gaussian ones), or when training diverges (non-finite parameters; no checkpoint is written
// then), InvalidArgument for bad config.
Model train(const TrainConfig& config, const Dataset& data, const Dataset* heldout,
            const std::vector<TrainObserver*>& observers, const TrainControl& control = {});

}  // namespace rbmkit
