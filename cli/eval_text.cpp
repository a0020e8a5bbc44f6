#include "eval_text.hpp"

#include <iostream>

#include "number_text.hpp"

namespace rbmkit::cli {

void print_eval_text(const EvalRun& run) {
  const LikelihoodReport& f = run.report;
  const EvalSettings& a = run.settings;
  const double neg_f = -f.mean_free_energy;
  std::cout << "model:   " << a.model << " (" << run.n_visible << " " << to_string(run.visible_units) << " visible, "
            << run.n_hidden << " " << to_string(run.hidden_units) << " hidden)\n"
            << "data:    " << a.data << " (" << f.n_examples << " examples, binarize " << run.binarize << ")\n";
  if (f.exact_log_z) {
    std::cout << "method:  exact (" << f.enumeration << " enumerated)\n\n"
              << "log-likelihood per example: " << fixed(neg_f - *f.exact_log_z, 4) << " nats (exact)\n"
              << "log Z:                      " << fixed(*f.exact_log_z, 4) << " (exact)\n";
  } else {
    std::cout << "method:  "
              << (f.method == EvalMethod::Both ? "AIS and RAISE" : f.method == EvalMethod::Ais ? "AIS" : "RAISE") << " ("
              << (f.method == EvalMethod::Both && f.requested == EvalMethod::Auto
                      ? f.enumeration + " are too many to enumerate; "
                      : "")
              << a.eval.betas << " betas, seed " << a.eval.seed << ")\n\n"
              << "log-likelihood per example (nats):\n";
    const bool binary = run.visible_units == UnitType::Bernoulli;
    const auto ais_lines = [&](const char* name, const AisResult& a, const char* start) {
      const WeightDiagnostics& d = a.diagnostics;
      std::cout << "  " << name << fixed(neg_f - a.log_z) << "   3-sigma band [" << fixed(neg_f - a.log_z_upper) << ", "
                << fixed(neg_f - a.log_z_lower) << "], " << a.log_weights.size() << " chains from " << start << "\n"
                << "         weights worth " << fixed(d.effective_sample_size, 1) << " chains, largest "
                << fixed(100 * d.largest_share, 1) << "%, replicates within " << fixed(d.group_spread, 2) << " nats"
                << (d.unreliable ? "  (UNRELIABLE)" : "") << (a.log_z < f.bound.log_z_lower ? "  (BELOW THE BOUND)" : "")
                << (binary && neg_f - a.log_z > 0 ? "  (IMPOSSIBLE: positive)" : "") << "\n";
    };
    if (f.ais) ais_lines("AIS    ", *f.ais, "the data's base rate");
    if (f.ais_model) ais_lines("AIS    ", *f.ais_model, "the model with its weights off");
    if (f.ais)
      std::cout << "         AIS tends to underestimate log Z, so it tends to OVERestimate the log-likelihood\n";
    if (f.raise)
      std::cout << "  RAISE  " << fixed(neg_f - f.raise->mean_log_z) << " +- " << fixed(f.raise->log_z_std_error)
                << " (standard error), " << f.raise_examples << " of " << f.n_examples << " examples\n"
                << "         conservative: tends to UNDERestimate the log-likelihood\n";
    std::cout << "  headline " << fixed(f.log_likelihood) << " (" << f.headline << ": " << f.headline_reason << ")\n"
              << "log Z:\n";
    for (const auto* a : {f.ais ? &*f.ais : nullptr, f.ais_model ? &*f.ais_model : nullptr})
      if (a)
        std::cout << "  AIS    " << fixed(a->log_z) << "   3-sigma band [" << fixed(a->log_z_lower) << ", "
                  << fixed(a->log_z_upper) << "]\n";
    if (f.raise) std::cout << "  RAISE  " << fixed(f.raise->mean_log_z) << " +- " << fixed(f.raise->log_z_std_error) << "\n";
  }
  std::cout << "certified bound: log Z >= " << fixed(f.bound.log_z_lower, 4) << " (" << f.bound.states << " "
            << (f.bound.hidden_side ? "hidden" : "visible") << " states; largest term: " << f.bound.largest
            << "), so the log-likelihood is at most " << fixed(f.log_likelihood_upper, 4) << "\n";
  if (f.impossible)
    std::cout << "\nIMPOSSIBLE: a positive log-likelihood of binary data (" << fixed(f.log_likelihood)
              << "); this figure is wrong, see the warning below\n\n";
  std::cout << "mean free energy:      " << fixed(f.mean_free_energy) << "\n"
            << "reconstruction error:  " << fixed(f.reconstruction_error) << " (squared error per example)\n"
            << "pseudo-log-likelihood: "
            << (f.pseudo_log_likelihood ? fixed(*f.pseudo_log_likelihood) + " (" + enum_name(a.eval.pll) + ")"
                                        : "n/a (" + f.pll_unsupported + ")")
            << "\n"
            << "elapsed: " << fixed(run.seconds, 1) << " s\n";
}

}  // namespace rbmkit::cli
