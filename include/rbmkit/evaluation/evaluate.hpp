// The evaluation workflow: one call from a model and a data set to every figure a front end
// shows, with the choice of method, the RAISE subset, the warnings and which figure is the
// headline (and why) decided here, not by the front end.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/bounds.hpp"
#include "rbmkit/evaluation/raise.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/eval_options.hpp"

namespace rbmkit {

// AIS and RAISE disagreeing by more than this many nats per example get a warning.
inline constexpr double kAisRaiseDisagreement = 1.0;
// An estimate of log Z this many nats below the certified bound gets a warning (any amount below
// it is marked in the report: the estimate missed mass).
inline constexpr double kBoundGapWarning = 0.1;

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
  std::optional<AisResult> ais;        // AIS from the data's base-rate model
  std::optional<AisResult> ais_model;  // AIS from the model with its weights off (W = 0, b = 0)
  std::optional<RaiseResult> raise;
  std::size_t raise_examples = 0;
  LogZBound bound;                     // certified: log Z >= bound.log_z_lower (bounds.hpp)
  double log_likelihood_upper = 0;     // -mean F - bound.log_z_lower: certainly at most this
  double exact_seconds = 0, ais_seconds = 0, ais_model_seconds = 0, raise_seconds = 0, bound_seconds = 0;
  // The headline; log p = -mean F - log Z:
  //   "exact"      enumeration;
  //   "ais", "ais-model"  the larger AIS estimate, when it is at least the bound;
  //   "bound"      the certified bound, when both AIS estimates fall below it (they missed mass;
  //                the headline log-likelihood is then an upper bound);
  //   "raise"      RAISE, when only RAISE ran.
  // The larger of two AIS estimates (stochastic lower bounds: each exceeds the true log Z by t
  // nats with probability at most e^-t) and the certified bound exceeds the true log Z by more
  // than log 2 + t nats with probability at most e^-t.
  std::string headline;
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
// AIS runs twice, options.ais_chains chains each: from the base model fitted to X (the
// standard start) and from the model with its weights off, which starts in the mass of h = 0
// that chains from the data can miss. RAISE scores options.raise_examples rows
// (choose_examples). Both anneal along annealing_schedule(options.betas). Every method also
// computes the certified bound (certified_log_z_bound, from the data and the AIS chains' final
// states) and warns when an estimate falls below it, and when AIS's weight diagnostics show
// that it rests on a few chains. Options
// that the chosen method ignores, but were given (options.given), are warned about, and so is
// an AIS and RAISE disagreement of more than kAisRaiseDisagreement nats, and so is any positive
// log-likelihood of binary data (impossible: p(x) <= 1).
// `progress` hears how far AIS and RAISE are.
// Throws ParameterError for options out of range, DataError for X of the wrong width or without
// rows, and InvalidArgument for a model whose unit types are not supported.
LikelihoodReport evaluate(const Model& m, const Matrix& X, const EvalOptions& options,
                          const ProgressSink& progress = {});

}  // namespace rbmkit
