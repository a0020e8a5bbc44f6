// Drawing samples from a trained model: alternating Gibbs chains started at data or at noise
// (EXERCISE.md part 1: h ~ p(h | x), x ~ p(x | h), repeated k times).
#pragma once

#include <cstdint>

#include "rbmkit/dataset.hpp"
#include "rbmkit/model.hpp"

namespace rbmkit {

struct Chains {
  Matrix states;  // (n, d) final binary visible states
  Matrix means;   // (n, d) p(v | h) of the last step: the states' conditional means
};

// n examples of `data` drawn at random without replacement (n <= rows), as float rows (n, d).
Matrix random_examples(const Dataset& data, std::size_t n, std::uint64_t seed);
// n rows of independent fair coin flips (n, d).
Matrix noise(std::size_t n, std::size_t d, std::uint64_t seed);

// Runs `steps` >= 1 Gibbs steps from `start` (n, d), chain r drawing from stream
// (Purpose::Sample, 0) of `seed`. Throws DataError when start's width is not d.
Chains run_chains(const Model& m, Matrix start, int steps, std::uint64_t seed);

}  // namespace rbmkit
