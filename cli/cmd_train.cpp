// rbmkit train: fit a model and write model.npz, weights.png, samples.png and train.jsonl
// (workflows/train_run.hpp).
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "progress.hpp"
#include "rbmkit/workflows/train_run.hpp"
#include "stop_signal.hpp"

namespace rbmkit::cli {
namespace {

// "; seed preset: X" for options the exercise preset sets to another value than the default.
std::string preset_default(const Option<TrainSettings>& o) {
  static const TrainSettings general = settings_for_preset("none"), seed = settings_for_preset("seed");
  return o.get(seed) != o.get(general) ? "; seed preset: " + o.shown_default(o.get(seed)) : "";
}

void run_train(const GivenText& given, const Outputs& outputs) {
  ProgressObserver progress;
  TrainRunCallbacks callbacks{outputs.messages(), {}, install_stop_handlers()};
  if (!outputs.quiet && !outputs.json) callbacks.observers.push_back(&progress);
  const TrainRun run = run_training(parse_given(train_options(), given), callbacks);
  if (outputs.json) std::cout << to_json(run, spell).dump() << std::endl;
  print_warnings(run.warnings);
  if (run.stopped) {
    if (!outputs.json)
      std::cerr << "rbmkit: interrupted: wrote " << run.out << "/checkpoint.npz and " << run.out
                << "/model.npz; continue with: rbmkit train --resume " << run.out << "\n";
    throw ExitStatus{kInterruptedStatus};
  }
  if (!outputs.quiet && !outputs.json) print_files(run.files);
}

}  // namespace

Command add_train(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("train", "train an RBM (no arguments: the exercise preset 'seed')");
  add_flags<TrainSettings>(cmd, train_options(), given, settings_for_preset("none"), preset_default);
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] { run_train(*given, *outputs); }};
}

}  // namespace rbmkit::cli
