// rbmkit: train, sample and inspect Restricted Boltzmann Machines.
#include <iostream>
#include <new>
#include <vector>

#include "commands.hpp"
#include "flags.hpp"
#include "rbmkit/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rbmkit: Restricted Boltzmann Machines (training, sampling, pictures)", "rbmkit"};
  app.set_version_flag("--version", std::string("rbmkit ") + RBMKIT_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'rbmkit COMMAND --help' for a command's flags and defaults.");
  std::vector<rbmkit::cli::Command> commands;
  for (auto add : {rbmkit::cli::add_train, rbmkit::cli::add_sample, rbmkit::cli::add_show, rbmkit::cli::add_data,
                   rbmkit::cli::add_eval, rbmkit::cli::add_mixture})
    commands.push_back(add(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "rbmkit: error: " << e.what() << " (see rbmkit --help)\n";
    return 2;
  }
  try {
    for (const auto& c : commands)
      if (c.app->parsed()) c.run();
  } catch (const rbmkit::cli::ExitStatus& status) {
    return status.code;
  } catch (const rbmkit::ParameterError& e) {
    std::cerr << "rbmkit: error: " << rbmkit::cli::spell(e.parameter) << ": " << e.what() << "\n";
    return 2;
  } catch (const rbmkit::InvalidArgument& e) {
    std::cerr << "rbmkit: error: " << e.what() << "\n";
    return 2;
  } catch (const rbmkit::Error& e) {
    std::cerr << "rbmkit: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "rbmkit: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "rbmkit: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
