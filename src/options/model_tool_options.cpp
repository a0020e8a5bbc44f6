#include "rbmkit/options/model_tool_options.hpp"

#include <cmath>

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;

OptionTable<TransformSettings> make_transform_options() {
  using S = TransformSettings;
  return {
      field<S>({"MODEL", "model file", K::Text, "model.npz written by rbmkit train", R::Output, {}, {}, {}, "model", "",
                "", true, true},
               &S::model),
      field<S>({"data", "data to transform", K::Text, "data spec whose examples to transform", R::Run, {}, {}, {}, "",
                "SPEC", "", false, true},
               &S::data),
      optional_text<S>({"binarize", "binarisation", K::Text, "binarisation of --data", R::Run, {}, {}, {}, "", "RULE",
                        "the model's for its own training data, else auto"},
                       &S::binarize),
      field<S>({"out", "hidden features file", K::Text, "the features as float32 .npy of shape (examples, hidden units)",
                R::Output, {}, {}, {}, "", "NPY", "", false, true},
               &S::out),
      field<S>({"sample", "sampled states", K::Flag, "write states h ~ p(h | x) instead of the means E[h | x]", R::Run},
               &S::sample),
      field<S>({"seed", "random seed", K::Integer, "random seed of --sample", R::Run, NumberRange{0, HUGE_VAL}, {}, {},
                "random_state"},
               &S::seed),
  };
}

OptionTable<ImportSettings> make_import_options() {
  using S = ImportSettings;
  return {
      field<S>({"FROM", "toolkit", K::Choice, "the toolkit the model comes from", R::Output, {}, {"sklearn"}, {}, "from",
                "", "", true, true},
               &S::from),
      field<S>({"FILE", "model to import", K::Text,
                "sklearn: an .npz with a fitted BernoulliRBM's components_ (H, d), intercept_hidden_ (H) and "
                "intercept_visible_ (d), e.g. numpy.savez(f, components_=rbm.components_, ...)",
                R::Output, {}, {}, {}, "source", "", "", true, true},
               &S::source),
      field<S>({"out", "model file to write", K::Text, "the model.npz to write", R::Output, {}, {}, {}, "", "NPZ", "",
                false, true},
               &S::out),
  };
}

}  // namespace

const OptionTable<TransformSettings>& transform_options() {
  static const OptionTable<TransformSettings> table = make_transform_options();
  return table;
}

const OptionTable<ImportSettings>& import_options() {
  static const OptionTable<ImportSettings> table = make_import_options();
  return table;
}

}  // namespace rbmkit
