#include "rbmkit/io/model_data.hpp"

#include "rbmkit/data/standardize.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/options/train_options.hpp"

namespace rbmkit {

ModelData load_data_for(const LoadedModel& m, const std::string& spec, const std::string& binarize,
                        const DataOptions& options) {
  ModelData out;
  out.binarize = binarize;
  if (out.binarize.empty()) {
    const nlohmann::json recorded = recorded_setting(m, "binarize");
    out.binarize = recorded.is_string() ? recorded.get<std::string>() : "auto";
  }
  out.data = load_data(spec, data_binarization(out.binarize, m.model.visible_units), options);
  if (out.data.cols() != m.model.n_visible())
    throw DataError("data " + spec + " has " + std::to_string(out.data.cols()) + " columns but the model " + m.path +
                    " has " + std::to_string(m.model.n_visible()) + " visible units");
  if (out.data.empty()) throw DataError("data " + spec + " has no examples");
  if (m.standardization) out.data = standardize(out.data, *m.standardization);
  return out;
}

}  // namespace rbmkit
