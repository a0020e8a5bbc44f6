#include "rbmkit/workflows/fit_run.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/workflows/train_run.hpp"

namespace rbmkit {
namespace {

// Keeps each report and evaluation as its train.jsonl record, and passes progress on.
class HistoryObserver : public TrainObserver {
 public:
  HistoryObserver(std::vector<nlohmann::json>& history, const std::function<void(std::uint64_t, std::uint64_t)>& progress)
      : history_(history), progress_(progress) {}
  void on_progress(std::uint64_t update, std::uint64_t total, double) override {
    if (progress_) progress_(update, total);
  }
  void on_report(const TrainReport& r) override {
    history_.push_back(to_json(r));
    if (progress_) progress_(r.update, r.total_updates);
  }
  void on_evaluation(const EvalPoint& p) override { history_.push_back(to_json(p)); }

 private:
  std::vector<nlohmann::json>& history_;
  const std::function<void(std::uint64_t, std::uint64_t)>& progress_;
};

}  // namespace

bool fit_accepts(const Option<TrainSettings>& o) {
  static const std::set<std::string> needs_files = {"checkpoint-every", "checkpoint-seconds", "eval-every"};
  const auto& loop = train_config_options();
  const bool in_loop = std::any_of(loop.begin(), loop.end(), [&](const auto& c) { return c.name == o.name; });
  return (in_loop && !needs_files.count(o.name)) || o.name == "standardize" || o.name == "data" || o.name == "binarize";
}

TrainSettings resolve_fit_settings(const OptionValues& given) {
  TrainSettings s = settings_for_preset("none");
  s.data.clear();
  bool updates = false, epochs = false;
  for (const auto& [name, value] : given) {
    const Option<TrainSettings>& o = train_option(name);
    if (!fit_accepts(o))
      throw ParameterError(o.name, o.label + " is not a setting of training on data in memory");
    o.check(value);
    updates |= o.name == "updates" && !value.is_null();
    epochs |= o.name == "epochs" && !value.is_null();
  }
  if (updates && epochs)
    throw ParameterError("epochs", "the number of epochs replaces the number of updates: give one of them, not both");
  for (const auto& [name, value] : given) set_option_json(s, train_option(name), value);
  check_settings(s);
  validate(s.config);
  return s;
}

Fit fit(const OptionValues& given, const Dataset* data, const FitControl& control, const MessageSink& messages) {
  Fit out;
  out.settings = resolve_fit_settings(given);
  const TrainSettings& s = out.settings;
  std::set<std::string> names;
  for (const auto& [name, value] : given) names.insert(train_option(name).name);
  out.warnings = train_warnings(s, names);
  Dataset loaded;
  if (!data) {
    if (s.data.empty()) throw ParameterError("data", "no training data: give an array or a data spec");
    loaded = load_data(s.data, data_binarization(s.binarize, s.config.visible_units),
                       {default_cache_dir(), true, messages});
    data = &loaded;
  } else if (!s.data.empty()) {
    throw ParameterError("data", "a data spec was given with data in memory; give one of them");
  }
  try {
    check_model_size(data->cols(), s.config.hidden);
  } catch (const InvalidArgument& e) {
    throw ParameterError("hidden", "number of hidden units " + std::to_string(s.config.hidden) + ": " + e.what());
  }
  if (data->empty()) throw DataError("the training data has no examples");
  out.n_examples = data->rows();
  out.meta = training_meta(recorded_settings(s), *data);
  Dataset standardized;
  if (s.standardize) {
    out.standardization = control.standardization ? *control.standardization : fit_standardization(*data);
    standardized = standardize(*data, *out.standardization);
    data = &standardized;
  }
  HistoryObserver history(out.history, control.progress);
  TrainControl train_control;
  train_control.resume = control.resume;
  train_control.stop = control.stop;
  train_control.stopped = &out.stopped;
  train_control.until = control.until;
  train_control.final_state = &out.state;
  train_control.any_finite_values = control.any_finite_values;
  out.model = train(s.config, *data, nullptr, {&history}, train_control);
  return out;
}

}  // namespace rbmkit
