// The `rbmkit mixture` workflow: a Gaussian-visible RBM (model.npz) or a product of
// Gaussian-mixture experts (an experts file, io/experts_file.hpp) written out as the mixture of
// Gaussians it is (evaluation/mixture.hpp), and that view as one JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "rbmkit/evaluation/mixture.hpp"
#include "rbmkit/options/mixture_options.hpp"

namespace rbmkit {

struct MixtureView {
  std::string source;                      // the file
  std::optional<Model> model;              // a Gaussian-visible RBM, or
  std::optional<GaussianExperts> experts;  // a product of experts
  GaussianMixture mixture;                 // heaviest component first, settings.top of them (0: all)
};

// The file is read by read_mixture_source (io/experts_file.hpp). Throws IoError and FormatError
// for unreadable files, InvalidArgument (naming the file) for models with no mixture view or too
// many components.
MixtureView mixture_view(const MixtureSettings& settings);

// The mixture of a Gaussian-visible RBM in memory (the top heaviest components; 0: all);
// `source` names it in messages and in to_json's "file". Throws InvalidArgument as
// gaussian_rbm_mixture.
MixtureView model_mixture_view(const Model& m, std::uint64_t top, const std::string& source);

// The file, its kind ("gaussian_rbm" or "product_of_experts") and parameters, the mixture's
// dimension, variance, number of components and log normaliser, and the components shown (rank,
// weight, log weight, state as "h" or choice as "k", centre). Infinities are null.
nlohmann::json to_json(const MixtureView& view);

}  // namespace rbmkit
