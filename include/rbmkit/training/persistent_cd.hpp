// PCD-k: persistent contrastive divergence (Tieleman 2008, "Training restricted Boltzmann
// machines using approximations to the likelihood gradient"). N fantasy particles persist
// across updates; each update runs k Gibbs steps on them under the current model and uses
// their states as the negative phase. N is independent of the batch size.
#pragma once

#include "rbmkit/training/gibbs_steps.hpp"
#include "rbmkit/training/gradient.hpp"

namespace rbmkit {

class PersistentContrastiveDivergence : public GradientEstimator {
 public:
  // chains >= 1; the particles start at the rows of the first batch (repeated as needed).
  PersistentContrastiveDivergence(GibbsSteps k, std::size_t chains, std::uint64_t seed);
  using GradientEstimator::estimate;
  void estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) override;
  const Matrix& chains() const { return chains_; }
  void save_state(StateArrays& out) const override;
  void load_state(const StateArrays& in) override;

 private:
  GibbsSteps k_;
  std::size_t n_chains_;
  std::uint64_t seed_;
  Matrix chains_;  // (N, d)
};

// The first batch's rows repeated to fill n rows (n, d): where persistent chains start.
Matrix tile_rows(const Matrix& X, std::size_t n);

}  // namespace rbmkit
