// rbmkit eval: a model's log-likelihood on a data set (exact, AIS, RAISE), with the mean free
// energy, the reconstruction error and the pseudo-log-likelihood (workflows/eval_run.hpp).
#include <iostream>

#include "commands.hpp"
#include "eval_text.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/eval_run.hpp"

namespace rbmkit::cli {
namespace {

void run(const GivenText& given) {
  EvalSettings s = settings_from(eval_command_options(), given);
  for (const auto& [name, text] : given) s.eval.given.insert(name);
  const EvalRun run = run_evaluation(s, s.json ? MessageSink{} : MessageSink{print_message});
  if (s.json)
    std::cout << to_json(run, spell).dump() << std::endl;
  else
    print_eval_text(run);
  std::cout.flush();
  for (const auto& w : run.report.warnings) std::cerr << "rbmkit: warning: " << warning_text(w, spell) << "\n";
}

}  // namespace

Command add_eval(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  CLI::App* cmd = app.add_subcommand("eval", "estimate a model's log-likelihood on a data set (exact, AIS, RAISE)");
  add_flags(cmd, eval_command_options(), given, EvalSettings{});
  return {cmd, [given] { run(*given); }};
}

}  // namespace rbmkit::cli
