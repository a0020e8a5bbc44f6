#include "rbmkit/workflows/sample_run.hpp"

#include <algorithm>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/io/model_data.hpp"
#include "rbmkit/pictures/model_pictures.hpp"

namespace rbmkit {

namespace {

// The clamp mask (d values, 1 = held) of a region of the tile (w x h) or of a .npy file.
std::vector<std::uint8_t> clamp_mask(const std::string& spec, std::size_t d, Tile tile) {
  std::vector<std::uint8_t> mask(d, 0);
  const auto [w, h] = tile;
  const auto region = [&](auto held) {
    for (std::size_t i = 0; i < d; ++i) mask[i] = held(i / w, i % w) ? 1 : 0;
    return mask;
  };
  if (spec == "top-half") return region([h = h](std::size_t r, std::size_t) { return 2 * r < h; });
  if (spec == "bottom-half") return region([h = h](std::size_t r, std::size_t) { return 2 * r >= h; });
  if (spec == "left-half") return region([w = w](std::size_t, std::size_t c) { return 2 * c < w; });
  if (spec == "right-half") return region([w = w](std::size_t, std::size_t c) { return 2 * c >= w; });
  if (!spec.ends_with(".npy") && !spec.ends_with(".NPY"))
    throw ParameterError("clamp", "clamped units must be a .npy mask or top-half, bottom-half, left-half or "
                                  "right-half (got '" + spec + "')");
  const Dataset m = read_npy(spec);
  if (m.rows() * m.cols() != d)
    throw ParameterError("clamp", "the mask " + spec + " has " + std::to_string(m.rows() * m.cols()) +
                                      " values but the model has " + std::to_string(d) + " visible units");
  if (!m.binary()) throw ParameterError("clamp", "the mask " + spec + " must hold only 0 (sampled) and 1 (held)");
  for (std::size_t i = 0; i < d; ++i) mask[i] = m.value(i / m.cols(), i % m.cols()) != 0.0f;
  return mask;
}

}  // namespace

SampleRun run_sampling(const SampleSettings& s, const MessageSink& messages) {
  check_options(s, sample_options());
  if (!s.out.empty()) check_file_extension("out", s.out, ".png", "PNG");
  if (!s.npy.empty()) check_file_extension("npy", s.npy, ".npy", ".npy");
  const LoadedModel loaded = load_model(s.model);
  const Model& m = loaded.model;
  std::string spec = s.data;
  if (spec.empty() && recorded_setting(loaded, "data").is_string()) spec = recorded_setting(loaded, "data").get<std::string>();
  const SampleStart from = s.from != SampleStart::Auto ? s.from : spec.empty() ? SampleStart::Noise : SampleStart::Data;
  if (from == SampleStart::Noise && !s.data.empty())
    throw ParameterError("data", "starting data is ignored when the chains start from noise; drop one of them");
  if (from == SampleStart::Data && spec.empty())
    throw ParameterError("from", "chains that start from data need a data spec (the model records no training data)");
  if (!s.clamp.empty() && from != SampleStart::Data)
    throw ParameterError("clamp", "conditional sampling holds units at the data's values, so the chains must start from data");
  const bool picture = !s.out.empty();
  const Tile tile = picture || !s.clamp.empty() ? model_tile(s.tile, loaded) : Tile{m.n_visible(), 1};
  const std::vector<std::uint8_t> clamp = s.clamp.empty() ? std::vector<std::uint8_t>{} : clamp_mask(s.clamp, m.n_visible(), tile);

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
  const VisibleDisplay display{m.visible_units, loaded.standardization ? &*loaded.standardization : nullptr};
  const int scale = static_cast<int>(s.scale);
  if (clamp.empty()) {
    run.chains = run_chains(m, std::move(start), static_cast<int>(s.steps), s.seed, s.precision);
    if (picture) write_chains_png(s.out, run.chains, tile, display, scale);
  } else {
    // The free units start from noise, so that nothing of the example they complete leaks in.
    const Matrix data = start;
    run.chains = run_clamped_chains(m, noise_for(m, static_cast<std::size_t>(data.rows()), s.seed), data, clamp,
                                    static_cast<int>(s.steps), s.seed, s.precision);
    if (picture) write_inpainting_png(s.out, data, clamp, run.chains.means, tile, display, scale);
  }
  if (picture) run.files.push_back({"samples", s.out});
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
  check_options(s, show_options());
  check_file_extension("out", s.out, ".png", "PNG");
  const LoadedModel loaded = load_model(s.model);
  write_weights_png(s.out, loaded.model, model_tile(s.tile, loaded), static_cast<int>(s.scale));
}

}  // namespace rbmkit
