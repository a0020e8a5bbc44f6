#include "rbmkit/options/sample_options.hpp"

#include <cmath>

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;

template <class S>
Option<S> model_option(std::string S::*member) {
  return field<S>({"MODEL", "model file", K::Text, "model.npz written by rbmkit train", R::Output, {}, {}, {}, "model",
                   "", "", true, true},
                  member);
}

template <class S>
Option<S> scale_option(std::size_t S::*member) {
  return field<S>({"scale", "picture scale", K::Integer, "draw each pixel as an N x N block", R::Output,
                   NumberRange{1, 16}, {}, {}, "", "N"},
                  member);
}

template <class S>
Option<S> tile_option(std::string S::*member) {
  return optional_text<S>({"tile", "tile shape", K::Text, "tile shape WxH", R::Output, {}, {}, {}, "", "WxH",
                           "the training data's image shape, else square"},
                          member);
}

OptionTable<SampleSettings> make_sample_options() {
  using S = SampleSettings;
  return {
      model_option<S>(&S::model),
      field<S>({"chains", "number of chains", K::Integer, "number of chains", R::Run, NumberRange{1, 1000000}, {}, {},
                "n_samples"},
               &S::chains),
      field<S>({"steps", "number of Gibbs steps", K::Integer, "Gibbs steps per chain", R::Run,
                NumberRange{1, 100000000}, {}, {}, "n_steps"},
               &S::steps),
      field<S>({"from", "chain start", K::Choice,
                "start at random data examples or at noise (coin flips; N(a, I) for Gaussian visible units)", R::Run,
                {}, {"auto", "data", "noise"}, {}, "init", "", "data when a data spec is known"},
               &S::from),
      optional_text<S>({"data", "starting data", K::Text, "data spec to start from", R::Run, {}, {}, {}, "", "SPEC",
                        "the model's training data"},
                       &S::data),
      optional_text<S>({"binarize", "binarisation", K::Text, "binarisation of --data", R::Run, {}, {}, {}, "", "RULE",
                        "the model's"},
                       &S::binarize),
      field<S>({"seed", "random seed", K::Integer, "random seed", R::Run, NumberRange{0, HUGE_VAL}, {}, {},
                "random_state"},
               &S::seed),
      field<S>({"precision", "precision of the products", K::Choice,
                "the chains' matrix products: fp32, bf16 (W rounded to bf16, fp32 accumulation), or auto (bf16 where "
                "the CPU runs it in hardware)",
                R::Run},
               &S::precision),
      optional_text<S>({"out", "sample picture", K::Text,
                        "PNG grid of the final conditional means E[v | h] (Gaussian visible units: un-standardised and "
                        "scaled to the grid's range)",
                        R::Output, {}, {}, {}, "", "PNG"},
                       &S::out),
      optional_text<S>({"npy", "sample states file", K::Text,
                        "also write the final states (chains, d) as float32 .npy (binary; real and un-standardised "
                        "for Gaussian visible units)",
                        R::Output, {}, {}, {}, "", "NPY"},
                       &S::npy),
      tile_option<S>(&S::tile),
      scale_option<S>(&S::scale),
      optional_text<S>({"clamp", "clamped units", K::Text,
                        "conditional sampling: hold these visible units at the data's values and sample the rest: a "
                        ".npy of d values 0/1 (1 = held), or top-half, bottom-half, left-half or right-half of the image",
                        R::Run, {}, {}, {}, "", "MASK"},
                       &S::clamp),
  };
}

OptionTable<ShowSettings> make_show_options() {
  using S = ShowSettings;
  return {
      model_option<S>(&S::model),
      field<S>({"out", "weight picture", K::Text, "PNG file to write", R::Output, {}, {}, {}, "", "PNG", "", false,
                true},
               &S::out),
      tile_option<S>(&S::tile),
      scale_option<S>(&S::scale),
  };
}

}  // namespace

const OptionTable<SampleSettings>& sample_options() {
  static const OptionTable<SampleSettings> table = make_sample_options();
  return table;
}

const OptionTable<ShowSettings>& show_options() {
  static const OptionTable<ShowSettings> table = make_show_options();
  return table;
}

}  // namespace rbmkit
