#include "rbmkit/io/experts_file.hpp"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/model_file.hpp"

namespace rbmkit {
namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) { throw FormatError(where + ": " + what); }

// A non-empty JSON array, or FormatError naming `path` (e.g. "means[1]").
const nlohmann::json& json_array(const nlohmann::json& j, const std::string& path, const std::string& where,
                                 const std::string& holds) {
  if (!j.is_array() || j.empty()) bad(where, path + " must be a non-empty array of " + holds);
  return j;
}

double json_number(const nlohmann::json& j, const std::string& path, const std::string& where) {
  if (!j.is_number()) bad(where, path + " must be a number, not " + std::string(j.type_name()));
  const double x = j.get<double>();
  if (!std::isfinite(x)) bad(where, path + " is not finite");
  return x;
}

GaussianExperts checked(GaussianExperts e, const std::string& where) {
  try {
    check_experts(e);
  } catch (const InvalidArgument& err) {
    bad(where, err.what());
  }
  return e;
}

std::vector<double> uniform_weights(std::size_t H, std::size_t K) {
  return std::vector<double>(H * K, 1.0 / static_cast<double>(K));
}

std::vector<double> npz_doubles(const NpyArray& a, const std::string& what) {
  if (a.type == NpyType::Float64) {
    std::vector<double> v(a.element_count());
    if (!v.empty()) std::memcpy(v.data(), a.data.data(), v.size() * sizeof(double));
    return v;
  }
  if (a.type != NpyType::Float32) throw FormatError(what + " must be float32 or float64, not " + npy_descr(a));
  const std::vector<float> f = npy_to_float32(a, what);
  return std::vector<double>(f.begin(), f.end());
}

}  // namespace

GaussianExperts parse_experts_json(std::string_view text, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& err) {
    bad(where, std::string("not valid JSON: ") + err.what());
  }
  if (!j.is_object())
    bad(where, "an experts file must be a JSON object with \"means\" and \"weights\", not " + std::string(j.type_name()));
  for (const auto& item : j.items())
    if (item.key() != "means" && item.key() != "weights")
      bad(where, "unknown key \"" + item.key() + "\" (an experts file holds \"means\" and \"weights\")");
  if (!j.contains("means")) bad(where, "missing key \"means\" (H experts, each K means of D numbers)");

  GaussianExperts e;
  const nlohmann::json& means = json_array(j["means"], "means", where, "experts (H arrays of K means)");
  e.n_experts = means.size();
  for (std::size_t i = 0; i < e.n_experts; ++i) {
    const std::string pi = "means[" + std::to_string(i) + "]";
    const nlohmann::json& expert = json_array(means[i], pi, where, "means (K arrays of D numbers)");
    if (i == 0) e.n_components = expert.size();
    if (expert.size() != e.n_components)
      bad(where, pi + " has " + std::to_string(expert.size()) + " means but means[0] has " + std::to_string(e.n_components));
    for (std::size_t k = 0; k < e.n_components; ++k) {
      const std::string pk = pi + "[" + std::to_string(k) + "]";
      const nlohmann::json& u = json_array(expert[k], pk, where, "numbers (one mean of D coordinates)");
      if (i == 0 && k == 0) e.dim = u.size();
      if (u.size() != e.dim)
        bad(where, pk + " has " + std::to_string(u.size()) + " numbers but means[0][0] has " + std::to_string(e.dim));
      for (std::size_t c = 0; c < e.dim; ++c) e.means.push_back(json_number(u[c], pk + "[" + std::to_string(c) + "]", where));
    }
  }
  if (!j.contains("weights")) {
    e.weights = uniform_weights(e.n_experts, e.n_components);
    return checked(std::move(e), where);
  }
  const nlohmann::json& weights = json_array(j["weights"], "weights", where, "experts' mixing weights (H arrays of K numbers)");
  if (weights.size() != e.n_experts)
    bad(where, "weights has " + std::to_string(weights.size()) + " rows but means has " + std::to_string(e.n_experts) +
                   " experts");
  for (std::size_t i = 0; i < e.n_experts; ++i) {
    const std::string pi = "weights[" + std::to_string(i) + "]";
    const nlohmann::json& row = json_array(weights[i], pi, where, "K mixing weights");
    if (row.size() != e.n_components)
      bad(where, pi + " has " + std::to_string(row.size()) + " weights but each expert has " + std::to_string(e.n_components) +
                     " means");
    for (std::size_t k = 0; k < e.n_components; ++k)
      e.weights.push_back(json_number(row[k], pi + "[" + std::to_string(k) + "]", where));
  }
  return checked(std::move(e), where);
}

GaussianExperts experts_from_npz(const std::map<std::string, NpyArray>& members, const std::string& where) {
  for (const auto& [name, array] : members)
    if (name != "means" && name != "weights")
      bad(where, "unknown member '" + name + "' (an experts .npz holds means (H, K, D) and weights (H, K))");
  const auto means = members.find("means");
  if (means == members.end()) bad(where, "missing member 'means' (H, K, D)");
  const std::vector<std::size_t>& shape = means->second.shape;
  if (shape.size() != 3 || shape[0] == 0 || shape[1] == 0 || shape[2] == 0)
    bad(where, "member 'means' must be (H, K, D) with H, K, D >= 1; it has shape " + npy_shape_text(shape));
  GaussianExperts e;
  e.n_experts = shape[0];
  e.n_components = shape[1];
  e.dim = shape[2];
  e.means = npz_doubles(means->second, where + ": member 'means'");
  const auto weights = members.find("weights");
  if (weights == members.end()) {
    e.weights = uniform_weights(e.n_experts, e.n_components);
  } else {
    if (weights->second.shape != std::vector<std::size_t>{e.n_experts, e.n_components})
      bad(where, "member 'weights' must be (H, K) = " + npy_shape_text({e.n_experts, e.n_components}) +
                     " to match 'means'; it has shape " + npy_shape_text(weights->second.shape));
    e.weights = npz_doubles(weights->second, where + ": member 'weights'");
  }
  return checked(std::move(e), where);
}

GaussianExperts load_experts(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.starts_with("PK")) return experts_from_npz(decode_npz(bytes, path), path);
  return parse_experts_json(bytes, path);
}

MixtureSource read_mixture_source(const std::string& path) {
  const std::string bytes = read_file(path);
  MixtureSource s;
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

}  // namespace rbmkit
