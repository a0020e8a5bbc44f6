// Gradient estimators. An estimator returns a gradient; it never changes the model.
//
// The log-likelihood gradient of a Bernoulli RBM averaged over a batch X (B, d)
// (EXERCISE.md part 1; Hinton 2002):
//   dW = (1/B) (X^T P(X) - E_model[x p(h|x)^T]),  db = mean(P(X)) - E_model[p(h|x)],
//   da = mean(X) - E_model[x],   with P(X) = p(h = 1 | X) = sigm(X W + b).
// CD-k replaces the model expectation by the chains' states after k Gibbs steps started at
// the data. The gradient is kept in factored form (the two phases' statistics), so a rank-B
// update can be applied without materialising the dense (d, H) matrix.
#pragma once

#include <cstdint>

#include "rbmkit/gibbs.hpp"
#include "rbmkit/model.hpp"

namespace rbmkit {

struct Gradient {
  Matrix v_pos;  // (B, d) data (values in [0, 1] are used as probabilities)
  Matrix h_pos;  // (B, H) p(h | v_pos)
  Matrix v_neg;  // (B, d) negative-phase visible states
  Matrix h_neg;  // (B, H) p(h | v_neg)

  Eigen::Index batch() const { return v_pos.rows(); }
  // dW = (v_pos^T h_pos - v_neg^T h_neg) / B   (d, H)
  Matrix weights() const;
  // da = mean over rows of (v_pos - v_neg)       (d)
  Vector visible_bias() const;
  // db = mean over rows of (h_pos - h_neg)       (H)
  Vector hidden_bias() const;
};

// CD-k (Hinton 2002): k >= 1 Gibbs steps from the data. The draws of update u come from
// stream (Purpose::Gibbs, u) of `seed`.
class ContrastiveDivergence {
 public:
  ContrastiveDivergence(int k, std::uint64_t seed);
  // Fills g for the batch X (B, d) at update index `update`.
  void estimate(const Model& m, const Matrix& X, std::uint64_t update, Gradient& g) const;
  int k() const { return k_; }

 private:
  int k_;
  std::uint64_t seed_;
};

}  // namespace rbmkit
