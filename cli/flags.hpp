// Command-line flags derived from an option table (rbmkit/options/option.hpp): one flag per
// option (--name, with its aliases), positionals for the table's positional options, and help
// lines that end with the default read from the settings struct.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rbmkit/messages.hpp"
#include "rbmkit/options/option.hpp"

namespace rbmkit::cli {

// The raw texts given on the command line, by option name, in the order given.
using GivenText = std::vector<std::pair<std::string, std::string>>;

// How the CLI spells an option: "--name", or NAME for a positional.
std::string spell(const std::string& name);

// Registers one CLI11 option per table entry on `cmd`; the texts go to `given`. The help line of
// each ends with " [default: ...]" from `defaults` (and `extra(option)`, when given, is added
// inside the brackets, e.g. a preset's value).
template <class S>
void add_flags(CLI::App* cmd, const OptionTable<S>& table, const std::shared_ptr<GivenText>& given, const S& defaults,
               const std::function<std::string(const Option<S>&)>& extra = {}) {
  for (const Option<S>& o : table) {
    const auto store = [given, name = o.name](const std::string& text) { given->emplace_back(name, text); };
    if (o.positional) {
      cmd->add_option_function<std::string>(o.name, store, o.help)->required(o.required);
      continue;
    }
    std::string names = "--" + o.name;
    for (const auto& a : o.aliases) names += (a.size() == 1 ? ",-" : ",--") + a;
    if (o.kind == OptionKind::Flag) {
      cmd->add_flag_callback(names, [store] { store("true"); }, o.help);
      continue;
    }
    std::string help = o.help;
    if (!o.required) help += " [default: " + o.shown_default(o.get(defaults)) + (extra ? extra(o) : "") + "]";
    CLI::Option* flag = cmd->add_option_function<std::string>(names, store, help);
    flag->type_name(o.shown_value_name());
    if (o.required) flag->required();
  }
}

// The given texts parsed and checked by their options (OptionSpec::parse); throws ParameterError.
template <class S>
OptionValues parse_given(const OptionTable<S>& table, const GivenText& given) {
  OptionValues values;
  for (const auto& [name, text] : given) values.emplace_back(name, find_option(table, name).parse(text));
  return values;
}

// A settings struct from its defaults and the given texts.
template <class S>
S settings_from(const OptionTable<S>& table, const GivenText& given, S s = {}) {
  apply_options(s, table, parse_given(table, given));
  return s;
}

// --quiet and --json, which every command has: no progress or notes on stderr, and one JSON
// object on stdout instead of the text report (an error is then a JSON object too).
struct Outputs {
  bool quiet = false;
  bool json = false;
  // Where the library's notes go: stderr, or nowhere when quiet or json.
  MessageSink messages() const;
};
void add_output_flags(CLI::App* cmd, const std::shared_ptr<Outputs>& outputs);

// Prints "label:   path" lines, the labels padded to one width.
void print_files(const std::vector<std::pair<std::string, std::string>>& files);

// The files as one JSON object, {label: path}.
nlohmann::json files_json(const std::vector<std::pair<std::string, std::string>>& files);

// Prints a message of the library on stderr.
void print_message(const std::string& text);

// Prints each warning on stderr as "rbmkit: warning: ...", options spelled as flags.
void print_warnings(const std::vector<Warning>& warnings);

}  // namespace rbmkit::cli
