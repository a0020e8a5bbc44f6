#include "rbmkit/io/checkpoint.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/model_file.hpp"

namespace rbmkit {
namespace {

const std::string kPrefix = "state.";

}  // namespace

void save_checkpoint(const std::string& path, const TrainState& state, const nlohmann::json& meta) {
  std::vector<NpzMember> extra;
  for (const auto& [name, m] : state.arrays)
    extra.push_back({kPrefix + name, npy_float32({static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())},
                                                 m.data())});
  nlohmann::json full = meta.is_object() ? meta : nlohmann::json::object();
  full["progress"] = {{"update", state.update},
                      {"total_updates", state.total_updates},
                      {"finished", state.total_updates > 0 && state.update >= state.total_updates},
                      {"examples_seen", state.examples_seen},
                      {"seconds", state.seconds}};
  save_model(path, state.model, full, extra);
}

LoadedCheckpoint load_checkpoint(const std::string& path) {
  LoadedModel loaded = load_model(path);
  LoadedCheckpoint c;
  c.meta = loaded.meta;
  c.state.model = std::move(loaded.model);
  const auto& p = c.meta.contains("progress") ? c.meta["progress"] : nlohmann::json();
  if (!p.is_object() || !p.value("update", nlohmann::json()).is_number_unsigned() ||
      !p.value("examples_seen", nlohmann::json()).is_number_unsigned() || !p.value("seconds", nlohmann::json()).is_number())
    throw FormatError(path + ": not a checkpoint (meta has no valid \"progress\")");
  c.state.update = p["update"].get<std::uint64_t>();
  c.state.examples_seen = p["examples_seen"].get<std::uint64_t>();
  c.state.seconds = p["seconds"].get<double>();
  if (p.contains("total_updates") && p["total_updates"].is_number_unsigned())
    c.state.total_updates = p["total_updates"].get<std::uint64_t>();
  for (auto& [name, array] : read_npz(path)) {
    if (name.rfind(kPrefix, 0) != 0) continue;
    if (array.shape.size() != 2) throw FormatError(path + ": member '" + name + "' is not 2-D");
    const std::vector<float> values = npy_to_float32(array, path + ": member '" + name + "'");
    c.state.arrays[name.substr(kPrefix.size())] =
        Eigen::Map<const Matrix>(values.data(), static_cast<Eigen::Index>(array.shape[0]),
                                 static_cast<Eigen::Index>(array.shape[1]));
  }
  return c;
}

}  // namespace rbmkit
