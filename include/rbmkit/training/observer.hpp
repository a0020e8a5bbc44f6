// What the training loop reports, and the observer interface it reports through, so that the loop
// itself holds no I/O: progress bars, train.jsonl, checkpoints and learning curves are observers.
#pragma once

#include <cstddef>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

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
  // The certified upper bound on the log-likelihood (-mean F - the bound on log Z of
  // evaluation/bounds.hpp); +inf when none was computed.
  double bound = HUGE_VAL;
  std::string method;           // "exact", or "ais" (or "bound" when AIS fell below it) with its
                                // schedule in `detail`
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

}  // namespace rbmkit
