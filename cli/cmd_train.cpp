// rbmkit train: fit a model and write model.npz, weights.png, samples.png and train.jsonl.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "heldout_eval.hpp"
#include "learning_curve.hpp"
#include "pictures.hpp"
#include "progress.hpp"
#include "rbmkit/io/checkpoint.hpp"
#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/options/train_options.hpp"

namespace rbmkit::cli {
namespace {

struct TrainArgs {
  std::string preset;  // empty: "seed" when no model setting is given, else "none"
  std::map<std::string, std::string> given;  // option name -> raw value, from the table
  std::string out;
  std::string tile;
  int sample_steps = 1000;
  bool quiet = false;
  std::string resume;  // directory holding checkpoint.npz
};

// Set by SIGINT / SIGTERM: training finishes its update, writes a checkpoint and the model, and
// the command exits with kInterruptedStatus.
std::atomic<bool> g_stop{false};
constexpr int kInterruptedStatus = 3;

void request_stop(int) { g_stop.store(true); }

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Writes DIR/checkpoint.npz whenever the trainer asks.
class CheckpointWriter : public TrainObserver {
 public:
  CheckpointWriter(std::string path, nlohmann::json meta) : path_(std::move(path)), meta_(std::move(meta)) {}
  void on_checkpoint(const TrainState& state) override { save_checkpoint(path_, state, meta_); }

