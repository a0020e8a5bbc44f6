#include "rbmkit/evaluation/evaluate.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/evaluation/pseudo_likelihood.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string fixed3(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

// The rows of X that RAISE scores, as a matrix.
Matrix raise_subset(const Matrix& X, std::size_t k, std::uint64_t seed) {
  const std::vector<std::size_t> rows = choose_examples(static_cast<std::size_t>(X.rows()), k, seed);
  Matrix E(static_cast<Eigen::Index>(rows.size()), X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) E.row(static_cast<Eigen::Index>(i)) = X.row(static_cast<Eigen::Index>(rows[i]));
  return E;
}

void choose_headline(LikelihoodReport& r) {
  const double neg_f = -r.mean_free_energy;
  const double L = r.bound.log_z_lower;
  if (r.exact_log_z) {
    r.headline = "exact";
    r.headline_reason = "exact enumeration of " + r.enumeration;
    r.log_z = *r.exact_log_z;
    r.log_z_std_error = 0.0;
  } else if (r.ais) {
    const bool model_base = r.ais_model && r.ais_model->log_z > r.ais->log_z;
    const AisResult& best = model_base ? *r.ais_model : *r.ais;
    if (best.log_z >= L) {
      r.headline = model_base ? "ais-model" : "ais";
      r.headline_reason = std::string("the larger of the two AIS estimates (") +
                          (model_base ? "from the model with its weights off" : "from the data's base rate") +
                          ") and the certified bound";
      r.log_z = best.log_z;
      r.log_z_std_error = best.log_z_std_error;
    } else {
      r.headline = "bound";
      r.headline_reason = "both AIS estimates fall below the certified bound, so they missed mass the model has; "
                          "the bound, whose largest term is " + r.bound.largest + ", is the best figure, and the "
                          "log-likelihood is at most this";
      r.log_z = L;
      r.log_z_std_error = 0.0;
    }
  } else {
    r.headline = r.raise->mean_log_z >= L ? "raise" : "bound";
    r.headline_reason = r.headline == "raise" ? "RAISE was the method asked for"
                                              : "RAISE's log Z falls below the certified bound; the bound is the best "
                                                "figure, and the log-likelihood is at most this";
    r.log_z = std::max(r.raise->mean_log_z, L);
    r.log_z_std_error = r.headline == "raise" ? r.raise->log_z_std_error : 0.0;
  }
  r.log_likelihood = neg_f - r.log_z;
  r.log_likelihood_std_error = r.log_z_std_error;
}

// The bound and the diagnostics: what an estimate below the bound, or resting on a few chains,
// means, in words.
void check_against_bound(LikelihoodReport& r) {
  const double L = r.bound.log_z_lower;
  // Any estimate below L missed mass (the text and JSON mark it); a warning is worth it beyond
  // the noise of an accurate estimate.
  const auto below = [&](const char* name, double log_z, const char* what) {
    if (log_z < L - kBoundGapWarning)
      r.warnings.push_back({"", std::string(name) + " gives log Z " + fixed3(log_z) + ", " + fixed3(L - log_z) +
                                    " nats below the certified bound " + fixed3(L) + " (" + r.bound.largest +
                                    "): it certainly missed mass the model has, so its log-likelihood is too high; " +
                                    what});
  };
  if (r.ais) below("AIS from the data's base rate", r.ais->log_z, "more chains and betas, or the other AIS start, find it");
  if (r.ais_model) below("AIS from the model with its weights off", r.ais_model->log_z, "more chains and betas find it");
  if (r.raise) below("RAISE", r.raise->mean_log_z, "RAISE anneals from the data and bounds the annealing model, not the RBM");
  const std::pair<const char*, const std::optional<AisResult>*> runs[] = {
      {"AIS from the data's base rate", &r.ais}, {"AIS from the model with its weights off", &r.ais_model}};
  for (const auto& [name, run] : runs) {
    if (!*run || !(*run)->diagnostics.unreliable || (*run)->log_z < L - kBoundGapWarning) continue;
    const AisResult* a = &**run;
    const WeightDiagnostics& d = a->diagnostics;
    r.warnings.push_back({"", std::string(name) + " rests on a few chains: its weights are worth " + fixed3(d.effective_sample_size) +
                                  " of " + std::to_string(a->log_weights.size()) + " chains, the largest is " +
                                  fixed3(100 * d.largest_share) + "% of the total, and four replicates spread over " +
                                  fixed3(d.group_spread) + " nats; more chains make it trustworthy"});
  }
}

