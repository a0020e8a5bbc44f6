// Data for a model file: a data spec read the way the model needs it (binarised, checked against
// its visible units, standardised as it was trained). Every command that reads data for an
// existing model (eval, sample) goes through here.
#pragma once

#include <string>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/io/model_file.hpp"

namespace rbmkit {

struct ModelData {
  Dataset data;          // binarised, then standardised when the model stores a standardisation
  std::string binarize;  // the rule applied (resolve_binarization): the one given, else the
                         // model's recorded rule for its own training data, else the spec's default
};

// Loads `spec` for `m` with the binarisation `binarize`; empty means the rule recorded in the
// model's training settings when `spec` is the data it was trained on (recorded_spec), else auto
// (thresholded MNIST, files as they are). The rule is resolved for the model's visible units
// (data_binarization).
// Throws as load_data; ParameterError naming "binarize" for a rule the visible units refuse;
// DataError "data SPEC has N columns but the model PATH has M visible units" for the wrong width
// and "data SPEC has no examples" for none.
ModelData load_data_for(const LoadedModel& m, const std::string& spec, const std::string& binarize,
                        const DataOptions& options);

}  // namespace rbmkit
