#include "rbmkit/workflows/mixture_view.hpp"

#include <cmath>
#include <limits>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/json_number.hpp"
#include "rbmkit/io/experts_file.hpp"

namespace rbmkit {
namespace {

MixtureOptions mixture_options(std::uint64_t top) {
  return {kDefaultMaxComponents, top ? top : std::numeric_limits<std::size_t>::max()};
}

}  // namespace

MixtureView mixture_view(const MixtureSettings& settings) {
  MixtureSource source = read_mixture_source(settings.source);
  if (source.model) return model_mixture_view(*source.model, settings.top, settings.source);
  MixtureView v;
  v.source = settings.source;
  v.experts = std::move(source.experts);
  try {
    v.mixture = product_of_experts_mixture(*v.experts, mixture_options(settings.top));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(settings.source + ": " + e.what());
  }
  return v;
}

MixtureView model_mixture_view(const Model& m, std::uint64_t top, const std::string& source) {
  MixtureView v;
  v.source = source;
  v.model = m;
  try {
    v.mixture = gaussian_rbm_mixture(m, mixture_options(top));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(source + ": " + e.what());
  }
  return v;
}

nlohmann::json to_json(const MixtureView& s) {
  const GaussianMixture& mix = s.mixture;
  nlohmann::json j = {{"file", s.source},
                      {"dim", mix.dim},
                      {"variance", mix.variance},
                      {"n_components", mix.n_components},
                      {"shown", mix.components.size()},
                      {"log_normaliser", json_number(mix.log_normaliser)}};
  const char* label = s.model ? "h" : "k";
  if (s.model) {
    j["kind"] = "gaussian_rbm";
    j["hidden_units"] = to_string(s.model->hidden_units);
    j["n_hidden"] = s.model->n_hidden();
    j["log_z"] = json_number(mix.log_normaliser);
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
                     {"log_weight", json_number(c.log_weight)},
                     {label, c.state},
                     {"centre", std::vector<double>(c.centre.begin(), c.centre.end())}});
  }
  j["components"] = comps;
  return j;
}

}  // namespace rbmkit
