#include "rbmkit/workflows/eval_run.hpp"

#include <algorithm>
#include <chrono>

#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/json_number.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/io/model_data.hpp"
#include "rbmkit/model/free_energy.hpp"

namespace rbmkit {
namespace {

nlohmann::json schedule_json(std::size_t n) {
  const std::vector<double> b = annealing_schedule(n);
  const auto below = [&](double x) { return std::count_if(b.begin(), b.end(), [x](double v) { return v < x; }); };
  const auto n1 = below(0.5), n2 = below(0.9) - n1, n3 = static_cast<long>(b.size()) - n1 - n2;
  return {{"betas", n},
          {"segments", {{{"from", 0.0}, {"to", 0.5}, {"betas", n1}},
                        {{"from", 0.5}, {"to", 0.9}, {"betas", n2}},
                        {{"from", 0.9}, {"to", 1.0}, {"betas", n3}}}}};
}

}  // namespace

void check_evaluable(const Model& m, const Dataset& data, const std::string& what) {
  if (m.visible_units == UnitType::Bernoulli && !data.binary())
    throw DataError(what + " has values other than 0 and 1; the log-likelihood of a binary RBM needs binary data "
                           "(binarise it by a threshold or stochastically)");
}

std::vector<double> example_log_likelihoods(const Model& m, const Matrix& X, double log_z) {
  std::vector<double> log_p(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index r = 0; r < X.rows(); ++r)
    log_p[static_cast<std::size_t>(r)] = -free_energy_exact(m, X.row(r).data()) - log_z;
  return log_p;
}

EvalRun run_evaluation(const EvalSettings& settings, const MessageSink& messages, const ProgressSink& progress) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedModel loaded = load_model(settings.model);
  const Model& m = loaded.model;
  ModelData d = load_data_for(loaded, settings.data, settings.binarize, {default_cache_dir(), true, messages});
  check_evaluable(m, d.data, "data " + settings.data);
  EvalRun run;
  run.settings = settings;
  run.binarize = d.binarize;
  run.n_visible = m.n_visible();
  run.n_hidden = m.n_hidden();
  run.visible_units = m.visible_units;
  run.hidden_units = m.hidden_units;
  if (!settings.per_example.empty()) check_file_extension("per-example", settings.per_example, ".npy", ".npy");
  const Matrix X = to_matrix(d.data);
  run.report = evaluate(m, X, settings.eval, progress);
  if (!settings.per_example.empty()) {
    const std::vector<double> log_p = example_log_likelihoods(m, X, run.report.log_z);
    write_file_atomic(settings.per_example, encode_npy(npy_float64({log_p.size()}, log_p.data())));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

nlohmann::json report_json(const LikelihoodReport& f, const EvalOptions& o, const OptionSpelling& spell) {
  const double neg_f = -f.mean_free_energy;
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : f.warnings) warnings.push_back(warning_text(w, spell));
  nlohmann::json j = {{"n_examples", f.n_examples},
                      {"method", enum_name(f.method)},
                      {"requested_method", enum_name(f.requested)},
                      {"seed", o.seed},
                      {"mean_free_energy", f.mean_free_energy},
                      {"reconstruction_error", f.reconstruction_error},
                      {"pseudo_log_likelihood", f.pseudo_log_likelihood ? nlohmann::json(*f.pseudo_log_likelihood)
                                                                        : nlohmann::json(nullptr)},
                      {"pll_method", f.pseudo_log_likelihood ? nlohmann::json(enum_name(o.pll)) : nlohmann::json(nullptr)},
                      {"warnings", warnings}};
  if (f.exact_log_z) {
    j["exact"] = {{"log_z", *f.exact_log_z},
                  {"log_likelihood", neg_f - *f.exact_log_z},
                  {"enumerated", f.enumeration},
                  {"seconds", f.exact_seconds}};
    j["chains"] = nullptr;
    j["schedule"] = nullptr;
  } else {
    j["chains"] = o.ais_chains;
    j["schedule"] = schedule_json(o.betas);
  }
  const auto ais_json = [&](const AisResult& a, double seconds, const char* start) {
    const WeightDiagnostics& d = a.diagnostics;
    return nlohmann::json{{"log_z", a.log_z},
                          {"log_z_lower", json_number(a.log_z_lower)},
                          {"log_z_upper", json_number(a.log_z_upper)},
                          {"log_z_std_error", a.log_z_std_error},
                          {"log_z_base", a.log_z_base},
                          {"log_likelihood", neg_f - a.log_z},
                          {"log_likelihood_lower", json_number(neg_f - a.log_z_upper)},
                          {"log_likelihood_upper", json_number(neg_f - a.log_z_lower)},
                          {"chains", a.log_weights.size()},
                          {"seconds", seconds},
                          {"start", start},
                          {"below_bound", a.log_z < f.bound.log_z_lower},
                          {"diagnostics", {{"effective_sample_size", d.effective_sample_size},
                                           {"largest_share", d.largest_share},
                                           {"replicate_log_z", d.group_log_means},
                                           {"replicate_spread", d.group_spread},
                                           {"unreliable", d.unreliable}}},
                          {"bias", "log Z tends to be underestimated, so the log-likelihood tends to be overestimated"}};
  };
  if (f.ais) j["ais"] = ais_json(*f.ais, f.ais_seconds, "the data's base-rate model");
  if (f.ais_model) j["ais_model"] = ais_json(*f.ais_model, f.ais_model_seconds, "the model with its weights off");
  if (f.raise)
    j["raise"] = {{"log_z", f.raise->mean_log_z},
                  {"log_z_std_error", f.raise->log_z_std_error},
                  {"log_likelihood", neg_f - f.raise->mean_log_z},
                  {"log_likelihood_std_error", f.raise->log_z_std_error},
                  {"examples", f.raise_examples},
                  {"seconds", f.raise_seconds},
                  {"below_bound", f.raise->mean_log_z < f.bound.log_z_lower},
                  {"replicate_log_z", f.raise->group_mean_log_z},
                  {"replicate_spread", f.raise->group_spread},
                  {"bias", "conservative: the log-likelihood tends to be underestimated"}};
  j["bound"] = {{"log_z_lower", f.bound.log_z_lower},
                {"log_likelihood_upper", f.log_likelihood_upper},
                {"states", f.bound.states},
                {"side", f.bound.hidden_side ? "hidden" : "visible"},
                {"largest_term", f.bound.largest},
                {"largest_log_term", f.bound.largest_log_term},
                {"seconds", f.bound_seconds},
                {"certified", "log Z is at least log_z_lower, so the log-likelihood is at most log_likelihood_upper"}};
  j["headline"] = f.headline;
  j["headline_reason"] = f.headline_reason;
  j["log_z"] = f.log_z;
  j["log_z_std_error"] = f.log_z_std_error;
  j["log_likelihood"] = f.log_likelihood;
  j["log_likelihood_std_error"] = f.log_likelihood_std_error;
  j["impossible"] = f.impossible;
  return j;
}

nlohmann::json to_json(const EvalRun& run, const OptionSpelling& spell) {
  nlohmann::json j = {{"model", run.settings.model},
                      {"data", run.settings.data},
                      {"binarize", run.binarize},
                      {"n_visible", run.n_visible},
                      {"n_hidden", run.n_hidden},
                      {"visible_units", to_string(run.visible_units)},
                      {"hidden_units", to_string(run.hidden_units)}};
  j.update(report_json(run.report, run.settings.eval, spell));
  j["per_example"] = run.settings.per_example.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.settings.per_example);
  j["elapsed_seconds"] = run.seconds;
  return j;
}

}  // namespace rbmkit
