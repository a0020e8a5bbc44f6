// rbmkit sample: run alternating Gibbs chains from a model and write the samples
// (workflows/sample_run.hpp). Models with Gaussian visible units start from real data
// (standardised as the model was trained) or from N(a, I); their pictures and states are
// un-standardised.
#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/sample_run.hpp"

namespace rbmkit::cli {

Command add_sample(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  CLI::App* cmd = app.add_subcommand("sample", "run alternating Gibbs chains and write the samples");
  add_flags(cmd, sample_options(), given, SampleSettings{});
  return {cmd, [given] { print_files(run_sampling(settings_from(sample_options(), *given), print_message).files); }};
}

}  // namespace rbmkit::cli
