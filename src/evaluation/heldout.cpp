#include "rbmkit/evaluation/heldout.hpp"

#include <chrono>
#include <memory>
#include <numeric>

#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/evaluation/bounds.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/evaluation/exact.hpp"

namespace rbmkit {

std::function<EvalPoint(const Model&)> heldout_evaluator(const Dataset& heldout, const Dataset& train,
                                                          const HeldOutEvalOptions& options) {
  if (heldout.empty()) throw DataError("the evaluation data has no examples");
  if (heldout.cols() != train.cols())
    throw DataError("the evaluation data has " + std::to_string(heldout.cols()) + " columns but the training data has " +
                    std::to_string(train.cols()));
  auto X = std::make_shared<const Matrix>(to_matrix(heldout));
  std::vector<std::size_t> rows(std::min<std::size_t>(train.rows(), 10000));
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  // The base model depends on the visible unit type; it is fitted to the training subset once.
  auto base_data = std::make_shared<Matrix>(to_matrix(train, rows));
  auto base_a = std::make_shared<Vector>();
  return [X, base_data, base_a, options](const Model& m) {
    const auto start = std::chrono::steady_clock::now();
    EvalPoint p;
    double log_z = 0.0, log_z_lower = 0.0, log_z_upper = 0.0;
    if (enumeration_plan(m).terms <= static_cast<double>(kEvalExactTerms)) {
      log_z = log_z_lower = log_z_upper = log_partition_exact(m, kEvalExactTerms);
      p.method = "exact";
    } else {
      if (base_a->size() == 0) {
        *base_a = base_model_biases(m.visible_units, *base_data);
        base_data->resize(0, 0);
      }
      const AisResult ais = ais_log_partition(m, *base_a, {options.chains, options.betas, options.seed, options.precision});
      const LogZBound bound = certified_log_z_bound(m, *X, ais.final_hidden);
      p.bound = -mean_free_energy(m, *X) - bound.log_z_lower;
      // An AIS estimate below the certified bound certainly missed mass: the bound is then the
      // better figure (and the band collapses onto it).
      const bool missed = ais.log_z < bound.log_z_lower;
      log_z = missed ? bound.log_z_lower : ais.log_z;
      log_z_lower = missed ? log_z : ais.log_z_lower;
      log_z_upper = missed ? log_z : std::max(ais.log_z_upper, bound.log_z_lower);
      p.method = missed ? "bound" : "ais";
      p.detail = {{"betas", options.betas}, {"chains", options.chains}};
    }
    p.log_likelihood = mean_log_likelihood(m, *X, log_z);
    if (p.method == "exact") p.bound = p.log_likelihood;
    // log p = -F - log Z: the upper edge of the log Z band is the lower edge of log p.
    p.lower = p.log_likelihood - (log_z_upper - log_z);
    p.upper = p.log_likelihood + (log_z - log_z_lower);
    p.eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
  };
}

}  // namespace rbmkit
