#include "rbmkit/data/data_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>
#include <vector>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/random.hpp"

namespace rbmkit {
namespace {

using Kind = Binarization::Kind;

// Byte data on the 0..255 scale: byte-backed, scale 1, not already binary.
bool raw_bytes(const Dataset& d) { return d.byte_backed() && !d.binary() && d.byte_scale() == 1.0f; }

Dataset with_image_shape(Dataset out, const Dataset& like) {
  out.image_width = like.image_width;
  out.image_height = like.image_height;
  return out;
}

Dataset threshold(const Dataset& data, double t) {
  std::vector<std::uint8_t> out(data.rows() * data.cols());
  if (data.byte_backed()) {
    std::array<std::uint8_t, 256> above;
    for (std::size_t b = 0; b < 256; ++b) above[b] = static_cast<float>(b) * data.byte_scale() > t;
    std::transform(data.bytes().begin(), data.bytes().end(), out.begin(), [&](std::uint8_t b) { return above[b]; });
  } else {
    std::vector<float> row(data.cols());
    for (std::size_t i = 0; i < data.rows(); ++i) {
      data.copy_row(i, row.data());
      std::transform(row.begin(), row.end(), out.begin() + static_cast<std::ptrdiff_t>(i * data.cols()),
                     [&](float v) { return v > t; });
    }
  }
  return Dataset::from_bytes(data.rows(), data.cols(), std::move(out));
}

// The first value outside [0, 1] as "value V at row I, column J (0-based)", or "" when none.
std::string first_outside_unit_interval(const Dataset& data) {
  if (data.byte_backed() && 255.0f * data.byte_scale() <= 1.0f) return "";
  for (std::size_t i = 0; i < data.rows(); ++i)
    for (std::size_t j = 0; j < data.cols(); ++j) {
      const float v = data.value(i, j);
      if (!(v >= 0.0f && v <= 1.0f))
        return "value " + shortest_number(v) + " at row " + std::to_string(i) + ", column " + std::to_string(j) +
               " (0-based)";
    }
  return "";
}

// Bernoulli(intensity) draws; intensity = value / 255 for raw byte data, else the value itself.
Dataset stochastic(const Dataset& data, std::uint64_t seed) {
  const bool bytes = raw_bytes(data);
  if (!bytes)
    if (const std::string bad = first_outside_unit_interval(data); !bad.empty())
      throw DataError("stochastic binarization: " + bad +
                      " is not an intensity in [0, 1]; rescale the data or use a threshold");
  const float factor = bytes ? 1.0f / 255.0f : 1.0f;
  const std::size_t rows = data.rows(), cols = data.cols();
  std::vector<std::uint8_t> out(rows * cols);
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<float> u(cols), p(cols);
    RandomStream(seed, i).uniform(u.data(), cols);
    data.copy_row(i, p.data());
    for (std::size_t j = 0; j < cols; ++j) out[i * cols + j] = u[j] < p[j] * factor;
  }
  return Dataset::from_bytes(rows, cols, std::move(out));
}

struct MnistSpec {
  std::string split;
  std::set<int> digits;
};

MnistSpec parse_mnist_spec(const std::string& spec) {
  const auto fail = [&]() {
    throw InvalidArgument("data spec '" + spec +
                          "': expected mnist:SPLIT or mnist:SPLIT:DIGITS with SPLIT train, test or "
                          "all and DIGITS a string of digits such as 3 or 38");
  };
  const std::string rest = spec.substr(6);
  const std::size_t colon = rest.find(':');
  MnistSpec m{rest.substr(0, colon), {}};
  if (m.split != "train" && m.split != "test" && m.split != "all") fail();
  if (colon != std::string::npos) {
    const std::string digits = rest.substr(colon + 1);
    if (digits.empty()) fail();
    for (char c : digits) {
      if (c < '0' || c > '9') fail();
      m.digits.insert(c - '0');
    }
  }
  return m;
}

// A spec that looks like MNIST but is not written as one: "mnist" alone, or in other letter case.
void check_mnist_spelling(const std::string& spec) {
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "mnist")
    throw InvalidArgument("data spec '" + spec + "': name a split: mnist:train (60,000 images), mnist:test (10,000) "
                          "or mnist:all, optionally with digits, e.g. mnist:train:3");
  if (lower.starts_with("mnist:") && !spec.starts_with("mnist:"))
    throw InvalidArgument("data spec '" + spec + "': MNIST specs are lower case: " + lower);
}

