// Experts files: a product of Gaussian-mixture experts (evaluation/mixture.hpp) on disk.
//
// JSON:  {"means": [[[u_{1,1} as D numbers], ... K], ... H], "weights": [[pi_{1,1}, ... K], ... H]}
//        "weights" may be left out: uniform, 1/K each. No other keys.
// .npz:  members "means" (H, K, D) and optionally "weights" (H, K), float32 or float64
//        (numpy.savez(path, means=..., weights=...)). No other members.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "rbmkit/evaluation/mixture.hpp"
#include "rbmkit/formats/npy.hpp"

namespace rbmkit {

// Parses the JSON form; `where` (normally the file name) starts every message. Throws
// FormatError for invalid JSON, a missing or unknown key, ragged or empty arrays, non-numbers,
// and anything check_experts refuses.
GaussianExperts parse_experts_json(std::string_view text, const std::string& where);

// The experts held by the members of an .npz (decode_npz / read_npz); `where` starts every
// message. Throws FormatError as parse_experts_json, and for members of the wrong shape or type.
GaussianExperts experts_from_npz(const std::map<std::string, NpyArray>& members, const std::string& where);

// Reads an experts file: an .npz (recognised by its zip signature) or else JSON. Throws IoError
// when the file cannot be read, FormatError naming the file and the problem otherwise.
GaussianExperts load_experts(const std::string& path);

// What a file for the mixture view holds: a product of experts or a model (exactly one is set).
struct MixtureSource {
  std::optional<Model> model;
  std::optional<GaussianExperts> experts;
};

// An .npz (zip signature) with a member 'means' is an experts file, any other .npz a model.npz
// (io/model_file.hpp); anything else is read as an experts JSON file. Throws IoError when the
// file cannot be read, FormatError naming the file and the problem otherwise.
MixtureSource read_mixture_source(const std::string& path);

}  // namespace rbmkit
