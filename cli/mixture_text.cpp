#include "mixture_text.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "number_text.hpp"

namespace rbmkit::cli {
namespace {

// Centres longer than this are shown as their first kHead values, "...", and the last one.
constexpr std::size_t kShownValues = 8, kHead = 6;

std::string power_text(std::size_t base, std::size_t levels, std::uint64_t n) {
  return std::to_string(base) + "^" + std::to_string(levels) + " = " + std::to_string(n);
}

std::string general(double x) {
  std::ostringstream s;
  s << std::setprecision(6) << x;
  return s.str();
}

std::string centre_text(const Eigen::VectorXd& c) {
  const std::size_t D = static_cast<std::size_t>(c.size());
  std::string out = "[";
  for (std::size_t j = 0; j < D; ++j) {
    if (D > kShownValues && j == kHead) {
      out += "..., ";
      j = D - 1;
    }
    out += fixed(c[static_cast<Eigen::Index>(j)], 4) + (j + 1 < D ? ", " : "]");
  }
  if (D > kShownValues) out += " (" + std::to_string(D) + " values)";
  return out;
}

// A hidden state as one character per unit, h_1 first: 0 or 1; -, 0 or + for ternary units.
std::string bits_text(const std::vector<int>& h) {
  std::string out;
  for (int x : h) out += x ? '1' : '0';
  return out;
}

std::string ternary_text(const std::vector<int>& h) {
  std::string out;
  for (int x : h) out += x < 0 ? '-' : x > 0 ? '+' : '0';
  return out;
}

std::string tuple_text(const std::vector<int>& k) {
  std::string out = "(";
  for (std::size_t i = 0; i < k.size(); ++i) out += std::to_string(k[i]) + (i + 1 < k.size() ? ", " : ")");
  return out;
}

}  // namespace

void print_mixture_text(const MixtureView& s) {
  const GaussianMixture& mix = s.mixture;
  std::string label;
  std::vector<std::string> states;
  if (s.model) {
    const Model& m = *s.model;
    const bool ternary = m.hidden_units == UnitType::Ternary;
    std::cout << "model:          " << s.source << ": RBM with " << m.n_visible() << " Gaussian visible units (unit variance) and "
              << m.n_hidden() << " " << to_string(m.hidden_units) << " hidden units\n"
              << "mixture:        " << power_text(ternary ? 3 : 2, m.n_hidden(), mix.n_components)
              << " Gaussians N(v; a + W h, I), one per hidden state h, weighted by p(h)\n"
              << "covariance:     I (unit variance), the same for every component\n"
              << "log Z:          " << general(mix.log_normaliser) << "\n\n";
    label = ternary ? "h (-, 0, +)" : "h";
    for (const auto& c : mix.components) states.push_back(ternary ? ternary_text(c.state) : bits_text(c.state));
  } else {
    const GaussianExperts& e = *s.experts;
    std::cout << "experts:        " << s.source << ": " << e.n_experts << " experts, each a mixture of " << e.n_components
              << " Gaussians N(x; u_ik, I) in " << e.dim << " dimensions\n"
              << "mixture:        " << power_text(e.n_components, e.n_experts, mix.n_components)
              << " Gaussians N(x; m_k, I/" << e.n_experts << "), m_k = (1/H) sum_i u_{i,k_i}, one per choice k\n"
              << "covariance:     I/" << e.n_experts << " (variance " << general(mix.variance)
              << " on every axis), the same for every component\n"
              << "log normaliser: " << general(mix.log_normaliser)
              << " (log of the integral of prod_i sum_k pi_ik N(x; u_ik, I))\n\n";
    label = "k (0-based)";
    for (const auto& c : mix.components) states.push_back(tuple_text(c.state));
  }
  std::size_t width = label.size();
  for (const auto& t : states) width = std::max(width, t.size());
  std::cout << "rank  weight        " << std::left << std::setw(static_cast<int>(width)) << label << "  centre\n";
  for (std::size_t r = 0; r < mix.components.size(); ++r)
    std::cout << std::right << std::setw(4) << r + 1 << "  " << std::left << std::setw(12)
              << general(std::exp(mix.components[r].log_weight)) << "  " << std::setw(static_cast<int>(width)) << states[r]
              << "  " << centre_text(mix.components[r].centre) << "\n";
  std::cout << std::right;
  if (mix.components.size() < mix.n_components)
    std::cout << "(the " << mix.components.size() << " heaviest of " << mix.n_components << " components; --top sets how many)\n";
}

}  // namespace rbmkit::cli