 private:
  std::string path_;
  nlohmann::json meta_;
};

// The settings stored in a checkpoint, with the flags given again checked against them: a
// setting that changes the model (or the thread count, which bit-identity depends on) must
// agree; run-time knobs such as --report-every may change.
TrainSettings resume_settings(const nlohmann::json& meta, const std::map<std::string, std::string>& given,
                              const std::string& path) {
  if (!meta.contains("settings") || !meta["settings"].is_object())
    throw FormatError(path + ": the checkpoint records no training settings");
  const auto& stored = meta["settings"];
  TrainSettings s = settings_for_preset("none");
  s.preset = stored.value("preset", std::string("none"));
  for (const auto& o : train_options()) {
    if (!stored.contains(o.name) || stored[o.name].is_null()) continue;
    const auto& v = stored[o.name];
    o.set(s, v.is_string() ? v.get<std::string>() : v.dump());
  }
  for (const auto& [name, value] : given) {
    const OptionSpec& o = train_option(name);
    TrainSettings changed = s;
    o.set(changed, value);
    if ((o.model_setting || name == "threads") && o.get(changed) != o.get(s))
      throw InvalidArgument("--" + name + " " + value + " disagrees with the checkpoint's " + o.get(s).dump() +
                            " (" + path + "); drop the flag to resume with the stored settings");
    s = changed;
  }
  return s;
}

std::string help_with_defaults(const OptionSpec& o) {
  const TrainSettings general = settings_for_preset("none");
  const TrainSettings seed = settings_for_preset("seed");
  auto show = [](const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
  std::string help = o.help + " [default: " + show(o.get(general));
  if (o.get(seed) != o.get(general)) help += "; seed preset: " + show(o.get(seed));
  return help + "]";
}

TrainSettings resolve(const TrainArgs& args) {
  std::string preset = args.preset;
  if (preset.empty()) {
    bool any_model_setting = false;
    for (const auto& [name, value] : args.given) any_model_setting |= train_option(name).model_setting;
    preset = any_model_setting ? "none" : "seed";
  }
  TrainSettings s = settings_for_preset(preset);
  if (args.given.count("updates") && args.given.count("epochs"))
    throw InvalidArgument("give either --updates or --epochs, not both");
  for (const auto& [name, value] : args.given) train_option(name).set(s, value);
  return s;
}

void run_train(const TrainArgs& args) {
  std::optional<LoadedCheckpoint> checkpoint;
  if (!args.resume.empty()) {
    if (!args.out.empty() && args.out != args.resume)
      throw InvalidArgument("--out " + args.out + " conflicts with --resume " + args.resume + " (a run resumes in place)");
    checkpoint = load_checkpoint(args.resume + "/checkpoint.npz");
  }
  const TrainSettings s = checkpoint ? resume_settings(checkpoint->meta, args.given, args.resume + "/checkpoint.npz")
                                     : resolve(args);
  check_settings(s);
  if (!args.tile.empty()) parse_tile(args.tile);
  const std::string out = !args.resume.empty() ? args.resume
                          : args.out.empty()   ? "out/" + (s.preset == "none" ? std::string("run") : s.preset)
                                               : args.out;
  const DataOptions data_options{default_cache_dir(), true, args.quiet};
  const Binarization binarization = data_binarization(s.binarize, s.config.visible_units);
  if (!args.quiet) std::cerr << "preset: " << s.preset << "; data: " << s.data << " (binarize " << s.binarize << ")\n";
  Dataset data = load_data(s.data, binarization, data_options);
  // Before anything large is allocated or any output is written: a model the data's width
  // and --hidden make too large is refused with the memory it would need.
  try {
    check_model_size(data.cols(), s.config.hidden);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("--hidden " + std::to_string(s.config.hidden) + " on data " + s.data + ": " + e.what());
  }
  if (data.empty()) throw DataError("training data " + s.data + " has no examples");
  const auto tile = picture_tile(args.tile, data.cols(), data.image_width, data.image_height);
  // --standardize: every data set is shifted and scaled by the training data's statistics.
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
    if (eval_spec.empty()) throw InvalidArgument("--eval-every needs --eval-data SPEC or --heldout SPEC");
    eval_data = eval_spec == s.heldout ? heldout : prepare(load_data(eval_spec, binarization, data_options));
  }

  std::filesystem::create_directories(out);
  const nlohmann::json meta = {{"rbmkit_version", RBMKIT_VERSION},
                               {"settings", to_json(s)},
                               {"n_examples", data.rows()},
                               {"image_width", data.image_width},
                               {"image_height", data.image_height}};
  ProgressObserver progress;
  JsonLinesLog log(out + "/train.jsonl",
                   checkpoint ? std::optional<std::uint64_t>(checkpoint->state.update) : std::nullopt);
  CheckpointWriter checkpoints(out + "/checkpoint.npz", meta);
  LearningCurveWriter curve(out + "/train.jsonl", out + "/curve.png");
  std::vector<TrainObserver*> observers = {&log, &checkpoints};
  if (s.config.eval_every > 0) observers.push_back(&curve);
  if (!args.quiet) observers.push_back(&progress);
  install_stop_handlers();
  bool stopped = false;
  TrainControl control{checkpoint ? &checkpoint->state : nullptr, &g_stop, &stopped, {}};
  if (s.config.eval_every > 0)
    control.evaluate = heldout_evaluator(eval_data, data, {s.eval_betas, s.eval_chains, s.config.seed});
  const Model model = train(s.config, data, s.heldout.empty() ? nullptr : &heldout, observers, control);
  save_model(out + "/model.npz", model, meta,
             standardization ? standardization_members(*standardization) : std::vector<NpzMember>{});
  if (stopped) {
    std::cerr << "rbmkit: interrupted: wrote " << out << "/checkpoint.npz and " << out
              << "/model.npz; continue with: rbmkit train --resume " << out << "\n";
    throw ExitStatus{kInterruptedStatus};
  }
  write_weights_png(out + "/weights.png", model, tile);
  write_samples_png(out + "/samples.png", model, data, tile, args.sample_steps, s.config.seed,
                    {model.visible_units, standardization ? &*standardization : nullptr});
  if (!args.quiet)
    std::cout << "model:   " << out << "/model.npz\n"
              << "weights: " << out << "/weights.png\n"
              << "samples: " << out << "/samples.png\n"
              << "log:     " << out << "/train.jsonl\n";
  if (!args.quiet && s.config.eval_every > 0) std::cout << "curve:   " << out << "/curve.png\n";
}

}  // namespace

Command add_train(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "train an RBM (no arguments: the exercise preset 'seed')");
  std::string preset_help = "settings preset: none";
  for (const auto& p : presets()) preset_help += ", " + p.name + " (" + p.description + ")";
  cmd->add_option("--preset", args->preset, preset_help + " [default: seed when no model setting is given, else none]");
  for (const auto& o : train_options()) {
    cmd->add_option_function<std::string>(
           "--" + o.name, [args, name = o.name](const std::string& v) { args->given[name] = v; }, help_with_defaults(o))
        ->type_name(o.type);
  }
  cmd->add_option("--out", args->out, "output directory [default: out/<preset>, or out/run without one]");
  cmd->add_option("--tile", args->tile, "tile shape WxH of the pictures [default: the data's image shape, else square]");
  cmd->add_option("--sample-steps", args->sample_steps, "Gibbs steps for samples.png [default: 1000]")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--quiet,-q", args->quiet, "no progress output");
  cmd->add_option("--resume", args->resume,
                  "continue the run whose checkpoint.npz is in DIR, with its stored settings (flags given again must "
                  "agree) and in DIR; the final model equals an uninterrupted run's. SIGINT/SIGTERM end a run after "
                  "the current update with a checkpoint and exit status 3");
  return {cmd, [args] { run_train(*args); }};
}

}  // namespace rbmkit::cli
