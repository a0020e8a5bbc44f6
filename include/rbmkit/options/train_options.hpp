// What a training run is configured with, and its option tables (option.hpp).
//
// Three structs, each the one place its defaults live:
//   SgdConfig      the optimiser (training/optimizer.hpp)
//   TrainConfig    the training loop (training/trainer.hpp), holding an SgdConfig
//   TrainSettings  the `rbmkit train` command: a TrainConfig plus where the data comes from and
//                  where the results go
// Their default member values are the general defaults (minibatch CD-1 in the style of Hinton's
// practical guide, 2010); a preset is a named set of overrides of them (presets()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rbmkit/options/binarization.hpp"
#include "rbmkit/options/enums.hpp"
#include "rbmkit/options/option.hpp"

namespace rbmkit {

// Stochastic gradient ascent (training/optimizer.hpp).
struct SgdConfig {
  float learning_rate = 0.1f;
  float momentum = 0.0f;              // in [0, 1)
  float weight_decay = 0.0f;          // L2 coefficient on W, >= 0
  float l1 = 0.0f;                    // L1 coefficient on W, >= 0
  Schedule schedule = Schedule::Constant;
  float final_learning_rate = 1e-4f;  // exponential schedule: the rate at the last update
  bool centring = false;              // Melchior, Fischer and Wiskott 2016
  float sparsity_target = 0.0f;       // p in [0, 1); 0: off
  float sparsity_cost = 0.0f;
  // Fixed rates, not options: the moving averages of centring's hidden offsets and of the
  // sparsity penalty's hidden means.
  float centring_rate = 0.01f;        // in (0, 1]
  float sparsity_decay = 0.95f;       // in [0, 1)
};

// The training loop (training/trainer.hpp).
struct TrainConfig {
  std::size_t hidden = 100;                      // H
  UnitType visible_units = UnitType::Bernoulli;  // Bernoulli or Gaussian (unit variance)
  UnitType hidden_units = UnitType::Bernoulli;   // Bernoulli or Ternary
  Method method = Method::CD;
  int cd_k = 1;                    // Gibbs steps per update (CD-k, PCD-k, PT sweeps)
  float cd_ramp = 0.0f;            // k rises linearly from 1 to cd_k over this fraction of the
                                   // updates, in [0, 1]; 0: cd_k from the start
  std::size_t chains = 100;        // PCD and PT: persistent particles (beta = 1 chains)
  std::size_t temperatures = 10;   // PT: chains per particle, betas evenly in [beta_min, 1]
  float beta_min = 0.5f;           // PT
  SgdConfig sgd;
  std::size_t batch = 100;         // 1: one example drawn at random (with replacement) per
                                   // update; B > 1: shuffled minibatches, gradient averaged
  std::uint64_t updates = 0;       // total updates; when 0, derived from epochs
  double epochs = 10.0;            // passes over the data (used when updates == 0)
  float average = 0.0f;            // Polyak-Ruppert: the model is the mean of the iterates of the
                                   // last `average` fraction of the updates, in [0, 1); 0: off
  bool visible_bias = true;        // when on, a starts at logit(clip(pixel means)) (Bernoulli
                                   // visible units) or at the column means (Gaussian ones)
  float init_std = 0.01f;          // W ~ N(0, init_std^2)
  std::uint64_t seed = 0;
  Precision precision = Precision::Auto;  // of the minibatch products (model/products.hpp)
  int threads = 0;                 // 0: all cores
  std::uint64_t report_every = 0;  // updates between reports; 0: up to 100 per run, costing <= 1% of the time
  std::size_t monitor_examples = 500;  // fixed training subset measured at each report (not an option)
  std::uint64_t checkpoint_every = 0;  // updates between checkpoints; 0: none by count
  double checkpoint_seconds = 0;       // seconds between checkpoints; 0: none by time
  std::uint64_t eval_every = 0;        // updates between held-out log-likelihood estimates
                                       // (TrainControl::evaluate); 0: none
};

// The `rbmkit train` command.
struct TrainSettings {
  TrainConfig config;
  std::string data = "mnist:train";  // data spec (data/data_spec.hpp)
  std::string binarize = "auto";     // threshold[:T] | stochastic[:SEED] | none | auto
  bool standardize = false;          // Gaussian visible units: standardise each column on the
                                     // training data (data/standardize.hpp)
  std::string heldout;               // optional held-out data spec; empty: none
  std::string eval_data;             // data for --eval-every; empty: the held-out data
  std::size_t eval_betas = 1000;     // AIS schedule length of the evaluations during training
  std::size_t eval_chains = 100;
  std::string init;                  // warm start: a model.npz to begin from; empty: a fresh model
  std::string preset = "none";       // a preset name (presets()); recorded in meta beside the options
  // Outputs (not recorded):
  std::string out;                   // output directory; empty: out/<preset>, or out/run
  std::string tile;                  // WxH of the pictures; empty: the data's image shape
  std::size_t sample_steps = 1000;   // Gibbs steps of samples.png
  std::string resume;                // directory whose checkpoint.npz to continue
};

// The options of each struct; train_options() is the command's whole table (TrainConfig's
// options lifted, then the data and output settings).
const OptionTable<SgdConfig>& sgd_options();
const OptionTable<TrainConfig>& train_config_options();
const OptionTable<TrainSettings>& train_options();
const Option<TrainSettings>& train_option(const std::string& name);  // InvalidArgument if unknown

struct Preset {
  std::string name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> values;  // option name -> value
};

// "seed": the exercise (docs/exercise.md part 1): 784-100 binary RBM on the MNIST 3s thresholded
// at 127.5, W ~ N(0, 0.1^2), b = 0, no visible bias, CD-3, one random example per update,
// lr 0.01, 100,000 updates.
const std::vector<Preset>& presets();
// TrainSettings{} with the preset's values (name "none": no preset). ParameterError naming
// "preset" for an unknown name.
TrainSettings settings_for_preset(const std::string& name);

// The settings of a fresh run: the preset given (option "preset"), else "seed" when no Model
// option is given and "none" otherwise; then the given values. ParameterError for a value out of
// range, or for updates and epochs given together.
TrainSettings resolve_train_settings(const OptionValues& given);

// The settings stored in a checkpoint's meta["settings"] (`stored`), with the given values checked
// against them: a Model option, and the seed (which the random streams depend on), must agree;
// Run and Output options may change (a longer run, another thread count, other reporting).
// `normalize`, when given, is applied to the settings before each comparison (e.g. data specs
// made absolute, as they are recorded). `where` (the checkpoint's path) is named in messages.
// Throws FormatError when `stored` is not an object of settings, ParameterError for a given value
// that disagrees (naming the stored value).
TrainSettings resume_train_settings(const nlohmann::json& stored, const OptionValues& given, const std::string& where,
                                    const std::function<void(TrainSettings&)>& normalize = {});

// Warnings for the options in `given` (by name) that do nothing in the settings `s`: chains
// without pcd or pt, temperatures without pt, a sparsity target without a cost (and the
// reverse), a final learning rate without the exponential schedule, evaluation settings without
// eval-every.
std::vector<Warning> ignored_train_options(const TrainSettings& s, const std::set<std::string>& given);

// The estimator in words: "CD-3", "PCD-1 with 50 persistent chains", "PT-1 with 4 temperatures
// in [0.5, 1], 20 chains each".
std::string describe_estimator(const TrainConfig& c);

// The recorded options (Model and Run roles) by name, plus "preset": model.npz's meta "settings".
nlohmann::json to_json(const TrainSettings& s);

// The binarisation of a data spec's values for a model with these visible units:
// parse_binarization(rule), except that "auto" means none for Gaussian visible units (they model
// real values). Throws ParameterError naming "binarize" when Gaussian visible units are given a
// threshold or stochastic rule (binary data would defeat them), or the rule does not parse.
Binarization data_binarization(const std::string& rule, UnitType visible_units);

// Throws ParameterError for settings that conflict: standardize without Gaussian visible units,
// or a binarize rule that data_binarization refuses.
void check_settings(const TrainSettings& s);

}  // namespace rbmkit
