// The `rbmkit eval` workflow: a model file's log-likelihood on a data spec (evaluate(), with the
// data read for the model by load_data_for), and the report as one JSON object.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/evaluation/evaluate.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/options/eval_options.hpp"

namespace rbmkit {

struct EvalRun {
  EvalSettings settings;
  std::string binarize;  // the rule applied to the data (load_data_for)
  std::size_t n_visible = 0, n_hidden = 0;
  UnitType visible_units = UnitType::Bernoulli, hidden_units = UnitType::Bernoulli;
  LikelihoodReport report;
  double seconds = 0;  // the whole run, loading included
};

// Throws as load_model, load_data_for and evaluate, and DataError when a binary model meets data
// with values other than 0 and 1.
EvalRun run_evaluation(const EvalSettings& settings, const MessageSink& messages = {},
                       const ProgressSink& progress = {});

// Every figure of the run: the settings, the data, the model's shape and unit types, each
// estimator's figures with its bias stated, the headline (log_likelihood, log_z and their
// standard errors), the warnings (spelled by `spell`) and the elapsed seconds. Infinite band
// edges are null.
nlohmann::json to_json(const EvalRun& run, const OptionSpelling& spell);

}  // namespace rbmkit
