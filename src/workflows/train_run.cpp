#include "rbmkit/workflows/train_run.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/data/standardize.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/bounds.hpp"
#include "rbmkit/evaluation/heldout.hpp"
#include "rbmkit/io/checkpoint.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/pictures/learning_curve.hpp"
#include "rbmkit/pictures/model_pictures.hpp"

namespace rbmkit {
namespace {

void normalize_recorded(TrainSettings& s) { s = recorded_settings(std::move(s)); }

std::string given_text(const OptionValues& given, const std::string& option) {
  for (const auto& [name, value] : given)
    if (train_option(name).name == option && value.is_string()) return value.get<std::string>();
  return "";
}

struct Resolved {
  TrainSettings settings;
  std::optional<LoadedCheckpoint> checkpoint;
  std::optional<LoadedModel> init;
  std::string out;
  std::set<std::string> given;
};

// Takes the initial model's shape and unit types for the settings the user did not give.
void adopt_init(Resolved& r, const TrainRunCallbacks& callbacks) {
  TrainConfig& c = r.settings.config;
  const Model& m = r.init->model;
  const auto take = [&](const char* name, auto& field, auto value) {
    if (!r.given.count(name)) field = value;
  };
  take("hidden", c.hidden, m.n_hidden());
  take("visible-units", c.visible_units, m.visible_units);
  take("hidden-units", c.hidden_units, m.hidden_units);
  take("visible-bias", c.visible_bias, m.visible_bias);
  tell(callbacks.messages, "init: " + r.settings.init + " (" + std::to_string(m.n_visible()) + " x " +
                               std::to_string(m.n_hidden()) + ")");
}

Resolved resolve(const OptionValues& given, const TrainRunCallbacks& callbacks) {
  Resolved r;
  for (const auto& [name, value] : given) r.given.insert(train_option(name).name);
  const std::string resume = given_text(given, "resume"), out = given_text(given, "out");
  if (!resume.empty()) {
    if (!out.empty() && out != resume)
      throw ParameterError("out", "output directory " + out + " conflicts with the run to resume, " + resume +
                                      " (a run resumes in place)");
    const std::string path = resume + "/checkpoint.npz";
    r.checkpoint = load_checkpoint(path);
    r.settings =
        resume_train_settings(r.checkpoint->meta.value("settings", nlohmann::json()), given, path, normalize_recorded);
    r.out = resume;
  } else {
    r.settings = resolve_train_settings(given);
    r.out = !out.empty() ? out : "out/" + (r.settings.preset == "none" ? std::string("run") : r.settings.preset);
    if (r.settings.preset == "none" && !r.given.count("preset")) {
      std::string model_options;
      for (const auto& name : r.given)
        if (train_option(name).role == OptionRole::Model) model_options += (model_options.empty() ? "" : ", ") + name;
      if (!model_options.empty())
        tell(callbacks.messages, "settings: the general defaults, since model settings were given (" + model_options +
                                     "); --preset seed starts from the exercise's instead");
    }
  }
  if (!r.settings.init.empty() && !r.checkpoint) {
    r.init = load_model(r.settings.init);
    adopt_init(r, callbacks);
  }
  check_settings(r.settings);
  validate(r.settings.config);
  if (!r.settings.tile.empty()) parse_tile(r.settings.tile);
  return r;
}

// On --resume: the run must still have updates to do; a thread count other than the stored one is
// allowed but changes the bits.
void check_resume(const Resolved& r, std::uint64_t total, const TrainRunCallbacks& callbacks, TrainRun& run) {
  const TrainState& state = r.checkpoint->state;
  if (state.update > total)
    throw ParameterError(r.given.count("epochs") ? "epochs" : "updates",
                         "the checkpoint in " + r.out + " is at update " + std::to_string(state.update) + ", past the " +
                             std::to_string(total) + " updates asked for; a run can be extended, not shortened");
  if (state.update == total) {
    run.already_complete = true;
    tell(callbacks.messages, "the run in " + r.out + " is already complete (update " + std::to_string(state.update) +
                                 " of " + std::to_string(total) +
                                 "): its model and pictures are written again from the final checkpoint; give a larger "
                                 "number of updates or epochs to train it further");
    return;
  }
  if (state.total_updates && total != state.total_updates)
    tell(callbacks.messages, "extending the run from " + std::to_string(state.total_updates) + " to " +
                                 std::to_string(total) + " updates");
  const nlohmann::json stored = r.checkpoint->meta.value("settings", nlohmann::json()).value("threads", nlohmann::json());
  if (stored.is_number_integer() && stored.get<int>() != r.settings.config.threads)
    tell(callbacks.messages, "threads " + stored.dump() + " -> " + std::to_string(r.settings.config.threads) +
                                 ": partial sums are now added in another order, so the final model differs in "
                                 "the last bits from an uninterrupted run");
}

std::string header(const TrainSettings& s, const Dataset& data, std::uint64_t total) {
  const TrainConfig& c = s.config;
  char lr[32];
  std::snprintf(lr, sizeof lr, "%g", static_cast<double>(c.sgd.learning_rate));
  const int threads = thread_count(c, data.cols());
  return "training: " + std::to_string(data.rows()) + " examples of " + std::to_string(data.cols()) + " " +
         to_string(c.visible_units) + " visible units, " + std::to_string(c.hidden) + " " + to_string(c.hidden_units) +
         " hidden; " + describe_estimator(c) + ", " +
         (c.batch == 1 ? std::string("one example per update") : "batch " + std::to_string(c.batch)) + ", lr " + lr +
         ", " + std::to_string(total) + " updates; " + std::to_string(threads) + " thread" + (threads == 1 ? "" : "s");
}

// The certified upper bound on the training data's mean log-likelihood (bounds.hpp): the bound on
// log Z from up to 10,000 examples, the mean free energy over all of them (in chunks).
double training_data_bound(const Model& m, const Dataset& data, std::string& largest) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < std::min<std::size_t>(data.rows(), 10000); ++i) rows.push_back(i * data.rows() / std::min<std::size_t>(data.rows(), 10000));
  const LogZBound bound = certified_log_z_bound(m, to_matrix(data, rows), Matrix());
  largest = bound.largest;
  double sum = 0;
  constexpr std::size_t kChunk = 2000;
  for (std::size_t first = 0; first < data.rows(); first += kChunk) {
    std::vector<std::size_t> chunk;
    for (std::size_t i = first; i < std::min(data.rows(), first + kChunk); ++i) chunk.push_back(i);
    sum += mean_free_energy(m, to_matrix(data, chunk)) * static_cast<double>(chunk.size());
  }
  return -sum / static_cast<double>(data.rows()) - bound.log_z_lower;
}

}  // namespace

