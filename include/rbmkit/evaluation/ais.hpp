// Annealed importance sampling (AIS) of log Z for RBMs too large to enumerate, on the path of
// annealing.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/kernels/matrix.hpp"
#include "rbmkit/messages.hpp"

namespace rbmkit {

struct AisOptions {
  std::size_t chains = kDefaultChains;  // M, the number of AIS chains
  std::size_t betas = kDefaultBetas;    // length of annealing_schedule(betas)
  std::uint64_t seed = 0;
  // Of the chains' downward products h W^T (annealing_path.hpp): bf16 moves the chains with
  // W rounded to bf16, while every weight uses the fp32 hidden inputs v W + b of the model itself.
  Precision precision = Precision::Auto;
};

// How far a set of importance weights w_m (given as log w_m) can be trusted:
//   effective sample size  ESS = (sum w)^2 / sum w^2, the number of equally weighted chains they
//                          are worth (M when all are equal, 1 when one dominates);
//   largest share          max w / sum w;
//   replicates             the chains cut into `groups` contiguous groups, each group's log mean
//                          weight an independent estimate; their spread (max - min, nats).
// unreliable: the estimate rests on a few chains: ESS < max(3, M / 20), a largest share above
// 1/2, or replicates more than 1 nat apart.
struct WeightDiagnostics {
  double effective_sample_size = 0;
  double largest_share = 0;
  std::vector<double> group_log_means;
  double group_spread = 0;
  bool unreliable = false;
};

// Throws InvalidArgument for no weights or groups = 0; groups is capped at the number of weights.
WeightDiagnostics weight_diagnostics(const std::vector<double>& log_weights, std::size_t groups = 4);

struct AisResult {
  // log Z estimate: log Z_A + log mean_m w_m, in log space (log-sum-exp of the log-weights).
  double log_z = 0.0;
  // The +-3 sigma band of Salakhutdinov and Murray (2008), in log space:
  //   log Z_A + log(mean w -+ 3 std(w) / sqrt(M)); lower is -inf when mean w <= 3 std(w)/sqrt(M).
  double log_z_lower = 0.0;
  double log_z_upper = 0.0;
  // std(w) / (mean(w) sqrt(M)), std with the n - 1 denominator: the delta-method standard
  // error of log Z.
  double log_z_std_error = 0.0;
  double log_z_base = 0.0;          // log Z_A
  std::vector<double> log_weights;  // (M) log w_m, one per chain
  std::size_t betas = 0;
  WeightDiagnostics diagnostics;    // of log_weights
  Matrix final_hidden;              // (M, H) each chain's E[h | v] at beta = 1, where it ended
};

// AIS (Salakhutdinov and Murray 2008, section 4.1; Neal 2001): M = options.chains chains start
// at exact samples v_1 ~ p_A (independent pixels with means sigm(a_A), or N(a_A, I) for
// Gaussian visible units); for k = 1 .. K - 1
// (betas beta_0 = 0 < ... < beta_{K-1} = 1 from annealing_schedule(options.betas))
//   log w += log f_{beta_k}(v) - log f_{beta_{k-1}}(v),  then, for k < K - 1, v <- T_{beta_k}(v).
// E[w] = Z_B / Z_A, so log Z is unbiased only in Z: by Jensen's inequality log Z tends to be
// UNDERestimated, and a log-likelihood computed from it tends to be OVERestimated.
// base_a (d) is the base model's visible parameter a_A (base_model_biases of the data).
// Throws InvalidArgument when base_a does not have d entries, chains = 0, betas < 3 or the
// unit types are not supported.
// `progress` hears the fraction of all annealing steps done (stage "AIS").
AisResult ais_log_partition(const Model& m, const Vector& base_a, const AisOptions& options,
                            const ProgressSink& progress = {});

}  // namespace rbmkit
