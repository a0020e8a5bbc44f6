// What a log-likelihood evaluation is configured with (evaluation/evaluate.hpp), the
// `rbmkit eval` command's settings, and their option tables (option.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "rbmkit/options/enums.hpp"
#include "rbmkit/options/option.hpp"

namespace rbmkit {

// The default annealing schedule of Salakhutdinov and Murray (2008), section 4.1: 14,500
// inverse temperatures (evaluation/annealing.hpp), and the default number of AIS chains.
inline constexpr std::size_t kDefaultBetas = 14500;
inline constexpr std::size_t kDefaultChains = 100;

// How evaluate() estimates the log-likelihood.
struct EvalOptions {
  EvalMethod method = EvalMethod::Auto;
  std::size_t ais_chains = kDefaultChains;      // AIS chains
  std::size_t raise_examples = kDefaultChains;  // RAISE scores this many examples (all when fewer)
  std::size_t betas = kDefaultBetas;            // annealing schedule length
  std::uint64_t seed = 0;
  PllMethod pll = PllMethod::Stochastic;
  Precision precision = Precision::Auto;  // AIS and RAISE chains' downward products (evaluation/ais.hpp)
  // Names of the options set explicitly (to warn about those the chosen method ignores).
  std::set<std::string> given;
};

// The `rbmkit eval` command.
struct EvalSettings {
  std::string model;     // model.npz
  std::string data;      // data spec
  std::string binarize;  // empty: the model's recorded rule, else auto
  EvalOptions eval;
  std::string per_example;  // .npy of each example's log-likelihood (float64, n); empty: none
};

const OptionTable<EvalOptions>& eval_options();
// The command's table: MODEL, --data, --binarize, eval_options() lifted, --chains (sets both
// --ais-chains and --raise-examples, as before they were split) and --per-example.
const OptionTable<EvalSettings>& eval_command_options();

}  // namespace rbmkit
