// rbmkit reproduce: a named recipe trained and evaluated end to end, with the published figure
// beside ours (workflows/reproduce_run.hpp).
#include <iostream>

#include "commands.hpp"
#include "eval_text.hpp"
#include "flags.hpp"
#include "number_text.hpp"
#include "progress.hpp"
#include "rbmkit/workflows/reproduce_run.hpp"
#include "stop_signal.hpp"

namespace rbmkit::cli {
namespace {

std::string published(const Recipe& r) { return r.published ? fixed(*r.published, 2) : "-"; }

void list() {
  std::cout << "| recipe | published | source | what it trains |\n|---|---|---|---|\n";
  for (const Recipe& r : recipes())
    std::cout << "| " << r.name << " | " << published(r) << " | " << r.source << " | " << r.summary << " |\n";
}

// Our figure as the results table shows it: exact, or the headline with its 3-sigma band and the
// certified upper bound.
std::string ours(const LikelihoodReport& r) {
  if (r.headline == "exact") return fixed(r.log_likelihood, 2) + " (exact)";
  std::string text = fixed(r.log_likelihood, 2);
  if (r.log_likelihood_std_error > 0) text += " +- " + fixed(3 * r.log_likelihood_std_error, 2);
  return text + " (" + r.headline + "; certified <= " + fixed(r.log_likelihood_upper, 2) + ")";
}

void run_reproduce_command(const GivenText& given, const Outputs& outputs) {
  const ReproduceSettings s = settings_from(reproduce_options(), given);
  if (s.list) return list();
  ProgressObserver progress;
  TrainRunCallbacks callbacks{outputs.messages(), {}, install_stop_handlers()};
  if (!outputs.quiet && !outputs.json) callbacks.observers.push_back(&progress);
  const bool bar = !outputs.quiet && !outputs.json && stderr_is_terminal();
  const ReproduceRun run = run_reproduce(s, callbacks, bar ? ProgressSink{draw_stage_progress} : ProgressSink{});
  if (bar) end_stage_progress();
  print_warnings(run.train.warnings);
  if (run.train.stopped) {
    if (outputs.json) std::cout << to_json(run, spell).dump() << std::endl;
    std::cerr << "rbmkit: interrupted: wrote " << run.train.out << "/checkpoint.npz; continue with: rbmkit reproduce "
              << s.name << (s.quick ? " --quick" : "") << (s.out.empty() ? "" : " --out " + s.out) << " --resume\n";
    throw ExitStatus{kInterruptedStatus};
  }
  if (outputs.json) {
    std::cout << to_json(run, spell).dump() << std::endl;
    print_warnings(run.eval.report.warnings);
    return;
  }
  if (!outputs.quiet) print_eval_text(run.eval);
  std::cout.flush();
  print_warnings(run.eval.report.warnings);
  const Recipe& r = run.recipe;
  std::cout << "recipe:    " << r.name << (run.quick ? " --quick (a check of the pipeline: its figure is not comparable)" : "")
            << "\n           " << r.summary << "\npublished: " << published(r) << " (" << r.source << ")\n";
  std::cout << "| " << r.name << (run.quick ? " (quick)" : "") << " | " << ours(run.eval.report) << " | " << published(r)
            << " | " << fixed(run.train_seconds, 1) << " s" << (run.resumed ? " (resumed: this part)" : "") << " | " << fixed(run.eval_seconds, 1) << " s | rbmkit reproduce "
            << r.name << (run.quick ? " --quick" : "") << " |\n";
}

}  // namespace

Command add_reproduce(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("reproduce", "train and evaluate a published MNIST result by name (--list)");
  add_flags(cmd, reproduce_options(), given, ReproduceSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] { run_reproduce_command(*given, *outputs); }};
}

}  // namespace rbmkit::cli
