// Training for front ends that hold their data in memory (the Python module): the settings as
// option values by name, the data as a Dataset (or a data spec the library reads as `rbmkit
// train` does), the run's reports kept as the records train.jsonl would hold, no files written.
// The final model equals `rbmkit train`'s with the same settings and data, bit for bit, and so
// does the meta that save_model writes with it when the data came from a spec.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/data/standardize.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

struct FitControl {
  const TrainState* resume = nullptr;  // continue a run from its state (an earlier Fit's `state`)
  // The standardisation of a resumed standardised run (the earlier Fit's); a fresh run with
  // `standardize` fits its own on the data.
  const Standardization* standardization = nullptr;
  std::uint64_t until = 0;             // pause after this many updates (TrainControl::until)
  const std::atomic<bool>* stop = nullptr;  // set to stop after the current update
  bool any_finite_values = false;      // TrainControl::any_finite_values
  // Called between updates (every update, or every segment of the fused per-example path):
  // updates done, total.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct Fit {
  TrainSettings settings;  // as resolved: the general defaults, then the given values
  Model model;
  TrainState state;        // where the run ended: finished, stopped or paused
  bool stopped = false;    // `stop` ended it early
  std::vector<nlohmann::json> history;  // each report and evaluation, as train.jsonl's lines
  std::optional<Standardization> standardization;
  nlohmann::json meta;     // model.npz's meta, as `rbmkit train` writes it (training_meta)
  std::vector<Warning> warnings;  // given options that do nothing in these settings
  std::size_t n_examples = 0;
};

// What training on data in memory accepts: the training loop's options but for checkpoints and
// held-out evaluations (which need files), and the data settings (data, binarize, standardize).
bool fit_accepts(const Option<TrainSettings>& o);

// The settings of a run from in-memory data: the general defaults (never a preset), then the
// given values. Only the options of the training loop (train_config_options), standardize, data
// and binarize may be given: ParameterError naming any other (output settings, resume, init,
// evaluation settings), and for values out of range or in conflict.
TrainSettings resolve_fit_settings(const OptionValues& given);

// Trains on `data`, or, when it is null, on the settings' data spec read as `rbmkit train`
// reads it (binarised, fetched when missing; `messages` hears the fetch). Standardises when the
// settings say so. Throws as resolve_fit_settings and train().
Fit fit(const OptionValues& given, const Dataset* data, const FitControl& control, const MessageSink& messages = {});

}  // namespace rbmkit
