// Which random stream each consumer uses (see random.hpp): stream id = purpose << 56 | index.
// Keeping the assignment in one place makes every result a function of the seed alone.
#pragma once

#include <cstdint>

namespace rbmkit {

enum class Purpose : std::uint64_t {
  Init = 1,        // weight initialisation; index 0
  Pick = 2,        // example selection and shuffling; index = update or epoch
  Gibbs = 3,       // Gibbs sampling during training; index = update
  Sample = 4,      // the sample command's chains; index = chain
  Monitor = 5,     // choice of the monitoring subsets; index 0
  Binarize = 6,    // stochastic binarisation; index = row
  Ais = 7,         // AIS chains; index = chain
  Raise = 8,       // RAISE: index 0 picks the examples, index 1 + i is example i's chain
  Pll = 9,         // stochastic pseudo-likelihood: the bit flipped; index = row
  Swap = 10,       // parallel tempering's swap decisions; index = update
  Transform = 11,  // sampled hidden states of the transform command; index 0
  Clamp = 12,      // the free units' noise start of conditional sampling; index 0
};

constexpr std::uint64_t stream_id(Purpose p, std::uint64_t index) {
  return (static_cast<std::uint64_t>(p) << 56) | (index & ((std::uint64_t{1} << 56) - 1));
}

}  // namespace rbmkit
