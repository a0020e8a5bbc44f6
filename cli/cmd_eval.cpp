// rbmkit eval: a model's log-likelihood on a data set (exact, AIS, RAISE), with the mean free
// energy, the reconstruction error and the pseudo-log-likelihood.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/estimators.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit::cli {
namespace {

struct EvalArgs {
  std::string model;
  std::string data;
  std::string binarize;
  std::string method = "auto";
  std::string pll = "stochastic";
  std::size_t chains = kDefaultChains;
  std::size_t betas = kDefaultBetas;
  std::uint64_t seed = 0;
  bool json = false;
  bool chains_given = false, betas_given = false, pll_given = false;
};

// AIS and RAISE disagreeing by more than this many nats per example get a warning.
constexpr double kDisagreement = 1.0;

struct Figures {
  std::string method;  // exact, ais, raise or both
  double mean_free_energy = 0, reconstruction_error = 0;
  std::optional<double> pll;  // absent where the pseudo-log-likelihood is not defined
  std::string pll_unsupported;  // why it is not (pll_unsupported_reason)
  std::optional<double> exact_log_z;
  std::string enumeration;  // what exact enumeration visits, e.g. "3^12 = 531441 hidden states"
                            // (with --method auto or exact)
  std::optional<AisResult> ais;
  std::optional<RaiseResult> raise;
  std::size_t raise_examples = 0;
  double exact_seconds = 0, ais_seconds = 0, raise_seconds = 0;  // each estimator's wall time
  std::vector<std::string> warnings;
};

std::string recorded_binarize(const nlohmann::json& meta) {
  if (meta.contains("settings") && meta["settings"].is_object() && meta["settings"].contains("binarize") &&
      meta["settings"]["binarize"].is_string())
    return meta["settings"]["binarize"].get<std::string>();
  return "auto";
}

// JSON has no infinities: they become null.
nlohmann::json number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

std::string fixed(double x, int digits = 3) {
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  return s.str();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Figures evaluate(const EvalArgs& a, const Model& m, const Matrix& X) {
  Figures f;
  if (a.method == "auto" || a.method == "exact") f.enumeration = enumeration_plan(m).describe();
  f.method = a.method == "auto" ? (exact_is_practical(m) ? "exact" : "both") : a.method;
  if (f.method == "exact") {
    for (const auto& [given, flag] : {std::pair{a.chains_given, "--chains"}, std::pair{a.betas_given, "--betas"}})
      if (given) f.warnings.push_back(std::string(flag) + " is ignored with the exact method");
  }
  f.mean_free_energy = mean_free_energy(m, X);
  f.reconstruction_error = reconstruction_error(m, X);
  f.pll_unsupported = pll_unsupported_reason(m);
  if (f.pll_unsupported.empty())
    f.pll = pseudo_log_likelihood(m, X, a.pll == "exact" ? PllMethod::Exact : PllMethod::Stochastic, a.seed).mean();
  else if (a.pll_given)
    f.warnings.push_back("--pll is ignored: the pseudo-log-likelihood is " + f.pll_unsupported);
  if (f.method == "exact") {
    const auto start = std::chrono::steady_clock::now();
    f.exact_log_z = log_partition_exact(m);
    f.exact_seconds = seconds_since(start);
    return f;
  }
  const Vector base = base_model_biases(m.visible_units, X);
  if (f.method == "ais" || f.method == "both") {
    const auto start = std::chrono::steady_clock::now();
    f.ais = ais_log_partition(m, base, {a.chains, a.betas, a.seed});
    f.ais_seconds = seconds_since(start);
  }
  if (f.method == "raise" || f.method == "both") {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::size_t> rows = choose_examples(static_cast<std::size_t>(X.rows()), a.chains, a.seed);
    Matrix E(static_cast<Eigen::Index>(rows.size()), X.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) E.row(static_cast<Eigen::Index>(i)) = X.row(static_cast<Eigen::Index>(rows[i]));
    f.raise = raise_log_likelihood(m, E, base, a.betas, a.seed);
    f.raise_examples = rows.size();
    f.raise_seconds = seconds_since(start);
  }
  if (f.ais && f.raise && std::fabs(f.ais->log_z - f.raise->mean_log_z) > kDisagreement)
    f.warnings.push_back("AIS and RAISE disagree by " + fixed(std::fabs(f.ais->log_z - f.raise->mean_log_z)) +
                         " nats per example (more than " + fixed(kDisagreement, 0) +
                         "): at least one of them is off; more --betas (and --chains) narrow the gap");
  return f;
}

nlohmann::json schedule_json(std::size_t n) {
  const std::vector<double> b = annealing_schedule(n);
  const auto below = [&](double x) { return std::count_if(b.begin(), b.end(), [x](double v) { return v < x; }); };
  const auto n1 = below(0.5), n2 = below(0.9) - n1, n3 = static_cast<long>(b.size()) - n1 - n2;
  return {{"betas", n},
          {"segments", {{{"from", 0.0}, {"to", 0.5}, {"betas", n1}},
                        {{"from", 0.5}, {"to", 0.9}, {"betas", n2}},
                        {{"from", 0.9}, {"to", 1.0}, {"betas", n3}}}}};
}

nlohmann::json to_json(const EvalArgs& a, const Model& m, const Matrix& X, const std::string& binarize, const Figures& f,
                       double seconds) {
  const double neg_f = -f.mean_free_energy;
  nlohmann::json j = {{"model", a.model},
                      {"data", a.data},
                      {"binarize", binarize},
                      {"n_examples", X.rows()},
                      {"n_visible", m.n_visible()},
                      {"n_hidden", m.n_hidden()},
                      {"visible_units", to_string(m.visible_units)},
                      {"hidden_units", to_string(m.hidden_units)},
                      {"method", f.method},
                      {"requested_method", a.method},
                      {"seed", a.seed},
                      {"mean_free_energy", f.mean_free_energy},
                      {"reconstruction_error", f.reconstruction_error},
                      {"pseudo_log_likelihood", f.pll ? nlohmann::json(*f.pll) : nlohmann::json(nullptr)},
                      {"pll_method", f.pll ? nlohmann::json(a.pll) : nlohmann::json(nullptr)},
                      {"warnings", f.warnings}};
  if (f.exact_log_z) {
    j["exact"] = {{"log_z", *f.exact_log_z},
                  {"log_likelihood", neg_f - *f.exact_log_z},
                  {"enumerated", f.enumeration},
                  {"seconds", f.exact_seconds}};
    j["chains"] = nullptr;
    j["schedule"] = nullptr;
  } else {
    j["chains"] = a.chains;
    j["schedule"] = schedule_json(a.betas);
  }
  if (f.ais)
    j["ais"] = {{"log_z", f.ais->log_z},
                {"log_z_lower", number(f.ais->log_z_lower)},
                {"log_z_upper", number(f.ais->log_z_upper)},
                {"log_z_std_error", f.ais->log_z_std_error},
                {"log_z_base", f.ais->log_z_base},
                {"log_likelihood", neg_f - f.ais->log_z},
                {"log_likelihood_lower", number(neg_f - f.ais->log_z_upper)},
                {"log_likelihood_upper", number(neg_f - f.ais->log_z_lower)},
                {"chains", f.ais->log_weights.size()},
                {"seconds", f.ais_seconds},
                {"bias", "log Z tends to be underestimated, so the log-likelihood tends to be overestimated"}};
  if (f.raise)
    j["raise"] = {{"log_z", f.raise->mean_log_z},
                  {"log_z_std_error", f.raise->log_z_std_error},
                  {"log_likelihood", neg_f - f.raise->mean_log_z},
                  {"log_likelihood_std_error", f.raise->log_z_std_error},
                  {"examples", f.raise_examples},
                  {"seconds", f.raise_seconds},
                  {"bias", "conservative: the log-likelihood tends to be underestimated"}};
  // The headline figures: exact, else AIS, else RAISE.
  if (f.exact_log_z) {
    j["log_z"] = *f.exact_log_z;
    j["log_z_std_error"] = 0.0;
  } else if (f.ais) {
    j["log_z"] = f.ais->log_z;
    j["log_z_std_error"] = f.ais->log_z_std_error;
  } else {
    j["log_z"] = f.raise->mean_log_z;
    j["log_z_std_error"] = f.raise->log_z_std_error;
  }
  j["log_likelihood"] = neg_f - j["log_z"].get<double>();
  j["log_likelihood_std_error"] = j["log_z_std_error"];
  j["elapsed_seconds"] = seconds;
  return j;
}

void print_text(const EvalArgs& a, const Model& m, const Matrix& X, const std::string& binarize, const Figures& f,
                double seconds) {
  const double neg_f = -f.mean_free_energy;
  std::cout << "model:   " << a.model << " (" << m.n_visible() << " " << to_string(m.visible_units) << " visible, "
            << m.n_hidden() << " " << to_string(m.hidden_units) << " hidden)\n"
            << "data:    " << a.data << " (" << X.rows() << " examples, binarize " << binarize << ")\n";
  if (f.exact_log_z) {
    std::cout << "method:  exact (" << f.enumeration << " enumerated)\n\n"
              << "log-likelihood per example: " << fixed(neg_f - *f.exact_log_z, 4) << " nats (exact)\n"
              << "log Z:                      " << fixed(*f.exact_log_z, 4) << " (exact)\n";
  } else {
    std::cout << "method:  " << (f.method == "both" ? "AIS and RAISE" : f.method == "ais" ? "AIS" : "RAISE")
              << " (" << (f.method == "both" && a.method == "auto" ? f.enumeration + " are too many to enumerate; " : "")
              << a.betas << " betas, seed " << a.seed << ")\n\n"
              << "log-likelihood per example (nats):\n";
    if (f.ais)
      std::cout << "  AIS    " << fixed(neg_f - f.ais->log_z) << "   3-sigma band [" << fixed(neg_f - f.ais->log_z_upper)
                << ", " << fixed(neg_f - f.ais->log_z_lower) << "], " << f.ais->log_weights.size() << " chains\n"
                << "         AIS tends to underestimate log Z, so this tends to OVERestimate the log-likelihood\n";
    if (f.raise)
      std::cout << "  RAISE  " << fixed(neg_f - f.raise->mean_log_z) << " +- " << fixed(f.raise->log_z_std_error)
                << " (standard error), " << f.raise_examples << " of " << X.rows() << " examples\n"
                << "         conservative: tends to UNDERestimate the log-likelihood\n";
    std::cout << "log Z:\n";
    if (f.ais)
      std::cout << "  AIS    " << fixed(f.ais->log_z) << "   3-sigma band [" << fixed(f.ais->log_z_lower) << ", "
                << fixed(f.ais->log_z_upper) << "]\n";
    if (f.raise) std::cout << "  RAISE  " << fixed(f.raise->mean_log_z) << " +- " << fixed(f.raise->log_z_std_error) << "\n";
  }
  std::cout << "mean free energy:      " << fixed(f.mean_free_energy) << "\n"
            << "reconstruction error:  " << fixed(f.reconstruction_error) << " (squared error per example)\n"
            << "pseudo-log-likelihood: "
            << (f.pll ? fixed(*f.pll) + " (" + a.pll + ")" : "n/a (" + f.pll_unsupported + ")") << "\n"
            << "elapsed: " << fixed(seconds, 1) << " s\n";
}

void run_eval(const EvalArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedModel loaded = load_model(a.model);
  const Model& m = loaded.model;
  const std::string binarize = a.binarize.empty() ? recorded_binarize(loaded.meta) : a.binarize;
  Dataset data = load_data(a.data, data_binarization(binarize, m.visible_units), {default_cache_dir(), true, a.json});
  if (data.cols() != m.n_visible())
    throw DataError("data " + a.data + " has " + std::to_string(data.cols()) + " columns but the model " + a.model +
                    " has " + std::to_string(m.n_visible()) + " visible units");
  if (data.empty()) throw DataError("data " + a.data + " has no examples");
  // Gaussian visible units: real data, standardised as the model was trained (figures are then
  // those of the standardised data).
  if (const auto standardization = read_model_standardization(a.model, m.n_visible()))
    data = standardize(data, *standardization);
  if (m.visible_units == UnitType::Bernoulli && !data.binary())
    throw DataError("data " + a.data + " has values other than 0 and 1; the log-likelihood of a binary RBM needs "
                    "binary data (use --binarize threshold or stochastic)");
  const Matrix X = to_matrix(data);
  const Figures f = evaluate(a, m, X);
  const double seconds = seconds_since(start);
  if (a.json)
    std::cout << to_json(a, m, X, binarize, f, seconds).dump() << std::endl;
  else
    print_text(a, m, X, binarize, f, seconds);
  std::cout.flush();
  for (const auto& w : f.warnings) std::cerr << "rbmkit: warning: " << w << "\n";
}

}  // namespace

Command add_eval(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "estimate a model's log-likelihood on a data set (exact, AIS, RAISE)");
  cmd->add_option("MODEL", a->model, "model.npz written by rbmkit train")->required();
  cmd->add_option("--data", a->data, "data spec to evaluate on, e.g. mnist:test or digits.npy")->required();
  cmd->add_option("--binarize", a->binarize, "binarisation of --data [default: the model's, else auto]");
  cmd->add_option("--method", a->method,
                  "auto (exact when enumeration takes at most 2^25 terms: 2^H or 3^H hidden states, or 2^d "
                  "visible ones, whichever is fewer; else both), exact (enumeration), ais, raise, or both (AIS "
                  "and RAISE) [default: auto]")
      ->check(CLI::IsMember({"auto", "exact", "ais", "raise", "both"}));
  cmd->add_option("--chains", a->chains, "AIS chains; RAISE uses this many examples (all when fewer) [default: 100]")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--betas", a->betas,
                  "annealing schedule length, in the proportions of Salakhutdinov and Murray's 14,500 [default: 14500]")
      ->check(CLI::Range(std::size_t{3}, std::size_t{100000000}));
  cmd->add_option("--seed", a->seed, "random seed [default: 0]");
  cmd->add_option("--pll", a->pll, "pseudo-log-likelihood: stochastic (one random bit per example) or exact (all bits); "
                                   "binary visible units only [default: stochastic]")
      ->check(CLI::IsMember({"stochastic", "exact"}));
  cmd->add_flag("--json", a->json, "print one JSON object with every figure");
  return {cmd, [a, cmd] {
            a->chains_given = cmd->count("--chains") > 0;
            a->betas_given = cmd->count("--betas") > 0;
            a->pll_given = cmd->count("--pll") > 0;
            run_eval(*a);
          }};
}

}  // namespace rbmkit::cli