// Binary data cannot have a positive log-likelihood: each estimate above 0 is reported as wrong.
void flag_impossible(LikelihoodReport& r) {
  const double neg_f = -r.mean_free_energy;
  const auto check = [&](const char* name, double log_likelihood, const char* cause) {
    if (log_likelihood > 0)
      r.warnings.push_back({"", std::string("the ") + name + " log-likelihood " + fixed3(log_likelihood) +
                                    " nats per example is positive, which binary data cannot have (a probability is at "
                                    "most 1): " + cause});
  };
  if (r.exact_log_z) check("exact", neg_f - *r.exact_log_z, "the data or the model file is not what it claims");
  if (r.ais) check("AIS", neg_f - r.ais->log_z, "AIS missed most of the model's mass; its log Z is far too small");
  if (r.raise) check("RAISE", neg_f - r.raise->mean_log_z, "RAISE's log Z is far too small");
  r.impossible = r.log_likelihood > 0;
}

void add_bound(LikelihoodReport& r, const Model& m, const Matrix& X, const Matrix& states) {
  const auto start = std::chrono::steady_clock::now();
  r.bound = certified_log_z_bound(m, X, states);
  r.log_likelihood_upper = -r.mean_free_energy - r.bound.log_z_lower;
  r.bound_seconds = seconds_since(start);
}

}  // namespace

LikelihoodReport evaluate(const Model& m, const Matrix& X, const EvalOptions& options, const ProgressSink& progress) {
  check_options(options, eval_options());
  check_data_width(m, X);
  if (X.rows() == 0) throw DataError("no examples to evaluate");
  LikelihoodReport r;
  r.requested = options.method;
  r.n_examples = static_cast<std::size_t>(X.rows());
  if (options.method == EvalMethod::Auto || options.method == EvalMethod::Exact) r.enumeration = enumeration_plan(m).describe();
  r.method = options.method != EvalMethod::Auto ? options.method : exact_is_practical(m) ? EvalMethod::Exact : EvalMethod::Both;
  if (r.method == EvalMethod::Exact)
    for (const char* ignored : {"chains", "ais-chains", "raise-examples", "betas"})
      if (options.given.count(ignored)) r.warnings.push_back({ignored, "is ignored with the exact method"});
  r.mean_free_energy = mean_free_energy(m, X);
  r.reconstruction_error = reconstruction_error(m, X);
  r.pll_unsupported = pll_unsupported_reason(m);
  if (r.pll_unsupported.empty())
    r.pseudo_log_likelihood = pseudo_log_likelihood(m, X, options.pll, options.seed).mean();
  else if (options.given.count("pll"))
    r.warnings.push_back({"pll", "is ignored: the pseudo-log-likelihood is " + r.pll_unsupported});
  if (r.method == EvalMethod::Exact) {
    const auto start = std::chrono::steady_clock::now();
    r.exact_log_z = log_partition_exact(m);
    r.exact_seconds = seconds_since(start);
    add_bound(r, m, X, Matrix());
    choose_headline(r);
    if (m.visible_units == UnitType::Bernoulli) flag_impossible(r);
    return r;
  }
  const Vector base = base_model_biases(m.visible_units, X);
  Matrix final_states;
  if (r.method == EvalMethod::Ais || r.method == EvalMethod::Both) {
    auto start = std::chrono::steady_clock::now();
    r.ais = ais_log_partition(m, base, {options.ais_chains, options.betas, options.seed, options.precision}, progress);
    r.ais_seconds = seconds_since(start);
    start = std::chrono::steady_clock::now();
    r.ais_model =
        ais_log_partition(m, m.a, {options.ais_chains, options.betas, options.seed, options.precision}, progress);
    r.ais_model_seconds = seconds_since(start);
    final_states.resize(r.ais->final_hidden.rows() + r.ais_model->final_hidden.rows(), m.W.cols());
    final_states << r.ais->final_hidden, r.ais_model->final_hidden;
  }
  if (r.method == EvalMethod::Raise || r.method == EvalMethod::Both) {
    const auto start = std::chrono::steady_clock::now();
    const Matrix E = raise_subset(X, options.raise_examples, options.seed);
    r.raise = raise_log_likelihood(m, E, base, options.betas, options.seed, progress, options.precision);
    r.raise_examples = static_cast<std::size_t>(E.rows());
    r.raise_seconds = seconds_since(start);
  }
  if (r.ais && r.raise && std::fabs(r.ais->log_z - r.raise->mean_log_z) > kAisRaiseDisagreement)
    r.warnings.push_back({"", "AIS and RAISE disagree by " + fixed3(std::fabs(r.ais->log_z - r.raise->mean_log_z)) +
                                  " nats per example (more than 1): at least one of them is off; a longer annealing "
                                  "schedule and more chains narrow the gap"});
  add_bound(r, m, X, final_states);
  check_against_bound(r);
  choose_headline(r);
  if (m.visible_units == UnitType::Bernoulli) flag_impossible(r);
  return r;
}

}  // namespace rbmkit
