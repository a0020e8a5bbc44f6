// rbmkit: train, sample and inspect Restricted Boltzmann Machines.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "flags.hpp"
#include "openmp_spin.hpp"
#include "rbmkit/error.hpp"

namespace {

// Levenshtein distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// "; did you mean 'x'?" for the closest candidate within a third of the word's length.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates)
    if (const std::size_t d = distance(word, c); d < best_distance) best = c, best_distance = d;
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// The flags of a subcommand, as typed ("--lr").
std::vector<std::string> flag_names(const CLI::App* cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd->get_options())
    for (const auto& n : o->get_lnames()) names.push_back("--" + n);
  return names;
}

struct Failure {
  int status;
  std::string message;
  std::string parameter;  // the flag at fault, when one is
};

int report(const Failure& f, bool json, const std::string& help) {
  if (json) {
    nlohmann::json j = {{"error", f.message}, {"exit_status", f.status}};
    if (!f.parameter.empty()) j["parameter"] = f.parameter;
    std::cout << j.dump() << std::endl;
  } else {
    std::cerr << "rbmkit: error: " << (f.parameter.empty() ? "" : f.parameter + ": ") << f.message
              << (help.empty() ? "" : " (see " + help + ")") << "\n";
  }
  return f.status;
}

}  // namespace

int main(int argc, char** argv) {
  rbmkit::cli::bound_openmp_spinning(argv);
  CLI::App app{"rbmkit: Restricted Boltzmann Machines (training, sampling, pictures)", "rbmkit"};
  app.set_version_flag("--version", std::string("rbmkit ") + RBMKIT_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'rbmkit COMMAND --help' for a command's flags and defaults.");
  std::vector<rbmkit::cli::Command> commands;
  for (auto add : {rbmkit::cli::add_train, rbmkit::cli::add_sample, rbmkit::cli::add_show, rbmkit::cli::add_data,
                   rbmkit::cli::add_eval, rbmkit::cli::add_mixture, rbmkit::cli::add_transform, rbmkit::cli::add_import,
                   rbmkit::cli::add_reproduce})
    commands.push_back(add(app));
  const bool json = std::any_of(argv + 1, argv + argc, [](const char* a) { return std::strcmp(a, "--json") == 0; });
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.app->get_name());
  // The command's own help, for messages: "rbmkit train --help".
  std::string help = "rbmkit --help";
  const CLI::App* chosen = nullptr;
  if (argc > 1 && argv[1][0] != '-') {
    const auto known = std::find(names.begin(), names.end(), argv[1]);
    if (known == names.end())
      return report({2, "unknown command '" + std::string(argv[1]) + "'" + suggestion(argv[1], names), ""}, json, help);
    chosen = commands[static_cast<std::size_t>(known - names.begin())].app;
    help = "rbmkit " + std::string(argv[1]) + " --help";
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    std::string message = e.what();
    // "The following arguments were not expected: 0.1 --lrr": name the closest flag.
    std::istringstream extras(message.substr(message.find(':') + 1));
    for (std::string word; extras >> word;)
      if (chosen && word.starts_with("-")) {
        message = "unknown flag '" + word + "' for rbmkit " + chosen->get_name() + suggestion(word, flag_names(chosen));
        break;
      }
    return report({2, message, ""}, json, help);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    return report({2, e.what(), ""}, json, help);
  }
  try {
    for (const auto& c : commands)
      if (c.app->parsed()) c.run();
  } catch (const rbmkit::cli::ExitStatus& status) {
    return status.code;
  } catch (const rbmkit::ParameterError& e) {
    return report({2, e.what(), rbmkit::cli::spell(e.parameter)}, json, help);
  } catch (const rbmkit::InvalidArgument& e) {
    return report({2, e.what(), ""}, json, "");
  } catch (const rbmkit::Error& e) {
    return report({1, e.what(), ""}, json, "");
  } catch (const std::bad_alloc&) {
    return report({1, "out of memory", ""}, json, "");
  } catch (const std::exception& e) {
    return report({1, e.what(), ""}, json, "");
  }
  return 0;
}
