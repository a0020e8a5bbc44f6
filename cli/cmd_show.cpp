// rbmkit show: redraw a model's weight mosaic (workflows/sample_run.hpp).
#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/workflows/sample_run.hpp"

namespace rbmkit::cli {

Command add_show(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  CLI::App* cmd = app.add_subcommand("show", "draw a model's weights as a mosaic (one tile per hidden unit)");
  add_flags(cmd, show_options(), given, ShowSettings{});
  return {cmd, [given] {
            const ShowSettings s = settings_from(show_options(), *given);
            run_show(s);
            print_files({{"weights", s.out}});
          }};
}

}  // namespace rbmkit::cli
