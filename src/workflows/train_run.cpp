#include "rbmkit/workflows/train_run.hpp"

#include <filesystem>
#include <optional>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/data/standardize.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/heldout.hpp"
#include "rbmkit/io/checkpoint.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/pictures/learning_curve.hpp"
#include "rbmkit/pictures/model_pictures.hpp"

namespace rbmkit {
namespace {

struct Resolved {
  TrainSettings settings;
  std::optional<LoadedCheckpoint> checkpoint;
  std::string out;
};

Resolved resolve(const OptionValues& given) {
  Resolved r;
  std::string resume, out;
  for (const auto& [name, value] : given) {
    const std::string& option = train_option(name).name;
    if (option == "resume" && value.is_string()) resume = value.get<std::string>();
    if (option == "out" && value.is_string()) out = value.get<std::string>();
  }
  if (!resume.empty()) {
    if (!out.empty() && out != resume)
      throw ParameterError("out", "output directory " + out + " conflicts with the run to resume, " + resume +
                                      " (a run resumes in place)");
    const std::string path = resume + "/checkpoint.npz";
    r.checkpoint = load_checkpoint(path);
    r.settings = resume_train_settings(r.checkpoint->meta.value("settings", nlohmann::json()), given, path);
    r.out = resume;
  } else {
    r.settings = resolve_train_settings(given);
    r.out = !out.empty() ? out : "out/" + (r.settings.preset == "none" ? std::string("run") : r.settings.preset);
  }
  check_settings(r.settings);
  if (!r.settings.tile.empty()) parse_tile(r.settings.tile);
  return r;
}

}  // namespace

TrainRun run_training(const OptionValues& given, const TrainRunCallbacks& callbacks) {
  Resolved r = resolve(given);
  const TrainSettings& s = r.settings;
  const std::string& out = r.out;
  const DataOptions data_options{default_cache_dir(), true, callbacks.messages};
  const Binarization binarization = data_binarization(s.binarize, s.config.visible_units);
  tell(callbacks.messages, "preset: " + s.preset + "; data: " + s.data + " (binarize " + s.binarize + ")");
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
  const Tile tile = picture_tile(s.tile, data.cols(), data.image_width, data.image_height);
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
  const nlohmann::json meta = {{"rbmkit_version", RBMKIT_VERSION},
                               {"settings", to_json(s)},
                               {"n_examples", data.rows()},
                               {"image_width", data.image_width},
                               {"image_height", data.image_height}};
  JsonLinesLog log(out + "/train.jsonl",
                   r.checkpoint ? std::optional<std::uint64_t>(r.checkpoint->state.update) : std::nullopt);
  CheckpointWriter checkpoints(out + "/checkpoint.npz", meta);
  LearningCurveWriter curve(out + "/train.jsonl", out + "/curve.png");
  std::vector<TrainObserver*> observers = {&log, &checkpoints};
  if (s.config.eval_every > 0) observers.push_back(&curve);
  observers.insert(observers.end(), callbacks.observers.begin(), callbacks.observers.end());
  TrainRun run;
  TrainControl control{r.checkpoint ? &r.checkpoint->state : nullptr, callbacks.stop, &run.stopped, {}};
  if (s.config.eval_every > 0)
    control.evaluate = heldout_evaluator(eval_data, data, {s.eval_betas, s.eval_chains, s.config.seed});
  run.model = train(s.config, data, s.heldout.empty() ? nullptr : &heldout, observers, control);
  save_model(out + "/model.npz", run.model, meta,
             standardization ? standardization_members(*standardization) : std::vector<NpzMember>{});
  run.files.push_back({"model", out + "/model.npz"});
  if (run.stopped) {
    run.files.push_back({"checkpoint", out + "/checkpoint.npz"});
  } else {
    write_weights_png(out + "/weights.png", run.model, tile);
    write_samples_png(out + "/samples.png", run.model, data, tile, static_cast<int>(s.sample_steps), s.config.seed,
                      {run.model.visible_units, standardization ? &*standardization : nullptr});
    run.files.push_back({"weights", out + "/weights.png"});
    run.files.push_back({"samples", out + "/samples.png"});
    run.files.push_back({"log", out + "/train.jsonl"});
    if (s.config.eval_every > 0) run.files.push_back({"curve", out + "/curve.png"});
  }
  run.settings = s;
  run.out = out;
  return run;
}

}  // namespace rbmkit