// The data and the binarisation rule that turned it into `out`: DataError when a rule makes
// every value the same although the data's values differ (a threshold on the wrong scale).
void check_not_constant(const Dataset& raw, const Dataset& out, const Binarization& b, const std::string& spec) {
  if (b.kind != Kind::Threshold && b.kind != Kind::Stochastic) return;
  if (out.rows() * out.cols() == 0) return;
  const std::span<const std::uint8_t> bytes = out.bytes();
  if (std::any_of(bytes.begin(), bytes.end(), [&](std::uint8_t v) { return v != bytes[0]; })) return;
  float lo = raw.value(0, 0), hi = lo;
  for (std::size_t i = 0; i < raw.rows(); ++i)
    for (std::size_t j = 0; j < raw.cols(); ++j) lo = std::min(lo, raw.value(i, j)), hi = std::max(hi, raw.value(i, j));
  if (lo == hi) return;
  throw DataError("binarisation " + to_string(b) + " turns every value of data " + spec + " into " +
                  std::to_string(bytes[0]) + ", although its values range from " + shortest_number(lo) + " to " +
                  shortest_number(hi) + (raw_bytes(raw) ? " (bytes on the 0..255 scale)" : " (its own scale)") +
                  "; pick a threshold inside that range, or binarize none for data that is already 0 and 1");
}

LabeledMnist load_mnist_spec(const std::string& spec, Binarization b, const DataOptions& options) {
  const MnistSpec m = parse_mnist_spec(spec);
  const std::string dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  if (!mnist_files_present(dir)) {
    if (!options.allow_fetch)
      throw IoError("data spec '" + spec + "': MNIST is not in " + dir + " and fetching is disabled");
    fetch_mnist(dir, "", options.messages);
  }
  b = resolve_binarization(spec, b);
  LabeledMnist out = load_labeled_mnist(m.split, m.digits, dir);
  const Dataset raw = out.images;
  out.images = binarize(raw, b);
  check_not_constant(raw, out.images, b, spec);
  return out;
}

}  // namespace

Dataset binarize(const Dataset& data, const Binarization& b) {
  switch (b.kind) {
    case Kind::Threshold: return with_image_shape(threshold(data, b.threshold), data);
    case Kind::Stochastic: return with_image_shape(stochastic(data, b.seed), data);
    case Kind::Auto:
    case Kind::None:
      if (!raw_bytes(data)) return data;
      return with_image_shape(Dataset::from_bytes(data.rows(), data.cols(), {data.bytes().begin(), data.bytes().end()}, 1.0f / 255.0f), data);
  }
  return data;
}

Dataset load_data(const std::string& spec, const Binarization& b, const DataOptions& options) {
  check_mnist_spelling(spec);
  if (spec.starts_with("mnist:")) return load_mnist_spec(spec, b, options).images;
  const Dataset raw = read_array(spec);
  Dataset out = binarize(raw, b);
  check_not_constant(raw, out, b, spec);
  return out;
}

LabeledMnist load_labeled_data(const std::string& spec, const Binarization& b, const DataOptions& options) {
  check_mnist_spelling(spec);
  if (!spec.starts_with("mnist:"))
    throw InvalidArgument("data spec '" + spec + "': labels are known for MNIST specs only (mnist:SPLIT[:DIGITS])");
  return load_mnist_spec(spec, b, options);
}

Binarization resolve_binarization(const std::string& spec, Binarization b) {
  if (b.kind != Kind::Auto) return b;
  return spec.starts_with("mnist:") ? Binarization{Kind::Threshold, 127.5, 0} : Binarization{Kind::None, 127.5, 0};
}

std::string recorded_spec(const std::string& spec) {
  if (spec.starts_with("mnist:")) return spec;
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(spec, ec);
  return ec ? spec : absolute.lexically_normal().string();
}

void check_unit_interval(const Dataset& data, const std::string& what) {
  if (const std::string bad = first_outside_unit_interval(data); !bad.empty())
    throw DataError(what + ": " + bad +
                    " is outside [0, 1], which binary visible units need; binarise the data or rescale it "
                    "to [0, 1]");
}

}  // namespace rbmkit
