// Internal: what AIS (ais.cpp) and RAISE (raise.cpp) share. A block of chains on the
// annealing path of evaluation/annealing.hpp, moved one Gibbs sweep at a time at inverse temperature
// beta, with the per-chain log-weight increments log f_beta'(v) - log f_beta(v).
#pragma once

#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "rbmkit/messages.hpp"

#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit::detail {

// Chains per block: blocks are the unit of parallel work, and a fixed size keeps every
// chain's floating-point results independent of the thread count. 50 amortises the GEMM's
// packing of W (dense hidden states) and still gives two cores a block each at 100 chains.
inline constexpr Eigen::Index kChainBlock = 50;

// The path from the base model (W = 0, b = 0, visible parameter a_A) to the model m.
struct AnnealingPath {
  // Throws InvalidArgument for unsupported unit types or a base_a without d entries.
  AnnealingPath(const Model& model, const Vector& base_a, Precision precision = Precision::Fp32);
  const Model& m;
  Matrix Wt;                    // W^T (H, d), for fp32 downward products
  Bf16Weights Wt_bf16;          // W^T in bf16, for bf16 downward products (precision bf16)
  Vector base_a;                // a_A (d)
  Vector delta_a;               // a - a_A (d)
  Eigen::VectorXd delta_a_d;    // a - a_A (d) in double, for real-valued (Gaussian) v
  double visible_offset = 0.0;  // k of evaluation/annealing.hpp: 0, or -(|a|^2 - |a_A|^2) / 2 (Gaussian)
  std::uint64_t hidden_blocks;  // random blocks one chain's hidden draw takes
  std::uint64_t visible_blocks; // random blocks one chain's visible draw takes
};

// B chains (one per row) and their scratch matrices.
struct ChainBlock {
  ChainBlock(const AnnealingPath& path, std::vector<std::uint64_t> stream_ids, std::uint64_t seed);
  Matrix V;  // (B, d) visible states
  Matrix X;  // (B, H) hidden inputs V W + 1 b^T
  Matrix T;  // (B, H) beta X
  Matrix S;  // (B, H) E[h | T] (sigm(T), or the ternary mean), then the hidden states drawn from it
  Matrix P;  // (B, d) visible means
  Eigen::VectorXd visible;  // (B) V (a - a_A) + k
  std::vector<double> log_w;             // (B) accumulated log-weight increments
  std::vector<std::uint64_t> stream_ids; // (B) each chain's random stream
  std::uint64_t seed;
};

// V ~ p_A(v): independent pixels with means sigm(a_A) (Bernoulli) or N(a_A, I) (Gaussian);
// draws at the step-0 visible blocks.
void draw_base(const AnnealingPath& path, ChainBlock& c);

// X = V W + 1 b^T, T = beta X, S = E[h | T] (sigm(T), or the ternary mean; model/units.hpp).
void tempered_hidden(const AnnealingPath& path, ChainBlock& c, double beta);

// log_w[r] += sign (log f_other(v_r) - log f_beta(v_r)) for each chain, where T and S hold
// beta X and its hidden means (tempered_hidden(beta)):
//   log f_other(v) - log f_beta(v) = (other - beta) [(a - a_A)^T v + k]
//                                   + sum_j [hp(other x_j) - hp(beta x_j)]
// (evaluation/annealing.hpp).
void add_log_ratio(const AnnealingPath& path, ChainBlock& c, double beta, double other, double sign);

// One Gibbs sweep at beta, which tempered_hidden(beta) prepared: h ~ S, then v ~ p_beta(v | h)
// with mean m = beta h W^T + a_beta (h W^T in fp32, sparse over the active h, or in bf16 with a
// dense product, the path's precision): sigm(m) for Bernoulli units, N(m, I) for Gaussian ones.
// Step `step` draws h at blocks step * (bh + bv) and v at the next bv blocks of each chain's
// stream (bh, bv: draw_blocks_per_row of H and d for their unit types).
void gibbs_sweep(const AnnealingPath& path, ChainBlock& c, double beta, std::uint64_t step);

// Counts the annealing steps all chain blocks have done and tells `sink` each time another 1%
// is done; add() may be called from any thread, the sink hears only from thread 0.
class StepProgress {
 public:
  StepProgress(ProgressSink sink, std::string stage, std::uint64_t total_steps);
  void add(std::uint64_t steps);

 private:
  ProgressSink sink_;
  std::string stage_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::uint64_t next_ = 0;  // thread 0's next report, in steps
};

// Mean and sample standard deviation (n - 1 denominator; 0 when n = 1) of x.
struct MeanStd {
  double mean;
  double std;
};
MeanStd mean_std(const std::vector<double>& x);

}  // namespace rbmkit::detail
