// The `rbmkit train` workflow: from the options a user gave to a trained model and its files.
//
// A fresh run resolves its settings (resolve_train_settings: a preset, then the given values); a
// run with "resume" takes the settings stored in DIR/checkpoint.npz (resume_train_settings) and
// continues from its state. The run then loads the data (binarised, standardised), trains with
// the front end's observers plus those that write DIR/train.jsonl, DIR/checkpoint.npz and, with
// eval-every, DIR/curve.png, and writes DIR/model.npz, DIR/weights.png and DIR/samples.png.
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rbmkit/io/model_file.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

struct TrainRunCallbacks {
  MessageSink messages;                   // the run's header and data fetch progress
  std::vector<TrainObserver*> observers;  // e.g. a progress bar
  const std::atomic<bool>* stop = nullptr;  // set (from a signal handler) to stop with a checkpoint
};

struct TrainRun {
  TrainSettings settings;  // as resolved
  std::string out;         // the output directory
  Model model;
  // True when `stop` ended the run early: DIR/checkpoint.npz and DIR/model.npz are written,
  // the pictures are not.
  bool stopped = false;
  // True when --resume found the run finished: nothing was trained, and model.npz and the
  // pictures were written again from the final checkpoint (a run killed after that checkpoint
  // but before its model file is complete after all).
  bool already_complete = false;
  std::vector<std::pair<std::string, std::string>> files;  // what was written: ("model", path), ...
  std::vector<Warning> warnings;  // options that did nothing in these settings
  // The certified upper bound on the training data's mean log-likelihood (evaluation/bounds.hpp),
  // when the run finished.
  std::optional<double> likelihood_bound;
};

// The settings as model.npz records them: file specs absolute (so that commands run elsewhere
// find the data) and the binarisation resolved ("auto" becomes the rule that ran). Settings
// without a data spec (in-memory data) record none and binarisation none.
TrainSettings recorded_settings(TrainSettings s);

// The warnings for a run: the given options that do nothing in `s` (ignored_train_options), and
// bf16 asked for on a CPU that runs it only in emulation (slower than fp32 there).
std::vector<Warning> train_warnings(const TrainSettings& s, const std::set<std::string>& given);

// model.npz's meta for a run with these recorded settings on this data: {"rbmkit_version",
// "settings": to_json(recorded), "n_examples", "image_width", "image_height"}.
nlohmann::json training_meta(const TrainSettings& recorded, const Dataset& data);

// Throws ParameterError for bad or conflicting options (naming the option), FormatError and
// IoError for unreadable checkpoints and data, DataError for data the model cannot use and for a
// run that diverges (no checkpoint of bad parameters is written then). Nothing is written before
// the settings, the data and the model's size have been checked.
TrainRun run_training(const OptionValues& given, const TrainRunCallbacks& callbacks);

// {"out", "stopped", "already_complete", "files": {label: path}, "warnings": [...], "settings":
// the recorded settings}; `spell` writes the options named in warnings (eval_run.hpp).
nlohmann::json to_json(const TrainRun& run, const OptionSpelling& spell);

}  // namespace rbmkit
