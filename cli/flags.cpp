#include "flags.hpp"

#include <cctype>
#include <iostream>

namespace rbmkit::cli {

std::string spell(const std::string& name) {
  const bool positional = !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
  return positional ? name : "--" + name;
}

void print_files(const std::vector<std::pair<std::string, std::string>>& files) {
  std::size_t width = 0;
  for (const auto& [label, path] : files) width = std::max(width, label.size() + 1);
  width = std::max<std::size_t>(width, 8);
  for (const auto& [label, path] : files)
    std::cout << label << ":" << std::string(width - label.size(), ' ') << path << "\n";
}

void print_message(const std::string& text) { std::cerr << text << "\n"; }

MessageSink Outputs::messages() const { return quiet || json ? MessageSink{} : MessageSink{print_message}; }

void add_output_flags(CLI::App* cmd, const std::shared_ptr<Outputs>& outputs) {
  cmd->add_flag_callback("--quiet,-q", [outputs] { outputs->quiet = true; }, "no progress or notes on stderr");
  cmd->add_flag_callback("--json", [outputs] { outputs->json = true; },
                         "print one JSON object on stdout instead of the text report (an error too)");
}

nlohmann::json files_json(const std::vector<std::pair<std::string, std::string>>& files) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [label, path] : files) j[label] = path;
  return j;
}

void print_warnings(const std::vector<Warning>& warnings) {
  for (const auto& w : warnings) std::cerr << "rbmkit: warning: " << warning_text(w, spell) << "\n";
}

}  // namespace rbmkit::cli
