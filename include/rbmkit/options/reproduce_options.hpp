// The `rbmkit reproduce` command: a named recipe (workflows/reproduce_run.hpp) run end to end.
#pragma once

#include <string>

#include "rbmkit/options/option.hpp"

namespace rbmkit {

struct ReproduceSettings {
  std::string name;   // the recipe; empty with list
  std::string out;    // output directory; empty: out/reproduce/NAME (out/reproduce/NAME-quick)
  bool quick = false; // a few minutes' version of the recipe: checks the pipeline, not the figure
  bool resume = false;  // continue the interrupted run in out (its checkpoint must be this recipe's)
  bool list = false;  // list the recipes instead
};

const OptionTable<ReproduceSettings>& reproduce_options();

}  // namespace rbmkit
