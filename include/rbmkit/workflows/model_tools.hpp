// The `rbmkit transform` and `rbmkit import` workflows: a model file's hidden features of a data
// set, and a model made elsewhere written as a model.npz.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rbmkit/messages.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/model_tool_options.hpp"

namespace rbmkit {

struct TransformRun {
  Matrix features;  // (n, H): E[h | x] of each example, or states drawn from it
  std::vector<std::pair<std::string, std::string>> files;
};

// Reads settings.data for the model (io/model_data.hpp), computes the hidden means (or, with
// settings.sample, states from stream (Purpose::Transform, 0)) and writes them to settings.out
// as float32 .npy. Throws ParameterError for an output name that does not end in .npy, and as
// load_model and load_data_for.
TransformRun run_transform(const TransformSettings& settings, const MessageSink& messages = {});

// Reads settings.source (io/foreign_model.hpp) and writes it as the model.npz settings.out, its
// meta naming where it came from. Returns the model.
Model run_import(const ImportSettings& settings);

}  // namespace rbmkit
