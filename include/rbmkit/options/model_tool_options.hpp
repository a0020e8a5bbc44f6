// The `rbmkit transform` and `rbmkit import` commands' settings and their option tables
// (option.hpp): hidden features of data for downstream use, and models made elsewhere.
#pragma once

#include <cstdint>
#include <string>

#include "rbmkit/options/option.hpp"

namespace rbmkit {

// The `rbmkit transform` command: the hidden means E[h | x] (or sampled states) of each example.
struct TransformSettings {
  std::string model;
  std::string data;      // data spec
  std::string binarize;  // empty: the model's rule for its own data, else auto (io/model_data.hpp)
  std::string out;       // .npy of float32 (n, H)
  bool sample = false;   // draw h ~ p(h | x) instead of the means
  std::uint64_t seed = 0;
};

// The `rbmkit import` command: a model saved by another toolkit, as a model.npz.
struct ImportSettings {
  std::string from = "sklearn";  // the toolkit: sklearn (a BernoulliRBM's fitted attributes)
  std::string source;            // .npz with components_ (H, d), intercept_hidden_ (H), intercept_visible_ (d)
  std::string out;               // model.npz to write
};

const OptionTable<TransformSettings>& transform_options();
const OptionTable<ImportSettings>& import_options();

}  // namespace rbmkit
