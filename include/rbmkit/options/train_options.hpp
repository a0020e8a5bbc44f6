// Training options, declared once: name, type, default, help and validation. The CLI derives
// its flags and help text from this table, model.npz's meta records every entry, and the Python
// module derives keyword arguments (name with '-' -> '_').
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

// Everything one training run needs: the loop's config plus where the data comes from.
struct TrainSettings {
  TrainConfig config;
  std::string data = "mnist:train";  // data spec (see data_spec.hpp)
  std::string binarize = "auto";     // threshold[:T] | stochastic[:SEED] | none | auto
  bool standardize = false;          // Gaussian visible units: standardise each column on the
                                     // training data (standardize.hpp)
  std::string heldout;               // optional held-out data spec; empty: none
  std::string eval_data;             // data for --eval-every; empty: the held-out data
  std::size_t eval_betas = 1000;     // AIS schedule length of the evaluations during training
  std::size_t eval_chains = 100;
  std::string preset = "none";
};

struct OptionSpec {
  std::string name;  // flag without dashes, e.g. "lr"
  std::string type;  // shown in help: INT, FLOAT, SPEC, on|off, ...
  std::string help;
  // True for settings that change the trained model (used to decide whether the bare
  // `rbmkit train` runs the exercise preset); false for run-time knobs such as threads.
  bool model_setting;
  // Parses and validates `value` into the settings; throws InvalidArgument naming --name.
  std::function<void(TrainSettings&, const std::string&)> set;
  // The current value, as recorded in model.npz's meta and shown as the default in help.
  std::function<nlohmann::json(const TrainSettings&)> get;
};

const std::vector<OptionSpec>& train_options();

// The binarisation of a data spec's values for a model with these visible units:
// parse_binarization(rule), except that "auto" means none for Gaussian visible units (they
// model real values). Throws InvalidArgument when Gaussian visible units are given a threshold
// or stochastic rule (binary data would defeat them).
Binarization data_binarization(const std::string& rule, UnitType visible_units);

// Throws InvalidArgument for settings that conflict: --standardize without Gaussian visible
// units, or a --binarize rule that data_binarization refuses.
void check_settings(const TrainSettings& s);
const OptionSpec& train_option(const std::string& name);  // throws InvalidArgument if unknown

struct Preset {
  std::string name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> values;  // option name -> value
};

// "seed": the exercise (EXERCISE.md part 1): 784-100 binary RBM on the MNIST 3s thresholded at
// 127.5, W ~ N(0, 0.1^2), b = 0, no visible bias, CD-3, one random example per update,
// lr 0.01, 100,000 updates.
const std::vector<Preset>& presets();
// Settings with the general defaults, then the preset's values (name "none": no preset).
TrainSettings settings_for_preset(const std::string& name);

// Every option's current value, plus "preset", as one JSON object.
nlohmann::json to_json(const TrainSettings& s);

}  // namespace rbmkit
