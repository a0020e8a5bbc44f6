// rbmkit train: fit a model and write model.npz, weights.png, samples.png and train.jsonl
// (workflows/train_run.hpp).
#include <signal.h>

#include <atomic>
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "progress.hpp"
#include "rbmkit/workflows/train_run.hpp"

namespace rbmkit::cli {
namespace {

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

// "; seed preset: X" for options the exercise preset sets to another value than the default.
std::string preset_default(const Option<TrainSettings>& o) {
  static const TrainSettings general = settings_for_preset("none"), seed = settings_for_preset("seed");
  return o.get(seed) != o.get(general) ? "; seed preset: " + o.shown_default(o.get(seed)) : "";
}

void run(const GivenText& given) {
  const OptionValues values = parse_given(train_options(), given);
  bool quiet = false;
  for (const auto& [name, value] : values) quiet |= train_option(name).name == "quiet" && value == true;
  ProgressObserver progress;
  TrainRunCallbacks callbacks;
  if (!quiet) {
    callbacks.messages = print_message;
    callbacks.observers.push_back(&progress);
  }
  callbacks.stop = &g_stop;
  install_stop_handlers();
  const TrainRun run = run_training(values, callbacks);
  if (run.stopped) {
    std::cerr << "rbmkit: interrupted: wrote " << run.out << "/checkpoint.npz and " << run.out
              << "/model.npz; continue with: rbmkit train --resume " << run.out << "\n";
    throw ExitStatus{kInterruptedStatus};
  }
  if (!quiet) print_files(run.files);
}

}  // namespace

Command add_train(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  CLI::App* cmd = app.add_subcommand("train", "train an RBM (no arguments: the exercise preset 'seed')");
  add_flags<TrainSettings>(cmd, train_options(), given, settings_for_preset("none"), preset_default);
  return {cmd, [given] { run(*given); }};
}

}  // namespace rbmkit::cli