TrainSettings recorded_settings(TrainSettings s) {
  s.config.precision = resolve_precision(s.config.precision);
  if (s.data.empty()) {
    s.binarize = "none";
  } else {
    s.binarize = to_string(resolve_binarization(s.data, data_binarization(s.binarize, s.config.visible_units)));
    s.data = recorded_spec(s.data);
  }
  for (std::string* spec : {&s.heldout, &s.eval_data, &s.init})
    if (!spec->empty()) *spec = recorded_spec(*spec);
  return s;
}

std::vector<Warning> train_warnings(const TrainSettings& s, const std::set<std::string>& given) {
  std::vector<Warning> out = ignored_train_options(s, given);
  if (s.config.precision == Precision::Bf16 && !bf16_products_fast())
    out.push_back({"precision", "bf16 runs in emulation on this CPU (it has neither AMX nor AVX512_BF16): the same "
                                "rounding, slower than fp32"});
  return out;
}

nlohmann::json training_meta(const TrainSettings& recorded, const Dataset& data) {
  return {{"rbmkit_version", RBMKIT_VERSION},
          {"settings", to_json(recorded)},
          {"n_examples", data.rows()},
          {"image_width", data.image_width},
          {"image_height", data.image_height}};
}

TrainRun run_training(const OptionValues& given, const TrainRunCallbacks& callbacks) {
  Resolved r = resolve(given, callbacks);
  const TrainSettings& s = r.settings;
  const std::string& out = r.out;
  const TrainSettings recorded = recorded_settings(s);
  TrainRun run;
  run.warnings = train_warnings(s, r.given);
  const DataOptions data_options{default_cache_dir(), true, callbacks.messages};
  const Binarization binarization = data_binarization(recorded.binarize, s.config.visible_units);
  tell(callbacks.messages, "preset: " + s.preset + "; data: " + s.data + " (binarize " + recorded.binarize + ")");
  Dataset data = load_data(s.data, binarization, data_options);
  // Before anything large is allocated or any output is written: a model the data's width and
  // the number of hidden units make too large is refused with the memory it would need.
  try {
    check_model_size(data.cols(), s.config.hidden);
  } catch (const InvalidArgument& e) {
    throw ParameterError("hidden", "number of hidden units " + std::to_string(s.config.hidden) + " on data " + s.data +
                                       ": " + e.what());
  }
  if (data.empty()) throw DataError("training data " + s.data + " has no examples");
  if (!data.column_names.empty()) {
    std::string names;
    for (const auto& n : data.column_names) names += (names.empty() ? "" : ", ") + n;
    tell(callbacks.messages, "header detected in " + s.data + ": " + names);
  }
  const std::optional<Tile> tile = image_tile(s.tile, data.cols(), data.image_width, data.image_height);
  const std::uint64_t total = total_updates(s.config, data.rows());
  run.settings = s;
  run.out = out;
  if (r.checkpoint) {
    check_resume(r, total, callbacks, run);
  }
  tell(callbacks.messages, header(s, data, total));
  // standardize: every data set is shifted and scaled by the training data's statistics.
  std::optional<Standardization> standardization;
  if (s.standardize) {
    standardization = fit_standardization(data);
    data = standardize(data, *standardization);
  }
  const auto prepare = [&](Dataset d) { return standardization ? standardize(d, *standardization) : d; };
  Dataset heldout, eval_data;
  if (!s.heldout.empty()) heldout = prepare(load_data(s.heldout, binarization, data_options));
  const std::string eval_spec = s.eval_data.empty() ? s.heldout : s.eval_data;
  if (s.config.eval_every > 0) {
    if (eval_spec.empty())
      throw ParameterError("eval-every", "held-out evaluations need evaluation data (eval-data) or held-out data (heldout)");
    eval_data = eval_spec == s.heldout ? heldout : prepare(load_data(eval_spec, binarization, data_options));
  }

  std::filesystem::create_directories(out);
  const std::string checkpoint_path = out + "/checkpoint.npz";
  if (!r.checkpoint && std::filesystem::exists(checkpoint_path)) {
    std::filesystem::remove(checkpoint_path);
    tell(callbacks.messages, "replaced " + checkpoint_path +
                                 ": it belonged to an earlier run (a fresh run starts over; --resume continues one)");
  }
  const nlohmann::json meta = training_meta(recorded, data);
  JsonLinesLog log(out + "/train.jsonl",
                   r.checkpoint ? std::optional<std::uint64_t>(r.checkpoint->state.update) : std::nullopt);
  CheckpointWriter checkpoints(checkpoint_path, meta);
  LearningCurveWriter curve(out + "/train.jsonl", out + "/curve.png");
  std::vector<TrainObserver*> observers = {&log, &checkpoints};
  if (s.config.eval_every > 0) observers.push_back(&curve);
  observers.insert(observers.end(), callbacks.observers.begin(), callbacks.observers.end());
  TrainControl control;
  control.resume = r.checkpoint ? &r.checkpoint->state : nullptr;
  control.init = r.init ? &r.init->model : nullptr;
  control.stop = callbacks.stop;
  control.stopped = &run.stopped;
  if (s.config.eval_every > 0)
    control.evaluate = heldout_evaluator(eval_data, data, {s.eval_betas, s.eval_chains, s.config.seed, s.config.precision});
  run.model = train(s.config, data, s.heldout.empty() ? nullptr : &heldout, observers, control);
  save_model(out + "/model.npz", run.model, meta,
             standardization ? standardization_members(*standardization) : std::vector<NpzMember>{});
  run.files.push_back({"model", out + "/model.npz"});
  if (run.stopped) {
    run.files.push_back({"checkpoint", checkpoint_path});
    return run;
  }
  if (tile) {
    write_weights_png(out + "/weights.png", run.model, *tile);
    write_samples_png(out + "/samples.png", run.model, data, *tile, static_cast<int>(s.sample_steps), s.config.seed,
                      {run.model.visible_units, standardization ? &*standardization : nullptr});
    run.files.push_back({"weights", out + "/weights.png"});
    run.files.push_back({"samples", out + "/samples.png"});
  } else {
    tell(callbacks.messages, "no weights.png or samples.png: the data has no image shape (" + std::to_string(data.cols()) +
                                 " values, not a square); give --tile WxH to draw them");
  }
  run.files.push_back({"log", out + "/train.jsonl"});
  if (s.config.eval_every > 0) run.files.push_back({"curve", out + "/curve.png"});
  std::string largest;
  run.likelihood_bound = training_data_bound(run.model, data, largest);
  char text[64];
  std::snprintf(text, sizeof text, "%.1f", *run.likelihood_bound);
  std::string note = "certified: the training data's log-likelihood is at most " + std::string(text) +
                     " nats per example (log Z is at least an exact sum whose largest term is " + largest + ")";
  if (!run.model.visible_bias && largest.starts_with("h = 0"))
    note += "; without a visible bias, h = 0 alone puts 2^d of Z on uniform noise: most of the model's mass is on "
            "images whose hidden units are all off";
  tell(callbacks.messages, note);
  return run;
}

nlohmann::json to_json(const TrainRun& run, const OptionSpelling& spell) {
  nlohmann::json files = nlohmann::json::object(), warnings = nlohmann::json::array();
  for (const auto& [label, path] : run.files) files[label] = path;
  for (const auto& w : run.warnings) warnings.push_back(warning_text(w, spell));
  return {{"out", run.out},
          {"stopped", run.stopped},
          {"already_complete", run.already_complete},
          {"files", files},
          {"warnings", warnings},
          {"log_likelihood_bound", run.likelihood_bound ? nlohmann::json(*run.likelihood_bound) : nlohmann::json(nullptr)},
          {"settings", to_json(run.settings)}};
}

}  // namespace rbmkit
