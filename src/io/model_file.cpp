#include "rbmkit/io/model_file.hpp"

#include <cmath>
#include <map>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/npz.hpp"

namespace rbmkit {
namespace {

using Arrays = std::map<std::string, NpyArray>;

void check_model_shapes(const Model& m) {
  const std::size_t d = m.n_visible(), H = m.n_hidden();
  if (d == 0 || H == 0)
    throw InvalidArgument("cannot save a model with W of shape (" + std::to_string(d) + ", " + std::to_string(H) + ")");
  if (static_cast<std::size_t>(m.b.size()) != H)
    throw InvalidArgument("cannot save a model whose b has " + std::to_string(m.b.size()) + " entries while W has " +
                          std::to_string(H) + " columns");
  const bool a_ok = static_cast<std::size_t>(m.a.size()) == d || (!m.visible_bias && m.a.size() == 0);
  if (!a_ok)
    throw InvalidArgument("cannot save a model whose a has " + std::to_string(m.a.size()) + " entries while W has " +
                          std::to_string(d) + " rows");
}

// The caller's meta with the model's own keys filled in, as JSON text.
std::string meta_text(const Model& m, const nlohmann::json& meta) {
  if (!meta.is_null() && !meta.is_object()) throw InvalidArgument("model meta must be a JSON object, not " + std::string(meta.type_name()));
  nlohmann::json full = meta.is_null() ? nlohmann::json::object() : meta;
  full["visible_units"] = to_string(m.visible_units);
  full["hidden_units"] = to_string(m.hidden_units);
  full["visible_bias"] = m.visible_bias;
  full["n_visible"] = m.n_visible();
  full["n_hidden"] = m.n_hidden();
  try {
    return full.dump(2, ' ', false);
  } catch (const nlohmann::json::type_error& e) {
    throw InvalidArgument(std::string("model meta cannot be written as JSON: ") + e.what());
  }
}

const NpyArray& member(const Arrays& arrays, const std::string& name, const std::string& path) {
  const auto it = arrays.find(name);
  if (it == arrays.end()) throw FormatError(path + ": missing member '" + name + "' (a model.npz holds W, a, b and meta)");
  return it->second;
}

// The elements of a float member with the expected number of dimensions, all finite.
std::vector<float> float_member(const Arrays& arrays, const std::string& name, std::size_t ndim, const std::string& path) {
  const NpyArray& arr = member(arrays, name, path);
  const std::string what = path + ": member '" + name + "'";
  if (arr.shape.size() != ndim)
    throw FormatError(what + " must be " + std::to_string(ndim) + "-D; it has shape " + npy_shape_text(arr.shape));
  std::vector<float> v = npy_to_float32(arr, what);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) throw FormatError(what + " holds a non-finite value at flat index " + std::to_string(i));
  return v;
}

void check_length(const std::string& path, const std::string& name, std::size_t got, const std::string& dim,
                  std::size_t want) {
  if (got != want)
    throw FormatError(path + ": " + name + " is " + std::to_string(got) + " but W has " + std::to_string(want) + " " + dim +
                      " (W is (n_visible, n_hidden))");
}

nlohmann::json read_meta(const Arrays& arrays, const std::string& path) {
  if (!arrays.count("meta")) return nlohmann::json::object();  // the minimal format: W, a, b
  const std::string text = npy_to_utf8(member(arrays, "meta", path), path + ": member 'meta'");
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(path + ": member 'meta' is not valid JSON: " + e.what());
  }
  if (!meta.is_object()) throw FormatError(path + ": member 'meta' must be a JSON object, not " + std::string(meta.type_name()));
  return meta;
}

UnitType meta_units(const nlohmann::json& meta, const std::string& key, const std::string& path) {
  if (!meta.contains(key)) return UnitType::Bernoulli;
  if (!meta[key].is_string()) throw FormatError(path + ": meta " + key + " must be a string");
  try {
    return parse_unit_type(meta[key].get<std::string>());
  } catch (const InvalidArgument& e) {
    throw FormatError(path + ": meta " + key + ": " + e.what());
  }
}

void check_meta_size(const nlohmann::json& meta, const std::string& key, std::size_t want, const std::string& dim,
                     const std::string& path) {
  if (!meta.contains(key)) return;
  if (!meta[key].is_number_unsigned()) throw FormatError(path + ": meta " + key + " must be a non-negative integer");
  check_length(path, "meta " + key, meta[key].get<std::size_t>(), dim, want);
}

// The model held by the members of a model.npz; `path` names it in errors.
LoadedModel model_from_arrays(const Arrays& arrays, const std::string& path) {
  const std::vector<float> W = float_member(arrays, "W", 2, path);
  const std::vector<std::size_t>& shape = arrays.at("W").shape;
  const std::size_t d = shape[0], H = shape[1];
  if (d == 0 || H == 0) throw FormatError(path + ": member 'W' has shape " + npy_shape_text(shape) + "; a model needs d, H >= 1");
  const std::vector<float> a = float_member(arrays, "a", 1, path);
  const std::vector<float> b = float_member(arrays, "b", 1, path);
  check_length(path, "the length of a", a.size(), "rows", d);
  check_length(path, "the length of b", b.size(), "columns", H);

  LoadedModel out;
  out.path = path;
  out.meta = read_meta(arrays, path);
  check_meta_size(out.meta, "n_visible", d, "rows", path);
  check_meta_size(out.meta, "n_hidden", H, "columns", path);
  Model& m = out.model;
  m.visible_units = meta_units(out.meta, "visible_units", path);
  m.hidden_units = meta_units(out.meta, "hidden_units", path);
  if (out.meta.contains("visible_bias") && !out.meta["visible_bias"].is_boolean())
    throw FormatError(path + ": meta visible_bias must be true or false");
  m.visible_bias = out.meta.value("visible_bias", true);
  const auto rows = static_cast<Eigen::Index>(d), cols = static_cast<Eigen::Index>(H);
  m.W = Eigen::Map<const Matrix>(W.data(), rows, cols);
  m.a = Eigen::Map<const Vector>(a.data(), rows);
  m.b = Eigen::Map<const Vector>(b.data(), cols);
  if (!m.visible_bias && !m.a.isZero(0.0f))
    throw FormatError(path + ": meta visible_bias is false but member 'a' has non-zero entries");
  out.standardization = read_standardization(arrays, d, path);
  return out;
}

}  // namespace

void save_model(const std::string& path, const Model& model, const nlohmann::json& meta,
                const std::vector<NpzMember>& extra) {
  check_model_shapes(model);
  const std::size_t d = model.n_visible(), H = model.n_hidden();
  const std::vector<float> no_bias(model.visible_bias ? 0 : d, 0.0f);
  const float* a = model.visible_bias ? model.a.data() : no_bias.data();
  std::vector<NpzMember> members{
      {"W", npy_float32({d, H}, model.W.data())},
      {"b", npy_float32({H}, model.b.data())},
      {"a", npy_float32({d}, a)},
      {"meta", npy_unicode(meta_text(model, meta))},
  };
  members.insert(members.end(), extra.begin(), extra.end());
  write_npz(path, members);
}

LoadedModel load_model(const std::string& path) { return model_from_arrays(read_npz(path), path); }

LoadedModel load_model_bytes(std::string_view bytes, const std::string& where) {
  return model_from_arrays(decode_npz(bytes, where), where);
}

nlohmann::json recorded_setting(const LoadedModel& m, const std::string& key) {
  const auto settings = m.meta.find("settings");
  if (settings == m.meta.end() || !settings->is_object() || !settings->contains(key)) return nullptr;
  return (*settings)[key];
}

}  // namespace rbmkit
