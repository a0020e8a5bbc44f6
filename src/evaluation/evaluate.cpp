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
  if (r.exact_log_z) {
    r.headline = "exact";
    r.headline_reason = "exact enumeration of " + r.enumeration;
    r.log_z = *r.exact_log_z;
    r.log_z_std_error = 0.0;
  } else if (r.ais) {
    r.headline = "ais";
    r.headline_reason = r.raise ? "AIS estimates log Z for the whole data set; RAISE is its conservative check"
                                : "AIS was the method asked for";
    r.log_z = r.ais->log_z;
    r.log_z_std_error = r.ais->log_z_std_error;
  } else {
    r.headline = "raise";
    r.headline_reason = "RAISE was the method asked for";
    r.log_z = r.raise->mean_log_z;
    r.log_z_std_error = r.raise->log_z_std_error;
  }
  r.log_likelihood = neg_f - r.log_z;
  r.log_likelihood_std_error = r.log_z_std_error;
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
    choose_headline(r);
    if (m.visible_units == UnitType::Bernoulli) flag_impossible(r);
    return r;
  }
  const Vector base = base_model_biases(m.visible_units, X);
  if (r.method == EvalMethod::Ais || r.method == EvalMethod::Both) {
    const auto start = std::chrono::steady_clock::now();
    r.ais = ais_log_partition(m, base, {options.ais_chains, options.betas, options.seed}, progress);
    r.ais_seconds = seconds_since(start);
  }
  if (r.method == EvalMethod::Raise || r.method == EvalMethod::Both) {
    const auto start = std::chrono::steady_clock::now();
    const Matrix E = raise_subset(X, options.raise_examples, options.seed);
    r.raise = raise_log_likelihood(m, E, base, options.betas, options.seed, progress);
    r.raise_examples = static_cast<std::size_t>(E.rows());
    r.raise_seconds = seconds_since(start);
  }
  if (r.ais && r.raise && std::fabs(r.ais->log_z - r.raise->mean_log_z) > kAisRaiseDisagreement)
    r.warnings.push_back({"", "AIS and RAISE disagree by " + fixed3(std::fabs(r.ais->log_z - r.raise->mean_log_z)) +
                                  " nats per example (more than 1): at least one of them is off; a longer annealing "
                                  "schedule and more chains narrow the gap"});
  choose_headline(r);
  if (m.visible_units == UnitType::Bernoulli) flag_impossible(r);
  return r;
}

}  // namespace rbmkit
