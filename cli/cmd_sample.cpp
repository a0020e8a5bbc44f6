// rbmkit sample: run alternating Gibbs chains from a model and write the samples
// (workflows/sample_run.hpp). Models with Gaussian visible units start from real data
// (standardised as the model was trained) or from N(a, I); their pictures and states are
// un-standardised.
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/sample_run.hpp"

namespace rbmkit::cli {

Command add_sample(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("sample", "run alternating Gibbs chains and write the samples");
  add_flags(cmd, sample_options(), given, SampleSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] {
            const SampleRun run = run_sampling(settings_from(sample_options(), *given), outputs->messages());
            if (outputs->json) std::cout << nlohmann::json{{"files", files_json(run.files)}}.dump() << std::endl;
            else if (!outputs->quiet) print_files(run.files);
          }};
}

}  // namespace rbmkit::cli
