// The exercise's training loop at full speed: CD-k on one example per update with the plain
// SGD step W <- W + lr (x0 p0^T - xk pk^T), b <- b + lr (p0 - pk), a <- a + lr (x0 - xk)
// (docs/exercise.md part 1; the same estimator and update as ContrastiveDivergence + Sgd with batch 1).
// Bernoulli units on both layers only (sigmoid means and binary draws are fused into the
// passes); the trainer takes the general path for other unit types.
//
// Per update only the rows of W at nonzero pixels are read on the way up and written by the
// update (about 14% of MNIST pixels are on); the way down is a dense pass over W. The rows of W
// are split into config.threads row blocks, each with its own partial hidden inputs, added in
// block order; the blocks run on one thread each (each keeping its block in its own core's
// cache, meeting the others at a barrier once per upward pass) or all on one thread. Both give
// the same bits, so the number of executing threads can follow the machine's load
// (PerExampleSchedule) without changing the result.
// Random numbers use the same streams as gibbs_steps (stream (Purpose::Gibbs, u)), so results
// depend on the seed, the precision and the number of row blocks only.
// Precision bf16: both passes read W's rows in bf16 (kernels/bf16_rows.hpp: 224 bytes a row at
// H = 100 against 400), the update is made on the fp32 master and each changed row converted
// again, so the products are those of ContrastiveDivergence with bf16 Products (model/products.hpp)
// and the SGD step is fp32's. fp32 gives the bits it always has.
#pragma once

#include <cstdint>
#include <functional>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

struct PerExampleConfig {
  int k = 1;                   // Gibbs steps
  float learning_rate = 0.01f;
  std::uint64_t seed = 0;
  int threads = 1;             // row blocks (>= 1): the threads that can run them
  Precision precision = Precision::Fp32;  // resolved: Fp32 or Bf16
};

// The row blocks of a model with d visible units: config.threads, at most one per 16 rows.
int row_blocks(const PerExampleConfig& config, std::size_t d);

// Runs updates [first, last) on `m` with `threads` threads (1 to row_blocks); update u trains
// on row pick(u) of `data`.
void train_per_example(Model& m, const Dataset& data, const PerExampleConfig& config, std::uint64_t first,
                       std::uint64_t last, const std::function<std::size_t(std::uint64_t)>& pick, int threads);

// How many threads run the next segment of per-example updates: all the row blocks' worth, or
// one, whichever has been faster per update lately (measured on the segments themselves, the
// other choice looked at again every kProbeEvery segments). When other processes take the
// cores, two threads that meet several times per update wait on each other for whole time
// slices, and one thread is several times faster.
class PerExampleSchedule {
 public:
  explicit PerExampleSchedule(int blocks);
  int threads();  // for the next segment
  void record(int threads, std::uint64_t updates, double seconds);

 private:
  static constexpr std::uint64_t kProbeEvery = 16;
  int blocks_;
  int choice_ = 0;
  std::uint64_t segments_ = 0;
  double seconds_per_update_[2] = {-1, -1};  // one thread, all blocks' threads; -1: not measured
};

}  // namespace rbmkit
