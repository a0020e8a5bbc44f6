// Binarisation rules: how a data spec's values become the binary states of Bernoulli visible
// units (data/data_spec.hpp applies them).
#pragma once

#include <cstdint>
#include <string>

namespace rbmkit {

struct Binarization {
  enum class Kind {
    Auto,        // Threshold(127.5) for MNIST specs, None for files
    Threshold,   // value > threshold -> 1, else 0; threshold on the raw scale (0..255 for bytes)
    Stochastic,  // each value -> Bernoulli(intensity), drawn from RandomStream(seed, row index)
    None,        // values pass through; 0..255 bytes become intensities in [0, 1]
  };
  Kind kind = Kind::Auto;
  double threshold = 127.5;
  std::uint64_t seed = 0;
};

// Parses "auto", "none", "threshold", "threshold:T" (T a finite number), "stochastic" (seed 0)
// or "stochastic:SEED" (SEED an unsigned 64-bit integer). InvalidArgument naming the value
// and listing these forms otherwise.
Binarization parse_binarization(const std::string& text);

// The shortest decimal that reads back as the same double ("127.5", "0.1"), as used in messages
// and in to_string below.
std::string shortest_number(double x);

// The form parse_binarization reads back: "auto", "none", "threshold:127.5", "stochastic:7".
std::string to_string(const Binarization& b);

}  // namespace rbmkit
