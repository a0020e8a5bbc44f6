// The `rbmkit eval` workflow: a model file's log-likelihood on a data spec (evaluate(), with the
// data read for the model by load_data_for), and the report as one JSON object.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rbmkit/data/dataset.hpp"
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

// Throws DataError (starting with `what`) when a binary model meets data with values other than
// 0 and 1: its log-likelihood would be a density, not a probability.
void check_evaluable(const Model& m, const Dataset& data, const std::string& what);

// log p(x) = -F(x) - log Z of each row x of X (n, d), F in double (free_energy_exact).
std::vector<double> example_log_likelihoods(const Model& m, const Matrix& X, double log_z);

// Throws as load_model, load_data_for and evaluate, and DataError when a binary model meets data
// with values other than 0 and 1.
EvalRun run_evaluation(const EvalSettings& settings, const MessageSink& messages = {},
                       const ProgressSink& progress = {});

// Every figure of a report from evaluate() with these options: each estimator's figures with its
// bias stated, the certified bound, the headline (log_likelihood, log_z and their standard
// errors) and the warnings (spelled by `spell`). Infinite band edges are null.
nlohmann::json report_json(const LikelihoodReport& report, const EvalOptions& options, const OptionSpelling& spell);

// Every figure of the run: the settings, the data, the model's shape and unit types, each
// estimator's figures with its bias stated, the headline (log_likelihood, log_z and their
// standard errors), the warnings (spelled by `spell`) and the elapsed seconds. Infinite band
// edges are null.
nlohmann::json to_json(const EvalRun& run, const OptionSpelling& spell);

}  // namespace rbmkit
