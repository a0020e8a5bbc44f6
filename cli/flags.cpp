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

}  // namespace rbmkit::cli
