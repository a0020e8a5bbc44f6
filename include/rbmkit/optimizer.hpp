// Stochastic gradient ascent on the log-likelihood with momentum and L2 weight decay
// (Hinton 2010, "A practical guide to training RBMs", sections 9 and 10):
//   V_W <- momentum V_W + lr (dW - weight_decay W),  W <- W + V_W   (same for a, b; no decay)
// With momentum = 0 and weight_decay = 0 this is the exercise's plain update W <- W + lr dW,
// applied in factored form (rank B) so sparse binary batches touch only the rows of W whose
// pixels are on.
#pragma once

#include "rbmkit/gradient.hpp"
#include "rbmkit/model.hpp"

namespace rbmkit {

struct SgdConfig {
  float learning_rate = 0.01f;
  float momentum = 0.0f;      // in [0, 1)
  float weight_decay = 0.0f;  // L2 coefficient on W, >= 0
};

class Sgd {
 public:
  explicit Sgd(const SgdConfig& config);
  // Applies one step with gradient g to m. The visible bias is updated only when
  // m.visible_bias is true.
  void apply(Model& m, const Gradient& g);

 private:
  void apply_factored(Model& m, const Gradient& g, float step) const;

  SgdConfig config_;
  Matrix velocity_W_;
  Vector velocity_a_, velocity_b_;
};

}  // namespace rbmkit
