// The `rbmkit reproduce` workflow: named recipes that train and evaluate a model under a
// published protocol, with the published figure beside ours.
//
// The standard protocol for binary RBMs on MNIST (Salakhutdinov and Murray 2008): pixels drawn
// once as Bernoulli(intensity / 255) with a fixed seed (binarize stochastic:SEED), the 60,000
// training and 10,000 test images; log-likelihoods exact when H <= 25 (2^25 hidden states), else
// AIS from the data's base rate and RAISE with the certified bound (evaluation/evaluate.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbmkit/options/reproduce_options.hpp"
#include "rbmkit/workflows/eval_run.hpp"
#include "rbmkit/workflows/train_run.hpp"

namespace rbmkit {

struct Recipe {
  std::string name;
  std::string summary;    // one line: model, method, protocol
  OptionValues train;     // the `rbmkit train` options of the full run ("out" excepted)
  OptionValues quick;     // what --quick replaces ("updates" replaces "epochs")
  OptionValues eval;      // the `rbmkit eval` options of the full run
  OptionValues quick_eval;
  std::string eval_data, eval_binarize;  // the test data and its binarisation
  std::optional<double> published;       // nats; absent where nothing is published
  std::string source;                    // who published it, how it was evaluated
};

// Every recipe, in the order --list shows them.
const std::vector<Recipe>& recipes();
// Throws ParameterError (NAME) for an unknown name, listing the known ones.
const Recipe& find_recipe(const std::string& name);

struct ReproduceRun {
  Recipe recipe;
  bool quick = false;
  bool resumed = false;  // continued from a checkpoint: train_seconds is this part's
  TrainRun train;
  EvalRun eval;
  double train_seconds = 0;  // the training workflow's wall time (loading and pictures included)
  double eval_seconds = 0;
};

// Trains the recipe into settings.out (default out/reproduce/NAME, NAME-quick with quick), or
// with settings.resume continues its checkpoint there (the recipe's options must agree with the
// stored ones), then evaluates the model on the recipe's test data; a stopped run is returned
// before the evaluation. Throws as run_training and
// run_evaluation, and ParameterError for an unknown recipe.
ReproduceRun run_reproduce(const ReproduceSettings& settings, const TrainRunCallbacks& callbacks,
                           const ProgressSink& eval_progress = {});

// The recipe, the figures of both runs (to_json of each) and the published figure.
nlohmann::json to_json(const ReproduceRun& run, const OptionSpelling& spell);

}  // namespace rbmkit
