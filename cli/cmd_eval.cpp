// rbmkit eval: a model's log-likelihood on a data set (exact, AIS, RAISE), with the mean free
// energy, the reconstruction error and the pseudo-log-likelihood (workflows/eval_run.hpp).
#include <iostream>

#include "commands.hpp"
#include "eval_text.hpp"
#include "flags.hpp"
#include "progress.hpp"
#include "rbmkit/workflows/eval_run.hpp"

namespace rbmkit::cli {
namespace {

void run_eval(const GivenText& given, const Outputs& outputs) {
  EvalSettings s = settings_from(eval_command_options(), given);
  for (const auto& [name, text] : given) s.eval.given.insert(name);
  const bool bar = !outputs.quiet && !outputs.json && stderr_is_terminal();
  const EvalRun run = run_evaluation(s, outputs.messages(), bar ? ProgressSink{draw_stage_progress} : ProgressSink{});
  if (bar) end_stage_progress();
  if (outputs.json)
    std::cout << to_json(run, spell).dump() << std::endl;
  else
    print_eval_text(run);
  std::cout.flush();
  print_warnings(run.report.warnings);
}

}  // namespace

Command add_eval(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("eval", "estimate a model's log-likelihood on a data set (exact, AIS, RAISE)");
  add_flags(cmd, eval_command_options(), given, EvalSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] { run_eval(*given, *outputs); }};
}

}  // namespace rbmkit::cli
