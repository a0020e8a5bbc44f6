// rbmkit train: fit a model and write model.npz, weights.png, samples.png and train.jsonl.
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "pictures.hpp"
#include "progress.hpp"
#include "rbmkit/data_spec.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/mnist.hpp"
#include "rbmkit/model_io.hpp"
#include "rbmkit/train_log.hpp"
#include "rbmkit/train_options.hpp"

namespace rbmkit::cli {
namespace {

struct TrainArgs {
  std::string preset;  // empty: "seed" when no model setting is given, else "none"
  std::map<std::string, std::string> given;  // option name -> raw value, from the table
  std::string out;
  std::string tile;
  int sample_steps = 1000;
  bool quiet = false;
};

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
  const TrainSettings s = resolve(args);
  if (!args.tile.empty()) parse_tile(args.tile);
  const std::string out = args.out.empty() ? "out/" + (s.preset == "none" ? std::string("run") : s.preset) : args.out;
  const DataOptions data_options{default_cache_dir(), true, args.quiet};
  const Binarization binarization = parse_binarization(s.binarize);
  if (!args.quiet) std::cerr << "preset: " << s.preset << "; data: " << s.data << " (binarize " << s.binarize << ")\n";
  const Dataset data = load_data(s.data, binarization, data_options);
  const auto tile = picture_tile(args.tile, data.cols(), data.image_width, data.image_height);
  Dataset heldout;
  if (!s.heldout.empty()) heldout = load_data(s.heldout, binarization, data_options);

  std::filesystem::create_directories(out);
  ProgressObserver progress;
  JsonLinesLog log(out + "/train.jsonl");
  std::vector<TrainObserver*> observers = {&log};
  if (!args.quiet) observers.push_back(&progress);
  const Model model = train(s.config, data, s.heldout.empty() ? nullptr : &heldout, observers);

  nlohmann::json meta = {{"rbmkit_version", RBMKIT_VERSION},
                         {"settings", to_json(s)},
                         {"n_examples", data.rows()},
                         {"image_width", data.image_width},
                         {"image_height", data.image_height}};
  save_model(out + "/model.npz", model, meta);
  write_weights_png(out + "/weights.png", model, tile);
  write_samples_png(out + "/samples.png", model, data, tile, args.sample_steps, s.config.seed);
  if (!args.quiet)
    std::cout << "model:   " << out << "/model.npz\n"
              << "weights: " << out << "/weights.png\n"
              << "samples: " << out << "/samples.png\n"
              << "log:     " << out << "/train.jsonl\n";
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
  return {cmd, [args] { run_train(*args); }};
}

}  // namespace rbmkit::cli
