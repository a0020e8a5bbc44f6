#include "rbmkit/options/reproduce_options.hpp"

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;

OptionTable<ReproduceSettings> make_reproduce_options() {
  using S = ReproduceSettings;
  return {
      field<S>({"NAME", "recipe", K::Text, "the recipe to run (rbmkit reproduce --list shows them)", R::Run, {}, {}, {},
                "name", "", "", true, false},
               &S::name),
      field<S>({"out", "output directory", K::Text, "directory for the model, its pictures and logs", R::Output, {}, {},
                {}, "", "DIR", "out/reproduce/NAME (NAME-quick with --quick)"},
               &S::out),
      field<S>({"quick", "quick run", K::Flag,
                "a run of a few minutes at most: the same pipeline with far fewer updates and a shorter AIS schedule "
                "(its figure is not comparable)",
                R::Run},
               &S::quick),
      field<S>({"resume", "resumed run", K::Flag,
                "continue an interrupted run of the recipe from the checkpoint in its output directory (SIGINT or "
                "SIGTERM ends a run after the current update with a checkpoint and exit status 3); the final model "
                "equals an uninterrupted run's",
                R::Run},
               &S::resume),
      field<S>({"list", "recipe list", K::Flag, "list the recipes with their published figures", R::Run}, &S::list),
  };
}

}  // namespace

const OptionTable<ReproduceSettings>& reproduce_options() {
  static const OptionTable<ReproduceSettings> table = make_reproduce_options();
  return table;
}

}  // namespace rbmkit
