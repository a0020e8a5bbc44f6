#include "rbmkit/workflows/sample_run.hpp"

#include <algorithm>

#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/io/model_data.hpp"
#include "rbmkit/pictures/model_pictures.hpp"

namespace rbmkit {

SampleRun run_sampling(const SampleSettings& s, const MessageSink& messages) {
  check_options(s, sample_options());
  const LoadedModel loaded = load_model(s.model);
  const Model& m = loaded.model;
  std::string spec = s.data;
  if (spec.empty() && recorded_setting(loaded, "data").is_string()) spec = recorded_setting(loaded, "data").get<std::string>();
  const SampleStart from = s.from != SampleStart::Auto ? s.from : spec.empty() ? SampleStart::Noise : SampleStart::Data;
  if (from == SampleStart::Noise && !s.data.empty())
    throw ParameterError("data", "starting data is ignored when the chains start from noise; drop one of them");
  if (from == SampleStart::Data && spec.empty())
    throw ParameterError("from", "chains that start from data need a data spec (the model records no training data)");

  // The chains hold their visible states and means (chains x d each) and hidden probabilities
  // and states (chains x H each); refuse what would not fit before allocating it.
  constexpr double kMaxFloats = 2147483648.0;  // 8 GiB of float32, as check_model_size
  const double floats = 2.0 * static_cast<double>(s.chains) * static_cast<double>(m.n_visible() + m.n_hidden());
  if (floats > kMaxFloats)
    throw ParameterError("chains", "number of chains " + std::to_string(s.chains) + ": chains of a " +
                                       std::to_string(m.n_visible()) + "-" + std::to_string(m.n_hidden()) +
                                       " model would need " + std::to_string(static_cast<long long>(floats * 4 / 1e9)) +
                                       " GB; the limit is 8 GB");
  Matrix start;
  if (from == SampleStart::Data) {
    const ModelData d = load_data_for(loaded, spec, s.binarize, {default_cache_dir(), true, messages});
    if (m.visible_units == UnitType::Bernoulli) check_unit_interval(d.data, spec);
    start = random_examples(d.data, std::min(s.chains, d.data.rows()), s.seed);
  } else {
    start = noise_for(m, s.chains, s.seed);
  }
  SampleRun run;
  run.chains = run_chains(m, std::move(start), static_cast<int>(s.steps), s.seed);
  const VisibleDisplay display{m.visible_units, loaded.standardization ? &*loaded.standardization : nullptr};
  if (!s.out.empty()) {
    write_chains_png(s.out, run.chains, model_tile(s.tile, loaded), display);
    run.files.push_back({"samples", s.out});
  }
  if (loaded.standardization) unstandardize(run.chains.states, *loaded.standardization);
  if (!s.npy.empty()) {
    const Matrix& X = run.chains.states;
    write_file_atomic(s.npy, encode_npy(npy_float32({static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols())},
                                                    X.data())));
    run.files.push_back({"states", s.npy});
  }
  return run;
}

void run_show(const ShowSettings& s) {
  const LoadedModel loaded = load_model(s.model);
  write_weights_png(s.out, loaded.model, model_tile(s.tile, loaded));
}

}  // namespace rbmkit
