// The exercise's training loop at full speed: CD-k on one example per update with the plain
// SGD step W <- W + lr (x0 p0^T - xk pk^T), b <- b + lr (p0 - pk), a <- a + lr (x0 - xk)
// (docs/exercise.md part 1; the same estimator and update as ContrastiveDivergence + Sgd with batch 1).
// Bernoulli units on both layers only (sigmoid means and binary draws are fused into the
// passes); the trainer takes the general path for other unit types.
//
// Per update only the rows of W at nonzero pixels are read on the way up and written by the
// update (about 14% of MNIST pixels are on); the way down is a dense pass over W. The rows of W
// are split across threads, each keeping its block in its own core's cache; threads meet at a
// spin barrier once per upward pass to add their partial hidden inputs.
// Random numbers use the same streams as gibbs_steps (stream (Purpose::Gibbs, u)), so results
// depend on the seed and the thread count only (partial sums are added in a fixed order).
#pragma once

#include <cstdint>
#include <functional>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/model/model.hpp"

namespace rbmkit {

struct PerExampleConfig {
  int k = 1;                   // Gibbs steps
  float learning_rate = 0.01f;
  std::uint64_t seed = 0;
  int threads = 1;             // >= 1
};

// Runs updates [first, last) on `m`; update u trains on row pick(u) of `data`.
void train_per_example(Model& m, const Dataset& data, const PerExampleConfig& config, std::uint64_t first,
                       std::uint64_t last, const std::function<std::size_t(std::uint64_t)>& pick);

}  // namespace rbmkit
