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
    // The model's own rule belongs to the data it was trained on; any other data is read by its
    // spec's default (auto: thresholded MNIST, files as they are).
    const nlohmann::json rule = recorded_setting(m, "binarize"), data = recorded_setting(m, "data");
    const bool same_data = data.is_string() && (data == spec || data == recorded_spec(spec));
    out.binarize = same_data && rule.is_string() ? rule.get<std::string>() : "auto";
  }
  const Binarization rule = resolve_binarization(spec, data_binarization(out.binarize, m.model.visible_units));
  out.binarize = to_string(rule);
  out.data = load_data(spec, rule, options);
  if (out.data.cols() != m.model.n_visible())
    throw DataError("data " + spec + " has " + std::to_string(out.data.cols()) + " columns but the model " + m.path +
                    " has " + std::to_string(m.model.n_visible()) + " visible units");
  if (out.data.empty()) throw DataError("data " + spec + " has no examples");
  if (m.standardization) out.data = standardize(out.data, *m.standardization);
  return out;
}

}  // namespace rbmkit
