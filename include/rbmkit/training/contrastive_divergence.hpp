// Contrastive divergence, CD-k (Hinton 2002; docs/exercise.md part 1): the negative phase is the
// end of a k-step Gibbs chain started at each example of the batch.
#pragma once

#include <cstdint>

#include "rbmkit/training/gibbs_steps.hpp"
#include "rbmkit/training/gradient.hpp"

namespace rbmkit {

// CD-k (Hinton 2002): k >= 1 Gibbs steps from the data (k(u) under a ramp). The draws of update u come from
// stream (Purpose::Gibbs, u) of `seed`.
class ContrastiveDivergence : public GradientEstimator {
 public:
  ContrastiveDivergence(GibbsSteps k, std::uint64_t seed);
  using GradientEstimator::estimate;
  void estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) override;
  int k() const { return k_.k(); }

 private:
  GibbsSteps k_;
  std::uint64_t seed_;
};

}  // namespace rbmkit
