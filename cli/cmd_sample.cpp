// rbmkit sample: run alternating Gibbs chains from a model and write the samples. Models with
// Gaussian visible units start from real data (standardised as the model was trained) or from
// N(a, I); their pictures and states are un-standardised.
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "pictures.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/options/train_options.hpp"

namespace rbmkit::cli {
namespace {

struct SampleArgs {
  std::string model;
  std::size_t chains = 100;
  int steps = 1000;
  std::string from;  // data | noise; empty: data when a data spec is known
  std::string data;
  std::string binarize;
  std::uint64_t seed = 0;
  std::string out = "samples.png";
  std::string npy;
  std::string tile;
};

// The training settings recorded in the model's meta, or null.
nlohmann::json recorded(const nlohmann::json& meta, const char* key) {
  if (meta.contains("settings") && meta["settings"].is_object() && meta["settings"].contains(key))
    return meta["settings"][key];
  return nullptr;
}

void run_sample(const SampleArgs& a) {
  const LoadedModel loaded = load_model(a.model);
  const Model& m = loaded.model;
  const std::optional<Standardization> standardization = read_model_standardization(a.model, m.n_visible());
  std::string spec = a.data;
  if (spec.empty() && recorded(loaded.meta, "data").is_string()) spec = recorded(loaded.meta, "data").get<std::string>();
  std::string binarize = a.binarize;
  if (binarize.empty()) {
    const auto b = recorded(loaded.meta, "binarize");
    binarize = b.is_string() ? b.get<std::string>() : "auto";
  }
  const std::string from = !a.from.empty() ? a.from : spec.empty() ? "noise" : "data";
  if (from != "data" && from != "noise") throw InvalidArgument("--from: invalid value '" + from + "' (expected data or noise)");
  if (from == "noise" && !a.data.empty()) throw InvalidArgument("--data is ignored with --from noise; drop one of them");
  if (from == "data" && spec.empty()) throw InvalidArgument("--from data needs --data SPEC (the model records no training data)");

  // The chains hold their visible states and means (chains x d each) and hidden probabilities
  // and states (chains x H each); refuse what would not fit before allocating it.
  constexpr double kMaxFloats = 2147483648.0;  // 8 GiB of float32, as check_model_size
  const double floats = 2.0 * static_cast<double>(a.chains) * static_cast<double>(m.n_visible() + m.n_hidden());
  if (floats > kMaxFloats)
    throw InvalidArgument("--chains " + std::to_string(a.chains) + ": chains of a " + std::to_string(m.n_visible()) + "-" +
                          std::to_string(m.n_hidden()) + " model would need " +
                          std::to_string(static_cast<long long>(floats * 4 / 1e9)) + " GB; the limit is 8 GB");
  Matrix start;
  if (from == "data") {
    Dataset data = load_data(spec, data_binarization(binarize, m.visible_units), {default_cache_dir(), true, false});
    if (data.cols() != m.n_visible())
      throw DataError("data " + spec + " has " + std::to_string(data.cols()) + " columns but the model has " +
                      std::to_string(m.n_visible()) + " visible units");
    if (data.empty()) throw DataError("data " + spec + " has no examples to start the chains from");
    if (m.visible_units == UnitType::Bernoulli) check_unit_interval(data, spec);
    if (standardization) data = standardize(data, *standardization);
    start = random_examples(data, std::min(a.chains, data.rows()), a.seed);
  } else {
    start = noise_for(m, a.chains, a.seed);
  }
  Chains chains = run_chains(m, std::move(start), a.steps, a.seed);
  if (!a.out.empty()) {
    write_chains_png(a.out, chains, model_tile(a.tile, loaded), {m.visible_units, standardization ? &*standardization : nullptr});
    std::cout << "samples: " << a.out << "\n";
  }
  if (!a.npy.empty()) {
    if (standardization) unstandardize(chains.states, *standardization);
    const NpyArray arr = npy_float32({static_cast<std::size_t>(chains.states.rows()), static_cast<std::size_t>(chains.states.cols())},
                                     chains.states.data());
    write_file_atomic(a.npy, encode_npy(arr));
    std::cout << "states:  " << a.npy << "\n";
  }
}

}  // namespace

Command add_sample(CLI::App& app) {
  auto a = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand("sample", "run alternating Gibbs chains and write the samples");
  cmd->add_option("MODEL", a->model, "model.npz written by rbmkit train")->required();
  cmd->add_option("--chains", a->chains, "number of chains [default: 100]")->check(CLI::Range(1, 1000000));
  cmd->add_option("--steps", a->steps, "Gibbs steps per chain [default: 1000]")->check(CLI::Range(1, 100000000));
  cmd->add_option("--from", a->from,
                  "start at random data examples or at noise (coin flips; N(a, I) for Gaussian visible units) "
                  "[default: data when a data spec is known]")
      ->check(CLI::IsMember({"data", "noise"}));
  cmd->add_option("--data", a->data, "data spec to start from [default: the model's training data]");
  cmd->add_option("--binarize", a->binarize, "binarisation of --data [default: the model's]");
  cmd->add_option("--seed", a->seed, "random seed [default: 0]");
  cmd->add_option("--out", a->out,
                  "PNG grid of the final conditional means E[v | h] (Gaussian visible units: un-standardised and "
                  "scaled to the grid's range) [default: samples.png]");
  cmd->add_option("--npy", a->npy,
                  "also write the final states (chains, d) as float32 .npy (binary; real and un-standardised for "
                  "Gaussian visible units)");
  cmd->add_option("--tile", a->tile, "tile shape WxH [default: the training data's image shape, else square]");
  return {cmd, [a] { run_sample(*a); }};
}

}  // namespace rbmkit::cli
