// The `rbmkit sample` and `rbmkit show` workflows: alternating Gibbs chains from a model file,
// written as a picture and a .npy file, and a model file's weight mosaic.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rbmkit/messages.hpp"
#include "rbmkit/options/sample_options.hpp"
#include "rbmkit/sampling/chains.hpp"

namespace rbmkit {

struct SampleRun {
  Chains chains;  // final states and means, un-standardised for Gaussian visible units
  std::vector<std::pair<std::string, std::string>> files;  // ("samples", path), ("states", path)
};

// Starts settings.chains chains at random examples of the data (settings.data, else the model's
// training data, read by load_data_for) or at noise (sampling/chains.hpp: noise_for), runs
// settings.steps Gibbs steps and writes settings.out (the final conditional means as a mosaic)
// and settings.npy (the final states, float32) when they are not empty. Throws ParameterError for
// conflicting settings or chains that would not fit in memory, and as load_model and
// load_data_for.
SampleRun run_sampling(const SampleSettings& settings, const MessageSink& messages = {});

// Writes settings.out, the weight mosaic of settings.model. Throws as load_model and
// write_weights_png.
void run_show(const ShowSettings& settings);

}  // namespace rbmkit
