// What sampling a model is configured with (workflows/sample.hpp), the `rbmkit sample` and
// `rbmkit show` commands' settings, and their option tables (option.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "rbmkit/options/enums.hpp"
#include "rbmkit/options/option.hpp"

namespace rbmkit {

// The `rbmkit sample` command: alternating Gibbs chains from a model.
struct SampleSettings {
  std::string model;                    // model.npz
  std::size_t chains = 100;             // Gibbs chains
  std::size_t steps = 1000;             // Gibbs steps per chain
  SampleStart from = SampleStart::Auto; // data examples, noise, or data when a data spec is known
  std::string data;                     // data spec to start from; empty: the model's training data
  std::string binarize;                 // binarisation of data; empty: the model's
  std::uint64_t seed = 0;
  Precision precision = Precision::Auto;  // of the chains' products (model/products.hpp)
  std::string out = "samples.png";      // PNG grid of the final conditional means; empty: none
  std::string npy;                      // also the final states as float32 .npy; empty: none
  std::string tile;                     // WxH; empty: the training data's image shape, else square
  std::size_t scale = 1;                // each pixel of the picture drawn as scale x scale
  // Conditional sampling (inpainting): a .npy mask of d values 0/1 (1 = held at the data's
  // value), or a region of the image: top-half, bottom-half, left-half, right-half. Empty: none.
  std::string clamp;
};

// The `rbmkit show` command: a model's weight mosaic.
struct ShowSettings {
  std::string model;
  std::string out;
  std::string tile;
  std::size_t scale = 1;
};

const OptionTable<SampleSettings>& sample_options();
const OptionTable<ShowSettings>& show_options();

}  // namespace rbmkit
