#include "rbmkit/options/eval_options.hpp"

#include <cmath>

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;

OptionTable<EvalOptions> make_eval_options() {
  using S = EvalOptions;
  return {
      field<S>({"method", "evaluation method", K::Choice,
                "auto (exact when enumeration takes at most 2^25 terms: 2^H or 3^H hidden states, or 2^d visible "
                "ones, whichever is fewer; else both), exact (enumeration), ais, raise, or both (AIS and RAISE)",
                R::Run},
               &S::method),
      field<S>({"ais-chains", "number of AIS chains", K::Integer, "AIS chains", R::Run, NumberRange{1, 1000000},
                {}, {}, "n_chains"},
               &S::ais_chains),
      field<S>({"raise-examples", "number of RAISE examples", K::Integer,
                "examples RAISE scores (all when the data has fewer)", R::Run, NumberRange{1, 1000000}, {}, {},
                "n_examples"},
               &S::raise_examples),
      field<S>({"betas", "annealing schedule length", K::Integer,
                "annealing schedule length, in the proportions of Salakhutdinov and Murray's 14,500", R::Run,
                NumberRange{3, 100000000}},
               &S::betas),
      field<S>({"seed", "random seed", K::Integer, "random seed", R::Run, NumberRange{0, HUGE_VAL}, {}, {},
                "random_state"},
               &S::seed),
      field<S>({"pll", "pseudo-likelihood method", K::Choice,
                "pseudo-log-likelihood: stochastic (one random bit per example) or exact (all bits); binary visible "
                "units only",
                R::Run},
               &S::pll),
      field<S>({"precision", "precision of the chains' products", K::Choice,
                "AIS and RAISE chains' downward products h W^T: fp32, bf16, or auto (bf16 where the CPU runs it in "
                "hardware); the weights and exact enumeration are always computed from the fp32 model",
                R::Run},
               &S::precision),
  };
}

// --chains N: AIS chains and RAISE examples together.
Option<EvalSettings> chains_option() {
  Option<EvalSettings> o{{"chains", "number of AIS chains", K::Integer,
                          "AIS chains and RAISE examples together (--ais-chains and --raise-examples)", R::Run,
                          NumberRange{1, 1000000}},
                         {},
                         {}};
  o.get = [](const EvalSettings& s) { return nlohmann::json(s.eval.ais_chains); };
  o.put = [](EvalSettings& s, const nlohmann::json& v) {
    s.eval.ais_chains = s.eval.raise_examples = v.get<std::size_t>();
  };
  return o;
}

OptionTable<EvalSettings> make_eval_command_options() {
  using S = EvalSettings;
  OptionTable<S> t = {
      field<S>({"MODEL", "model file", K::Text, "model.npz written by rbmkit train", R::Output, {}, {}, {}, "model", "",
                "", true, true},
               &S::model),
      field<S>({"data", "evaluation data", K::Text, "data spec to evaluate on, e.g. mnist:test or digits.npy", R::Run,
                {}, {}, {}, "", "SPEC", "", false, true},
               &S::data),
      optional_text<S>({"binarize", "binarisation", K::Text, "binarisation of --data", R::Run, {}, {}, {}, "", "RULE",
                        "the model's, else auto"},
                       &S::binarize),
  };
  t = concat(std::move(t), lift(eval_options(), &S::eval));
  t.push_back(chains_option());
  t.push_back(optional_text<S>({"per-example", "per-example file", K::Text,
                                "also write each example's log-likelihood -F(x) - log Z (log Z the headline's) as "
                                "float64 .npy, for outlier detection",
                                R::Output, {}, {}, {}, "", "NPY"},
                               &S::per_example));
  return t;
}

}  // namespace

const OptionTable<EvalOptions>& eval_options() {
  static const OptionTable<EvalOptions> table = make_eval_options();
  return table;
}

const OptionTable<EvalSettings>& eval_command_options() {
  static const OptionTable<EvalSettings> table = make_eval_command_options();
  return table;
}

}  // namespace rbmkit
