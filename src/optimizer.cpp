#include "rbmkit/optimizer.hpp"

#include <cmath>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

// Batches up to this size update W row by row, skipping zero visible values; larger batches
// use two GEMMs.
constexpr Eigen::Index kSparseBatchMax = 4;

// W += step * V^T Hs, skipping zero entries of V.
void add_outer_sparse(Matrix& W, const Matrix& V, const Matrix& Hs, float step) {
  for (Eigen::Index r = 0; r < V.rows(); ++r) {
    const float* v = V.row(r).data();
    for (Eigen::Index i = 0; i < V.cols(); ++i)
      if (v[i] != 0.0f) W.row(i).noalias() += (step * v[i]) * Hs.row(r);
  }
}

}  // namespace

Sgd::Sgd(const SgdConfig& config) : config_(config) {
  if (!(config.learning_rate > 0.0f) || !std::isfinite(config.learning_rate))
    throw InvalidArgument("learning rate must be finite and > 0 (got " +
                          std::to_string(config.learning_rate) + ")");
  if (!(config.momentum >= 0.0f && config.momentum < 1.0f))
    throw InvalidArgument("momentum must be in [0, 1) (got " + std::to_string(config.momentum) + ")");
  if (!(config.weight_decay >= 0.0f) || !std::isfinite(config.weight_decay))
    throw InvalidArgument("weight decay must be finite and >= 0 (got " +
                          std::to_string(config.weight_decay) + ")");
}

void Sgd::apply_factored(Model& m, const Gradient& g, float step) const {
  if (g.batch() <= kSparseBatchMax) {
    add_outer_sparse(m.W, g.v_pos, g.h_pos, step);
    add_outer_sparse(m.W, g.v_neg, g.h_neg, -step);
  } else {
    m.W.noalias() += step * (g.v_pos.transpose() * g.h_pos);
    m.W.noalias() -= step * (g.v_neg.transpose() * g.h_neg);
  }
}

void Sgd::apply(Model& m, const Gradient& g) {
  const float lr = config_.learning_rate;
  const float batch_step = lr / static_cast<float>(g.batch());
  if (config_.momentum == 0.0f && config_.weight_decay == 0.0f) {
    apply_factored(m, g, batch_step);
    m.b += lr * g.hidden_bias();
    if (m.visible_bias) m.a += lr * g.visible_bias();
    return;
  }
  if (velocity_W_.size() == 0) {
    velocity_W_ = Matrix::Zero(m.W.rows(), m.W.cols());
    velocity_a_ = Vector::Zero(m.a.size());
    velocity_b_ = Vector::Zero(m.b.size());
  }
  velocity_W_ *= config_.momentum;
  velocity_W_ -= (lr * config_.weight_decay) * m.W;
  velocity_W_.noalias() += batch_step * (g.v_pos.transpose() * g.h_pos);
  velocity_W_.noalias() -= batch_step * (g.v_neg.transpose() * g.h_neg);
  m.W += velocity_W_;
  velocity_b_ = config_.momentum * velocity_b_ + lr * g.hidden_bias();
  m.b += velocity_b_;
  if (m.visible_bias) {
    velocity_a_ = config_.momentum * velocity_a_ + lr * g.visible_bias();
    m.a += velocity_a_;
  }
}

}  // namespace rbmkit
