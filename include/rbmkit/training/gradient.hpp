// Gradient estimators. An estimator returns a gradient; it never changes the model. Persistent
// chains and temperature ladders belong to the estimator.
//
// The log-likelihood gradient of an RBM averaged over a batch X (B, d)
// (docs/exercise.md part 1; Hinton 2002):
//   dW = X^T P(X) / B - E_model[x E[h|x]^T],  db = mean(P(X)) - E_model[E[h|x]],
//   da = mean(X) - E_model[x],   with P(X) = E[h | X] the hidden means (hidden_means in
// model/units.hpp): sigm(X W + b) for Bernoulli hidden units, tern(X W + b) = 2 sinh / (1 + 2 cosh)
// for ternary ones (docs/exercise.md part 2(b)). The same formula holds for Gaussian visible units
// (unit variance, E = |x - a|^2 / 2 - x^T W h - b^T h), whose x are real.
// Estimators differ in how they approximate the model expectation with N negative-phase
// samples (N may differ from B). The gradient is kept in factored form (the two phases'
// statistics), so a rank-(B + N) update can be applied without materialising the dense (d, H)
// matrix.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "rbmkit/model/model.hpp"
#include "rbmkit/sampling/gibbs.hpp"
#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

struct Gradient {
  Matrix v_pos;  // (B, d) data (Bernoulli units: values in [0, 1] are used as probabilities)
  Matrix h_pos;  // (B, H) E[h | v_pos]
  Matrix v_neg;  // (N, d) negative-phase visible states
  Matrix h_neg;  // (N, H) E[h | v_neg]

  Eigen::Index batch() const { return v_pos.rows(); }
  // dW = v_pos^T h_pos / B - v_neg^T h_neg / N   (d, H), its products in fp32 or bf16
  Matrix weights(Precision precision = Precision::Fp32) const;
  // da = mean(v_pos) - mean(v_neg)                (d)
  Vector visible_bias() const;
  // db = mean(h_pos) - mean(h_neg)                (H)
  Vector hidden_bias() const;
};

class GradientEstimator {
 public:
  virtual ~GradientEstimator() = default;
  // Fills g for the batch X (B, d) at update index `update`, with the model's products in the
  // Products' precision; draws come from streams keyed by the estimator's seed and `update`, so
  // results do not depend on thread scheduling.
  virtual void estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) = 0;
  // The same in fp32.
  void estimate(const Model& m, const Matrix& X, std::uint64_t update, Gradient& g) {
    estimate(Products(m), X, update, g);
  }
  // Statistics since the last call (e.g. swap acceptance rates), for train.jsonl; may be null.
  virtual nlohmann::json take_stats() { return nullptr; }
  // Persistent state (chains) for checkpoints; stateless estimators store nothing.
  virtual void save_state(StateArrays&) const {}
  virtual void load_state(const StateArrays&) {}
};

// The positive phase shared by every estimator: v_pos = X, h_pos = E[h | X].
void positive_phase(const Products& p, const Matrix& X, Gradient& g);

}  // namespace rbmkit
