// rbmkit transform: a model's hidden features of a data set, for downstream use such as a
// classifier (workflows/model_tools.hpp).
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/model_tools.hpp"

namespace rbmkit::cli {

Command add_transform(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("transform", "write the hidden means E[h | x] (or states) of each example as .npy");
  add_flags(cmd, transform_options(), given, TransformSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] {
            const TransformRun run = run_transform(settings_from(transform_options(), *given), outputs->messages());
            const nlohmann::json shape = {run.features.rows(), run.features.cols()};
            if (outputs->json) std::cout << nlohmann::json{{"files", files_json(run.files)}, {"shape", shape}}.dump() << std::endl;
            else if (!outputs->quiet) print_files(run.files);
          }};
}

Command add_import(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("import", "write a model made by another toolkit (scikit-learn) as a model.npz");
  add_flags(cmd, import_options(), given, ImportSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] {
            const ImportSettings s = settings_from(import_options(), *given);
            const Model m = run_import(s);
            const std::vector<std::pair<std::string, std::string>> files = {{"model", s.out}};
            if (outputs->json)
              std::cout << nlohmann::json{{"files", files_json(files)}, {"n_visible", m.n_visible()}, {"n_hidden", m.n_hidden()}}
                               .dump()
                        << std::endl;
            else if (!outputs->quiet) print_files(files);
          }};
}

}  // namespace rbmkit::cli
