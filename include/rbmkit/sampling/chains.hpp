// Drawing samples from a trained model: alternating Gibbs chains started at data or at noise
// (docs/exercise.md part 1: h ~ p(h | x), x ~ p(x | h), repeated k times), for every supported pair
// of unit types (the draws of model/units.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

struct Chains {
  Matrix states;  // (n, d) final visible states (binary, or real for Gaussian visible units)
  Matrix means;   // (n, d) E[v | h] of the last step: the states' conditional means
                  // (p(v = 1 | h), or a + W h for Gaussian visible units)
};

// n examples of `data` drawn at random without replacement (n <= rows), as float rows (n, d).
Matrix random_examples(const Dataset& data, std::size_t n, std::uint64_t seed);
// n rows of independent fair coin flips (n, d), from stream (Purpose::Sample, 2) of `seed`.
Matrix noise(std::size_t n, std::size_t d, std::uint64_t seed);
// Noise starts for the model's visible units (n, d): noise(n, d, seed) for Bernoulli units;
// a + z, z ~ N(0, I) from the same stream, for Gaussian ones (the model's density with W = 0).
Matrix noise_for(const Model& m, std::size_t n, std::uint64_t seed);

// Runs `steps` >= 1 Gibbs steps from `start` (n, d), chain r drawing from stream
// (Purpose::Sample, 0) of `seed`. Throws DataError when start's width is not d.
// precision: of the products (model/products.hpp; bf16 moves the chains with W rounded to bf16).
Chains run_chains(const Model& m, Matrix start, int steps, std::uint64_t seed, Precision precision = Precision::Fp32);

// Conditional sampling (inpainting): the same chains with the visible units i where
// clamp[i] != 0 held at their values in `clamped` (n, d) after every step, so the free units
// sample p(v_free | v_clamped). The free units start at start's values; the returned means
// hold the clamped values at the clamped units. With no unit clamped the draws equal run_chains'.
// Throws DataError for widths other than d.
Chains run_clamped_chains(const Model& m, Matrix start, const Matrix& clamped, const std::vector<std::uint8_t>& clamp,
                          int steps, std::uint64_t seed, Precision precision = Precision::Fp32);

}  // namespace rbmkit
