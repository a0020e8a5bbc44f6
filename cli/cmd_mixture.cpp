// rbmkit mixture: a Gaussian-visible RBM or a product of Gaussian-mixture experts written out as
// the mixture of Gaussians it is (mixture.hpp; EXERCISE.md part 2(c)).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/mixture.hpp"
#include "rbmkit/io/experts_file.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/formats/npz.hpp"

namespace rbmkit::cli {
namespace {

struct MixtureArgs {
  std::string model;
  std::size_t top = std::numeric_limits<std::size_t>::max();
  bool json = false;
};

// Centres longer than this are shown as their first kHead values, "...", and the last one.
constexpr std::size_t kShownValues = 8, kHead = 6;

// What MODEL holds: a Gaussian-visible RBM or a product of experts.
struct Source {
  std::optional<Model> model;
  std::optional<GaussianExperts> experts;
};

// An .npz (zip signature) with a member 'means' is an experts file, any other .npz a model.npz;
// anything else is read as an experts JSON file.
Source read_source(const std::string& path) {
  const std::string bytes = read_file(path);
  Source s;
  if (!bytes.starts_with("PK")) {
    s.experts = parse_experts_json(bytes, path);
    return s;
  }
  const auto members = decode_npz(bytes, path);
  if (members.count("means"))
    s.experts = experts_from_npz(members, path);
  else
    s.model = load_model_bytes(bytes, path).model;
  return s;
}

std::string power_text(std::size_t base, std::size_t levels, std::uint64_t n) {
  return std::to_string(base) + "^" + std::to_string(levels) + " = " + std::to_string(n);
}

std::string fixed(double x) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(4) << x;
  return s.str();
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
    out += fixed(c[static_cast<Eigen::Index>(j)]) + (j + 1 < D ? ", " : "]");
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

// JSON has no infinities: they become null.
nlohmann::json number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

nlohmann::json to_json(const MixtureArgs& a, const Source& s, const GaussianMixture& mix) {
  nlohmann::json j = {{"file", a.model},
                      {"dim", mix.dim},
                      {"variance", mix.variance},
                      {"n_components", mix.n_components},
                      {"shown", mix.components.size()},
                      {"log_normaliser", number(mix.log_normaliser)}};
  const char* label = s.model ? "h" : "k";
  if (s.model) {
    j["kind"] = "gaussian_rbm";
    j["hidden_units"] = to_string(s.model->hidden_units);
    j["n_hidden"] = s.model->n_hidden();
    j["log_z"] = number(mix.log_normaliser);
  } else {
    const GaussianExperts& e = *s.experts;
    j["kind"] = "product_of_experts";
    j["n_experts"] = e.n_experts;
    j["components_per_expert"] = e.n_components;
    nlohmann::json means = nlohmann::json::array(), weights = nlohmann::json::array();
    for (std::size_t i = 0; i < e.n_experts; ++i) {
      nlohmann::json row = nlohmann::json::array(), w = nlohmann::json::array();
      for (std::size_t k = 0; k < e.n_components; ++k) {
        const auto u = e.mean(i, k);
        row.push_back(std::vector<double>(u.begin(), u.end()));
        w.push_back(e.weights[i * e.n_components + k]);
      }
      means.push_back(row);
      weights.push_back(w);
    }
    j["means"] = means;
    j["weights"] = weights;
  }
  nlohmann::json comps = nlohmann::json::array();
  for (std::size_t r = 0; r < mix.components.size(); ++r) {
    const MixtureComponent& c = mix.components[r];
    comps.push_back({{"rank", r + 1},
                     {"weight", std::exp(c.log_weight)},
                     {"log_weight", number(c.log_weight)},
                     {label, c.state},
                     {"centre", std::vector<double>(c.centre.begin(), c.centre.end())}});
  }
  j["components"] = comps;
  return j;
}

void print_text(const MixtureArgs& a, const Source& s, const GaussianMixture& mix) {
  std::string label;
  std::vector<std::string> states;
  if (s.model) {
    const Model& m = *s.model;
    const bool ternary = m.hidden_units == UnitType::Ternary;
    std::cout << "model:          " << a.model << ": RBM with " << m.n_visible() << " Gaussian visible units (unit variance) and "
              << m.n_hidden() << " " << to_string(m.hidden_units) << " hidden units\n"
              << "mixture:        " << power_text(ternary ? 3 : 2, m.n_hidden(), mix.n_components)
              << " Gaussians N(v; a + W h, I), one per hidden state h, weighted by p(h)\n"
              << "covariance:     I (unit variance), the same for every component\n"
              << "log Z:          " << general(mix.log_normaliser) << "\n\n";
    label = ternary ? "h (-, 0, +)" : "h";
    for (const auto& c : mix.components) states.push_back(ternary ? ternary_text(c.state) : bits_text(c.state));
  } else {
    const GaussianExperts& e = *s.experts;
    std::cout << "experts:        " << a.model << ": " << e.n_experts << " experts, each a mixture of " << e.n_components
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

void run_mixture(const MixtureArgs& a) {
  const Source s = read_source(a.model);
  GaussianMixture mix;
  try {
    mix = s.model ? gaussian_rbm_mixture(*s.model, {kDefaultMaxComponents, a.top})
                  : product_of_experts_mixture(*s.experts, {kDefaultMaxComponents, a.top});
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(a.model + ": " + e.what());
  }
  if (a.json)
    std::cout << to_json(a, s, mix).dump() << std::endl;
  else
    print_text(a, s, mix);
}

}  // namespace

Command add_mixture(CLI::App& app) {
  auto a = std::make_shared<MixtureArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mixture", "write a Gaussian-visible RBM or a product of Gaussian-mixture experts as its mixture of Gaussians");
  cmd->add_option("MODEL", a->model,
                  "model.npz with Gaussian visible units, or an experts file: JSON {\"means\": (H, K, D), \"weights\": "
                  "(H, K)} or .npz with members means and weights")
      ->required();
  cmd->add_option("--top", a->top, "show only the N heaviest components [default: all]")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            if (digits && text.find_first_not_of('0') != std::string::npos) return "";
            return "N must be a whole number of at least 1, not '" + text + "'";
          },
          "N >= 1"));
  cmd->add_flag("--json", a->json, "print one JSON object with every figure (components with full centres)");
  return {cmd, [a] { run_mixture(*a); }};
}

}  // namespace rbmkit::cli
