// The rbmkit command's subcommands. Each registers its flags, derived from its option table
// (flags.hpp), on the parent app and returns the action to run when it was chosen; an action
// calls one library workflow and prints what it returns. Actions throw rbmkit::Error on bad input.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace rbmkit::cli {

// Thrown by an action to end the command with a specific exit status after it has reported.
struct ExitStatus {
  int code;
};

struct Command {
  CLI::App* app;              // the subcommand
  std::function<void()> run;  // its action
};

Command add_train(CLI::App& app);
Command add_sample(CLI::App& app);
Command add_show(CLI::App& app);
Command add_data(CLI::App& app);
Command add_eval(CLI::App& app);
Command add_mixture(CLI::App& app);
Command add_transform(CLI::App& app);
Command add_import(CLI::App& app);
Command add_reproduce(CLI::App& app);

}  // namespace rbmkit::cli
