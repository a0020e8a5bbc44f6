// rbmkit show: redraw a model's weight mosaic (workflows/sample_run.hpp).
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/sample_run.hpp"

namespace rbmkit::cli {

Command add_show(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("show", "draw a model's weights as a mosaic (one tile per hidden unit)");
  add_flags(cmd, show_options(), given, ShowSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] {
            const ShowSettings s = settings_from(show_options(), *given);
            run_show(s);
            const std::vector<std::pair<std::string, std::string>> files = {{"weights", s.out}};
            if (outputs->json) std::cout << nlohmann::json{{"files", files_json(files)}}.dump() << std::endl;
            else if (!outputs->quiet) print_files(files);
          }};
}

}  // namespace rbmkit::cli
