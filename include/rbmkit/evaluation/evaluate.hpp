// The evaluation workflow: one call from a model and a data set to every figure a front end
// shows, with the choice of method, the RAISE subset, the warnings and which figure is the
// headline (and why) decided here, not by the front end.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/raise.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/eval_options.hpp"

namespace rbmkit {

// AIS and RAISE disagreeing by more than this many nats per example get a warning.
inline constexpr double kAisRaiseDisagreement = 1.0;

struct LikelihoodReport {
  EvalMethod requested = EvalMethod::Auto;
  EvalMethod method = EvalMethod::Auto;  // what ran: Exact, Ais, Raise or Both (never Auto)
  std::size_t n_examples = 0;
  std::string enumeration;  // what exact enumeration visits ("2^20 = 1048576 hidden states"),
                            // with the auto and exact methods
  double mean_free_energy = 0, reconstruction_error = 0;
  std::optional<double> pseudo_log_likelihood;  // absent where it is not defined
  std::string pll_unsupported;                  // then why (pll_unsupported_reason)
  std::optional<double> exact_log_z;
  std::optional<AisResult> ais;
  std::optional<RaiseResult> raise;
  std::size_t raise_examples = 0;
  double exact_seconds = 0, ais_seconds = 0, raise_seconds = 0;  // each estimator's wall time
  // The headline: exact, else AIS, else RAISE; log p = -mean F - log Z.
  std::string headline;         // "exact", "ais" or "raise"
  std::string headline_reason;  // why that figure, in one sentence
  double log_z = 0, log_z_std_error = 0;
  double log_likelihood = 0, log_likelihood_std_error = 0;
  // True when the headline is a positive log-likelihood of binary data: a probability is at most
  // 1, so the figure is certainly wrong (a warning says so).
  bool impossible = false;
  std::vector<Warning> warnings;
};

// Evaluates m on the rows of X (n, d), binary for Bernoulli visible units:
//   auto   exact enumeration when it takes at most kQuickEnumerationTerms terms (exact.hpp),
//          else AIS and RAISE together;
//   exact, ais, raise, both  as named.
// RAISE scores options.raise_examples rows (choose_examples), AIS runs options.ais_chains
// chains, both on annealing_schedule(options.betas) from the base model fitted to X. Options
// that the chosen method ignores, but were given (options.given), are warned about, and so is
// an AIS and RAISE disagreement of more than kAisRaiseDisagreement nats, and so is any positive
// log-likelihood of binary data (impossible: p(x) <= 1).
// `progress` hears how far AIS and RAISE are.
// Throws ParameterError for options out of range, DataError for X of the wrong width or without
// rows, and InvalidArgument for a model whose unit types are not supported.
LikelihoodReport evaluate(const Model& m, const Matrix& X, const EvalOptions& options,
                          const ProgressSink& progress = {});

}  // namespace rbmkit
