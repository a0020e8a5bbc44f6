// Stochastic gradient ascent on the log-likelihood (Hinton 2010, "A practical guide to training
// RBMs": momentum section 9, weight decay section 10, sparsity section 11):
//   V_W <- momentum V_W + lr_t (dW - l2 W - l1 sign(W)),  W <- W + V_W   (a, b: no decay)
// Learning-rate schedules over T updates: constant lr; linear lr (1 - t/T); exponential
// lr (lr_final / lr)^(t/T).
// Centring (Melchior, Fischer and Wiskott 2016, "How to center deep Boltzmann machines",
// JMLR 17, Algorithm 1): the update direction is the gradient of the centred energy
// -(v - mu)^T W (h - lambda) - ..., mu = the data's pixel means, lambda a moving average of the
// data-phase hidden means (starting at the mean at zero input: 1/2 for Bernoulli hidden units,
// 0 for ternary ones); in the uncentred parameters the model stores this is
//   dW_c = dW - mu dh^T - dv lambda^T,  da_c = dv - dW_c lambda,  db_c = dh - dW_c^T mu,
// with dv, dh the plain visible and hidden bias gradients.
// Sparsity target p (Hinton 2010, section 11): q <- decay q + (1 - decay) mean(p(h | data));
//   db += cost (p - q),  dW += cost mean(v_data) (p - q)^T.
// With no momentum, decay, schedule, centring or sparsity this is the exercise's plain update
// W <- W + lr dW, applied in factored form so sparse binary batches touch only the rows of W
// whose pixels are on.
// In bf16 precision the weight gradient's products, sum_r v_r h_r^T over both phases, run as one
// bf16 product with fp32 accumulation into W (or into dW); the parameters stay fp32.
#pragma once

#include <cstdint>
#include <string>

#include "rbmkit/model/model.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/gradient.hpp"
#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

class Sgd {
 public:
  // Throws ParameterError for settings out of range (sgd_options()); total_updates is the T of
  // the schedules.
  explicit Sgd(const SgdConfig& config, std::uint64_t total_updates = 1, Precision precision = Precision::Fp32);
  // Applies the step of update `update` (for the schedule) with gradient g to m. The visible
  // bias is updated only when m.visible_bias is true. When `products` (of m) is given it is
  // refreshed for the new W; the plain bf16 update converts W in its own pass.
  void apply(Model& m, const Gradient& g, std::uint64_t update = 0, Products* products = nullptr);
  float learning_rate_at(std::uint64_t update) const;
  // True when the update is the exercise's plain W <- W + lr dW (no momentum, decay,
  // schedule, centring or sparsity).
  bool plain() const;
  // The visible offsets mu for centring (the data's pixel means), (d).
  void set_visible_offset(const Vector& mu) { mu_ = mu; }
  // The optimiser's state (velocities, centring offsets, sparsity averages) for checkpoints.
  void save_state(StateArrays& out) const;
  void load_state(const StateArrays& in);

 private:
  void apply_factored(Model& m, const Gradient& g, float lr, Products* products) const;

  SgdConfig config_;
  std::uint64_t total_updates_;
  Precision precision_;
  Matrix velocity_W_;
  Vector velocity_a_, velocity_b_;
  Vector mu_, lambda_, q_;  // centring offsets and sparsity averages
};

}  // namespace rbmkit
