// model.npz: an RBM's parameters in a file numpy opens directly.
//
//   d = numpy.load("model.npz")           # allow_pickle=False is enough
//   d["W"]  float32 (n_visible, n_hidden), C order
//   d["b"]  float32 (n_hidden,)            hidden bias
//   d["a"]  float32 (n_visible,)           visible bias (zeros when the model has none)
//   json.loads(str(d["meta"]))             0-d '<U{n}' string: a JSON object
//
// The minimal model file, which any toolkit can write (numpy.savez("m.npz", W=W, a=a, b=b)),
// has W, a and b alone: a binary RBM (Bernoulli units on both layers) with a visible bias.
//
// meta, when written by rbmkit, holds "visible_units" and "hidden_units" (to_string(UnitType)), "visible_bias"
// (bool), "n_visible" and "n_hidden"; callers add whatever else they like (training options,
// data spec, version).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/model/model.hpp"

namespace rbmkit {

// Writes `model` and `meta` to `path` atomically (the whole file is built in memory, then
// write_file_atomic). `meta` must be a JSON object (or null, treated as {}); the keys listed
// above are overwritten from the model. Throws InvalidArgument when meta is not an object or
// holds invalid UTF-8, or when a or b do not match W's shape (a may be empty when
// visible_bias is false); IoError when the file cannot be written.
// `extra` members (other names than W, a, b, meta) are stored after them, e.g. a checkpoint's
// training state.
void save_model(const std::string& path, const Model& model, const nlohmann::json& meta,
                const std::vector<NpzMember>& extra = {});

struct LoadedModel {
  std::string path;     // where it was read from (load_model's path, load_model_bytes' `where`)
  Model model;
  nlohmann::json meta;  // the whole meta object as stored
  // The standardisation of Gaussian visible units (standardization_file.hpp), if stored.
  std::optional<Standardization> standardization;
};

// Reads a model.npz (written by save_model or by numpy.savez / savez_compressed with the same
// members). W must be 2-D, a and b 1-D of lengths n_visible and n_hidden, all float32 or
// float64 (converted to float) and finite; meta (optional) a JSON object whose n_visible / n_hidden, when
// present, match W. Unit types come from meta (missing: bernoulli); visible_bias from meta
// (missing: true; when false, a must be all zeros). Members other than W, a, b and meta are
// ignored, but for the standardisation members (standardization_file.hpp). Throws IoError when
// the file cannot be read and FormatError naming the file and the member or key at fault for
// anything else.
LoadedModel load_model(const std::string& path);

// load_model over the bytes of a model.npz in memory (decode_npz, then the same checks);
// `where` starts every error message. Throws FormatError as load_model.
LoadedModel load_model_bytes(std::string_view bytes, const std::string& where);

// meta["settings"][key] of a model written by rbmkit train (the training settings,
// options/train_options.hpp), or null when the model records none.
nlohmann::json recorded_setting(const LoadedModel& m, const std::string& key);

}  // namespace rbmkit
