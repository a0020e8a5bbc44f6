// rbmkit data fetch mnist: fill the MNIST cache (data/mnist.hpp).
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/options/mixture_options.hpp"

namespace rbmkit::cli {

Command add_data(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand("data", "manage data sets");
  cmd->require_subcommand(1);
  CLI::App* fetch = cmd->add_subcommand("fetch", "download a data set into the cache and verify its SHA-256");
  add_flags(fetch, fetch_options(), given, FetchSettings{});
  add_output_flags(fetch, outputs);
  return {cmd, [given, outputs] {
            const FetchSettings s = settings_from(fetch_options(), *given);
            const std::string dir = s.dir.empty() ? default_cache_dir() : s.dir;
            fetch_mnist(dir, s.from, outputs->messages());
            if (outputs->json) std::cout << nlohmann::json{{"mnist", dir}}.dump() << std::endl;
            else print_files({{"mnist", dir}});
          }};
}

}  // namespace rbmkit::cli
