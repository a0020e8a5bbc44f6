#include "rbmkit/workflows/model_tools.hpp"

#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/io/foreign_model.hpp"
#include "rbmkit/io/model_data.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/units.hpp"
#include "rbmkit/sampling/gibbs.hpp"

namespace rbmkit {

TransformRun run_transform(const TransformSettings& s, const MessageSink& messages) {
  check_file_extension("out", s.out, ".npy", ".npy");
  const LoadedModel loaded = load_model(s.model);
  const ModelData d = load_data_for(loaded, s.data, s.binarize, {default_cache_dir(), true, messages});
  if (loaded.model.visible_units == UnitType::Bernoulli) check_unit_interval(d.data, "data " + s.data);
  TransformRun run;
  hidden_probs(loaded.model, to_matrix(d.data), run.features);
  if (s.sample)
    sample_hidden(loaded.model.hidden_units, run.features, run.features, {s.seed, stream_id(Purpose::Transform, 0), 0});
  const Matrix& F = run.features;
  write_file_atomic(s.out, encode_npy(npy_float32({static_cast<std::size_t>(F.rows()), static_cast<std::size_t>(F.cols())},
                                                  F.data())));
  run.files.push_back({s.sample ? "states" : "features", s.out});
  return run;
}

Model run_import(const ImportSettings& s) {
  check_file_extension("out", s.out, ".npz", "a model .npz");
  const Model m = read_sklearn_model(s.source);
  save_model(s.out, m, {{"imported_from", s.from}, {"source", s.source}, {"rbmkit_version", RBMKIT_VERSION}});
  return m;
}

}  // namespace rbmkit
